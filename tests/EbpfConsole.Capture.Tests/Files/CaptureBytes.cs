using System.Buffers.Binary;
using System.Text;

namespace EbpfConsole.Capture.Tests.Files;

/// <summary>Builds pcap and pcapng byte fixtures field by field, in either byte order.</summary>
internal sealed class CaptureBytes(bool bigEndian = false)
{
    private readonly List<byte> _bytes = [];

    public int Length => _bytes.Count;

    public byte[] ToArray() => [.. _bytes];

    public static byte[] Frame(int length, byte seed = 0) =>
        Enumerable.Range(0, length).Select(i => (byte)(seed + i)).ToArray();

    // ---- classic pcap ----

    public CaptureBytes PcapHeader(uint magic = 0xA1B2C3D4, ushort major = 2, ushort minor = 4, uint linkType = 1, uint snapLength = 262144) =>
        U32(magic).U16(major).U16(minor).U32(0).U32(0).U32(snapLength).U32(linkType);

    public CaptureBytes PcapRecord(uint seconds, uint fraction, byte[] data, uint? originalLength = null, uint? capturedLength = null) =>
        U32(seconds).U32(fraction).U32(capturedLength ?? (uint)data.Length).U32(originalLength ?? (uint)data.Length).Raw(data);

    // ---- pcapng ----

    public CaptureBytes Shb(ushort major = 1, ushort minor = 0, params (ushort Code, byte[] Value)[] options) =>
        Block(0x0A0D0D0A, b => b.U32(0x1A2B3C4D).U16(major).U16(minor).U64(ulong.MaxValue).Options(options));

    public CaptureBytes Idb(ushort linkType, string? name = null, byte? tsresol = null, long? tsoffset = null, uint snapLength = 262144)
    {
        var options = new List<(ushort, byte[])>();
        if (name is not null)
        {
            options.Add((2, Encoding.UTF8.GetBytes(name)));
        }

        if (tsresol is { } resolution)
        {
            options.Add((9, [resolution]));
        }

        if (tsoffset is { } offset)
        {
            options.Add((14, new CaptureBytes(bigEndian).U64((ulong)offset).ToArray()));
        }

        return Block(1, b => b.U16(linkType).U16(0).U32(snapLength).Options([.. options]));
    }

    public CaptureBytes Epb(uint interfaceId, ulong units, byte[] data, uint? originalLength = null, uint? capturedLength = null, string? comment = null) =>
        Block(6, b => b.U32(interfaceId).U32((uint)(units >> 32)).U32((uint)units).U32(capturedLength ?? (uint)data.Length)
            .U32(originalLength ?? (uint)data.Length).Padded(data)
            .Options(comment is null ? [] : [(1, Encoding.UTF8.GetBytes(comment))]));

    public CaptureBytes Spb(uint originalLength, byte[] data) => Block(3, b => b.U32(originalLength).Padded(data));

    public CaptureBytes ObsoletePb(ushort interfaceId, ulong units, byte[] data) =>
        Block(2, b => b.U16(interfaceId).U16(0).U32((uint)(units >> 32)).U32((uint)units).U32((uint)data.Length).U32((uint)data.Length).Padded(data));

    public CaptureBytes Block(uint type, Action<CaptureBytes> body)
    {
        var inner = new CaptureBytes(bigEndian);
        body(inner);
        var length = (uint)(inner.Length + 12);
        return U32(type).U32(length).Raw(inner.ToArray()).U32(length);
    }

    /// <summary>A block whose length fields say <paramref name="length"/> whatever follows.</summary>
    public CaptureBytes BlockHeader(uint type, uint length) => U32(type).U32(length);

    public CaptureBytes Options(params (ushort Code, byte[] Value)[] options)
    {
        if (options.Length == 0)
        {
            return this;
        }

        foreach (var (code, value) in options)
        {
            U16(code).U16((ushort)value.Length).Padded(value);
        }

        return U16(0).U16(0);
    }

    public CaptureBytes Padded(byte[] data)
    {
        Raw(data);
        for (var i = data.Length; i % 4 != 0; i++)
        {
            _bytes.Add(0);
        }

        return this;
    }

    public CaptureBytes Raw(byte[] data)
    {
        _bytes.AddRange(data);
        return this;
    }

    public CaptureBytes U16(ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(b, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        }

        _bytes.AddRange(b);
        return this;
    }

    public CaptureBytes U32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        }

        _bytes.AddRange(b);
        return this;
    }

    public CaptureBytes U64(ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt64BigEndian(b, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        }

        _bytes.AddRange(b);
        return this;
    }
}
