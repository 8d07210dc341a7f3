using System.Buffers.Binary;

namespace EbpfConsole.Capture.Files;

/// <summary>
/// Enumerates pcapng options (code, value) up to opt_endofopt or the end of the span; a length that runs
/// past the end stops the enumeration (malformed options are ignored, not fatal).
/// </summary>
internal ref struct OptionReader
{
    private readonly bool _bigEndian;
    private ReadOnlySpan<byte> _rest;

    public OptionReader(ReadOnlySpan<byte> options, bool bigEndian)
    {
        _rest = options;
        _bigEndian = bigEndian;
        Current = default;
    }

    public PcapngOption Current { get; private set; }

    public readonly OptionReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_rest.Length < 4)
        {
            return false;
        }

        var code = _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(_rest) : BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        int length = _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(_rest[2..]) : BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]);
        if (code == 0 || 4 + length > _rest.Length)
        {
            _rest = default;
            return false;
        }

        Current = new PcapngOption(code, _rest.Slice(4, length));
        var padded = Math.Min(_rest.Length, 4 + ((length + 3) & ~3));
        _rest = _rest[padded..];
        return true;
    }
}

/// <summary>One pcapng option: its code and its value (without padding).</summary>
internal readonly ref struct PcapngOption(ushort code, ReadOnlySpan<byte> value)
{
    public ushort Code { get; } = code;

    public ReadOnlySpan<byte> Value { get; } = value;

    public void Deconstruct(out ushort code, out ReadOnlySpan<byte> value)
    {
        code = Code;
        value = Value;
    }
}
