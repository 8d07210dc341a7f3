namespace EbpfConsole.Core.Capture.Analysis;

/// <summary>What <see cref="FrameDecoder"/> made of a frame.</summary>
public enum DecodeStatus
{
    /// <summary>An IPv4/IPv6 packet (the inner one when it was VXLAN-encapsulated).</summary>
    Ip,

    /// <summary>A well-formed frame that carries no IP (ARP, LLDP, …).</summary>
    NotIp,

    /// <summary>Truncated or inconsistent headers, a bad VXLAN header, an empty frame.</summary>
    Malformed,

    /// <summary>A link type the decoder does not read.</summary>
    UnknownLinkType,
}

/// <summary>Well-known IP protocol numbers the analysis looks at.</summary>
public static class IpProtocols
{
    public const byte Icmp = 1;
    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte IcmpV6 = 58;
}

/// <summary>TCP flag bits as they are on the wire.</summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is the TCP term
public enum TcpFlags : byte
#pragma warning restore CA1711
{
    None = 0,
    Fin = 0x01,
    Syn = 0x02,
    Rst = 0x04,
    Psh = 0x08,
    Ack = 0x10,
    Urg = 0x20,
}

/// <summary>
/// The decoded headers of one frame, with no reference to the frame's bytes: addresses, ports, TCP
/// sequence numbers and flags, payload length, and — when the packet travelled in VXLAN — the outer
/// addresses and VNI. ICMP "fragmentation needed" / "packet too big" fill <see cref="Mtu"/>.
/// </summary>
public struct DecodedPacket
{
    public IpKey Source { get; set; }
    public IpKey Destination { get; set; }
    public ushort SourcePort { get; set; }
    public ushort DestinationPort { get; set; }
    public byte Protocol { get; set; }
    public TcpFlags Flags { get; set; }
    public uint Sequence { get; set; }
    public uint Acknowledgement { get; set; }
    public int PayloadLength { get; set; }

    /// <summary>A non-first IP fragment: no transport header.</summary>
    public bool Fragment { get; set; }

    public bool Encapsulated { get; set; }
    public IpKey OuterSource { get; set; }
    public IpKey OuterDestination { get; set; }
    public uint Vni { get; set; }

    /// <summary>The MTU an ICMP "fragmentation needed" (v4) or "packet too big" (v6) announces; 0 otherwise.</summary>
    public int Mtu { get; set; }

    public readonly bool IsTcp => Protocol == IpProtocols.Tcp && !Fragment;
}
