using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using EbpfConsole.Core.Capture;
using PacketDotNet;

namespace EbpfConsole.Core.Tests.Capture;

/// <summary>Builds wire frames with PacketDotNet (VXLAN, SLL and VLAN headers by hand bytes), so tests do not use the decoder under test.</summary>
internal static class PacketBuilder
{
    public const uint CalicoVni = 0xca11c0;
    private static readonly PhysicalAddress MacA = PhysicalAddress.Parse("8A-27-2C-72-AD-11");
    private static readonly PhysicalAddress MacB = PhysicalAddress.Parse("3E-81-9A-10-40-58");

    /// <summary>A TCP segment in IPv4 or IPv6 (by the address) in Ethernet; flags in tcpdump letters: "S", "S.", ".", "P.", "F.", "R".</summary>
    public static byte[] Tcp(string source, int sourcePort, string destination, int destinationPort, string flags, uint seq, uint ack = 0, int payload = 0)
    {
        var tcp = new TcpPacket((ushort)sourcePort, (ushort)destinationPort)
        {
            SequenceNumber = seq,
            AcknowledgmentNumber = ack,
            Synchronize = flags.Contains('S', StringComparison.Ordinal),
            Acknowledgment = flags.Contains('.', StringComparison.Ordinal),
            Push = flags.Contains('P', StringComparison.Ordinal),
            Finished = flags.Contains('F', StringComparison.Ordinal),
            Reset = flags.Contains('R', StringComparison.Ordinal),
            WindowSize = 64240,
        };
        if (payload > 0)
        {
            tcp.PayloadData = new byte[payload];
        }

        return Ethernet(Ip(source, destination, tcp));
    }

    public static IPPacket Ip(string source, string destination, Packet payload)
    {
        var src = IPAddress.Parse(source);
        var dst = IPAddress.Parse(destination);
        IPPacket ip = src.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? new IPv4Packet(src, dst) { TimeToLive = 64 }
            : new IPv6Packet(src, dst) { HopLimit = 64 };
        ip.PayloadPacket = payload;
        return ip;
    }

    public static byte[] Ethernet(IPPacket ip)
    {
        var ethernet = new EthernetPacket(MacA, MacB, ip is IPv4Packet ? EthernetType.IPv4 : EthernetType.IPv6) { PayloadPacket = ip };
        ethernet.UpdateCalculatedValues();
        return ethernet.Bytes;
    }

    /// <summary>An inner Ethernet frame in VXLAN (UDP 4789) between two node addresses.</summary>
    public static byte[] Vxlan(string outerSource, string outerDestination, byte[] innerFrame, uint vni = CalicoVni, byte flags = 0x08)
    {
        var payload = new byte[8 + innerFrame.Length];
        payload[0] = flags;
        payload[4] = (byte)(vni >> 16);
        payload[5] = (byte)(vni >> 8);
        payload[6] = (byte)vni;
        innerFrame.CopyTo(payload, 8);
        var udp = new UdpPacket(40000, 4789) { PayloadData = payload };
        return Ethernet(Ip(outerSource, outerDestination, udp));
    }

    /// <summary>An ICMP "fragmentation needed" from a router to a sender, announcing an MTU.</summary>
    public static byte[] FragmentationNeeded(string router, string sender, int mtu)
    {
        var icmp = new byte[8 + 28];
        icmp[0] = 3;
        icmp[1] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(6), (ushort)mtu);
        icmp[8] = 0x45;
        var packet = new IcmpV4Packet(new PacketDotNet.Utils.ByteArraySegment(icmp));
        return Ethernet(Ip(router, sender, packet));
    }

    /// <summary>Replaces the Ethernet header of a frame with a Linux cooked v1 header (tcpdump -i any, older libpcap).</summary>
    public static byte[] ToSll(byte[] ethernetFrame)
    {
        var sll = new byte[16 + ethernetFrame.Length - 14];
        BinaryPrimitives.WriteUInt16BigEndian(sll, 0); // packet type: to us
        BinaryPrimitives.WriteUInt16BigEndian(sll.AsSpan(2), 1); // ARPHRD_ETHER
        BinaryPrimitives.WriteUInt16BigEndian(sll.AsSpan(4), 6);
        ethernetFrame.AsSpan(6, 6).CopyTo(sll.AsSpan(6));
        ethernetFrame.AsSpan(12, 2).CopyTo(sll.AsSpan(14));
        ethernetFrame.AsSpan(14).CopyTo(sll.AsSpan(16));
        return sll;
    }

    /// <summary>Replaces the Ethernet header with a Linux cooked v2 header (tcpdump -i any, libpcap 1.10+).</summary>
    public static byte[] ToSll2(byte[] ethernetFrame)
    {
        var sll2 = new byte[20 + ethernetFrame.Length - 14];
        ethernetFrame.AsSpan(12, 2).CopyTo(sll2);
        BinaryPrimitives.WriteUInt32BigEndian(sll2.AsSpan(4), 7); // interface index
        BinaryPrimitives.WriteUInt16BigEndian(sll2.AsSpan(8), 1); // ARPHRD_ETHER
        sll2[10] = 4; // outgoing
        sll2[11] = 6;
        ethernetFrame.AsSpan(6, 6).CopyTo(sll2.AsSpan(12));
        ethernetFrame.AsSpan(14).CopyTo(sll2.AsSpan(20));
        return sll2;
    }

    /// <summary>Inserts an 802.1Q tag (VLAN <paramref name="vlan"/>) after the MAC addresses.</summary>
    public static byte[] WithVlanTag(byte[] ethernetFrame, int vlan)
    {
        var tagged = new byte[ethernetFrame.Length + 4];
        ethernetFrame.AsSpan(0, 12).CopyTo(tagged);
        BinaryPrimitives.WriteUInt16BigEndian(tagged.AsSpan(12), 0x8100);
        BinaryPrimitives.WriteUInt16BigEndian(tagged.AsSpan(14), (ushort)vlan);
        ethernetFrame.AsSpan(12).CopyTo(tagged.AsSpan(16));
        return tagged;
    }

    public static CapturedFrame Frame(long ns, CapturePoint point, byte[] data, LinkType linkType = LinkType.Ethernet) =>
        new(ns, point, linkType, data, data.Length);
}
