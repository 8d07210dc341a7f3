using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace EbpfConsole.Core.Capture.Analysis;

/// <summary>
/// An IPv4 or IPv6 address as two 64-bit halves, so the hot path compares and hashes addresses
/// without allocating. IPv4 is held as its IPv4-mapped IPv6 form (::ffff:a.b.c.d).
/// </summary>
public readonly record struct IpKey(ulong High, ulong Low)
{
    private const ulong MappedPrefix = 0x0000_FFFF_0000_0000UL;

    public bool IsIPv4 => High == 0 && (Low & 0xFFFF_FFFF_0000_0000UL) == MappedPrefix;

    public static IpKey FromIPv4(uint address) => new(0, MappedPrefix | address);

    /// <summary>Reads a big-endian address of 4 or 16 bytes.</summary>
    public static IpKey FromBytes(ReadOnlySpan<byte> bytes) => bytes.Length == 4
        ? FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes))
        : new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));

    public static IpKey FromAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return FromBytes(bytes[..4]);
        }

        address.TryWriteBytes(bytes, out _);
        return FromBytes(bytes);
    }

    public static bool TryParse(string? text, out IpKey key)
    {
        key = default;
        if (string.IsNullOrWhiteSpace(text) || !IPAddress.TryParse(text.Trim(), out var address))
        {
            return false;
        }

        key = FromAddress(address);
        return true;
    }

    public IPAddress ToAddress()
    {
        if (IsIPv4)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)Low);
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(v6, High);
        BinaryPrimitives.WriteUInt64BigEndian(v6[8..], Low);
        return new IPAddress(v6);
    }

    public override string ToString() => ToAddress().ToString();
}
