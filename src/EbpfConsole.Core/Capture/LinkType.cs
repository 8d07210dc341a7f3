namespace EbpfConsole.Core.Capture;

/// <summary>
/// The pcap LINKTYPE_* values the product reads (https://www.tcpdump.org/linktypes.html). Frames of
/// any other link type are counted as not decodable, never fatal.
/// </summary>
public enum LinkType
{
    /// <summary>BSD loopback (4-byte host-order address family).</summary>
    Null = 0,
    Ethernet = 1,

    /// <summary>Raw IPv4/IPv6, no link header (LINKTYPE_RAW).</summary>
    Raw = 101,

    /// <summary>OpenBSD loopback (4-byte network-order address family).</summary>
    Loop = 108,

    /// <summary>Linux "cooked" v1, what <c>tcpdump -i any</c> wrote before libpcap 1.10.</summary>
    LinuxSll = 113,
    Ipv4 = 228,
    Ipv6 = 229,

    /// <summary>Linux "cooked" v2, what <c>tcpdump -i any</c> writes with libpcap 1.10+.</summary>
    LinuxSll2 = 276,
}
