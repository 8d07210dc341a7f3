using System.Text;

namespace EbpfConsole.Lab.Api.Tests.Protobuf;

/// <summary>Builds protobuf bytes by hand for fixtures: fields are appended in the order written.</summary>
internal sealed class ProtoWriter
{
    private readonly List<byte> _bytes = [];

    public byte[] ToArray() => [.. _bytes];

    public ProtoWriter Varint(int field, long value)
    {
        Tag(field, 0);
        Raw(value);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Bytes(int field, byte[] value)
    {
        Tag(field, 2);
        Raw(value.Length);
        _bytes.AddRange(value);
        return this;
    }

    public ProtoWriter Message(int field, Action<ProtoWriter> build)
    {
        var nested = new ProtoWriter();
        build(nested);
        return Bytes(field, nested.ToArray());
    }

    public ProtoWriter MapEntry(int field, string key, string value) => Message(field, e => e.String(1, key).String(2, value));

    /// <summary>Appends raw bytes (for malformed fixtures).</summary>
    public ProtoWriter Append(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>"k8s\0" + runtime.Unknown {typeMeta, raw}.</summary>
    public static byte[] Envelope(string apiVersion, string kind, Action<ProtoWriter> build)
    {
        var envelope = new ProtoWriter()
            .Message(1, t => t.String(1, apiVersion).String(2, kind))
            .Message(2, build);
        return [.. "k8s\0"u8.ToArray(), .. envelope.ToArray()];
    }

    private void Tag(int field, int wire) => Raw(((long)field << 3) | (uint)wire);

    private void Raw(long value)
    {
        var v = unchecked((ulong)value);
        while (v >= 0x80)
        {
            _bytes.Add((byte)(v | 0x80));
            v >>= 7;
        }

        _bytes.Add((byte)v);
    }
}
