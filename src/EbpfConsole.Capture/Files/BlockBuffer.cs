using System.Buffers.Binary;
using System.Text;

namespace EbpfConsole.Capture.Files;

/// <summary>A reused little-endian byte buffer for building pcap/pcapng blocks before one write.</summary>
internal sealed class BlockBuffer
{
    private byte[] _bytes = new byte[64 * 1024];

    public int Length { get; private set; }

    public void Clear() => Length = 0;

    public void WriteTo(Stream stream) => stream.Write(_bytes, 0, Length);

    public void U16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Grow(2), value);

    public void U32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Grow(4), value);

    public void U64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Grow(8), value);

    /// <summary>Overwrites a 32-bit value written earlier (block lengths).</summary>
    public void PatchU32(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_bytes.AsSpan(offset, 4), value);

    public void Bytes(ReadOnlySpan<byte> data) => data.CopyTo(Grow(data.Length));

    /// <summary>Writes zeros up to the next multiple of four.</summary>
    public void Pad()
    {
        var pad = (4 - (Length & 3)) & 3;
        Grow(pad).Clear();
    }

    /// <summary>A pcapng option: code, length, value, padding.</summary>
    public void Option(ushort code, ReadOnlySpan<byte> value)
    {
        U16(code);
        U16((ushort)value.Length);
        Bytes(value);
        Pad();
    }

    /// <summary>A UTF-8 string option, cut at a character boundary to the 65535 bytes an option can hold.</summary>
    public void Option(ushort code, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var length = Math.Min(bytes.Length, ushort.MaxValue);
        while (length < bytes.Length && (bytes[length] & 0xC0) == 0x80)
        {
            length--;
        }

        Option(code, bytes.AsSpan(0, length));
    }

    private Span<byte> Grow(int count)
    {
        if (Length + count > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + count));
        }

        var span = _bytes.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
