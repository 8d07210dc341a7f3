using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;
using static EbpfConsole.Core.Tests.Capture.PacketBuilder;

namespace EbpfConsole.Core.Tests.Capture;

public sealed class FrameDecoderTests
{
    private static readonly byte[] Syn = Tcp("10.99.0.100", 60100, "10.99.0.11", 30604, "S", 3812172783);

    [Fact]
    public void Decode_EthernetTcp_ReadsAddressesPortsAndSequence()
    {
        var status = FrameDecoder.Decode(Tcp("10.99.0.100", 60100, "10.99.0.11", 30604, "P.", 5, 9, payload: 80), LinkType.Ethernet, out var packet);

        Assert.Equal(DecodeStatus.Ip, status);
        Assert.Equal("10.99.0.100", packet.Source.ToString());
        Assert.Equal("10.99.0.11", packet.Destination.ToString());
        Assert.Equal((60100, 30604), (packet.SourcePort, packet.DestinationPort));
        Assert.Equal((5u, 9u), (packet.Sequence, packet.Acknowledgement));
        Assert.Equal(TcpFlags.Psh | TcpFlags.Ack, packet.Flags);
        Assert.Equal(80, packet.PayloadLength);
        Assert.False(packet.Encapsulated);
    }

    [Fact]
    public void Decode_Vxlan_ReturnsTheInnerPacketWithOuterAddressesAndVni()
    {
        var status = FrameDecoder.Decode(Vxlan("10.99.0.11", "10.99.0.12", Syn), LinkType.Ethernet, out var packet);

        Assert.Equal(DecodeStatus.Ip, status);
        Assert.True(packet.Encapsulated);
        Assert.Equal("10.99.0.100", packet.Source.ToString());
        Assert.Equal("10.99.0.11", packet.OuterSource.ToString());
        Assert.Equal("10.99.0.12", packet.OuterDestination.ToString());
        Assert.Equal(CalicoVni, packet.Vni);
        Assert.Equal(3812172783u, packet.Sequence);
    }

    [Fact]
    public void Decode_LinuxSll_ReadsTheIpPacket()
    {
        Assert.Equal(DecodeStatus.Ip, FrameDecoder.Decode(ToSll(Syn), LinkType.LinuxSll, out var packet));
        Assert.Equal((ushort)30604, packet.DestinationPort);
    }

    [Fact]
    public void Decode_LinuxSll2_ReadsTheIpPacket()
    {
        Assert.Equal(DecodeStatus.Ip, FrameDecoder.Decode(ToSll2(Syn), LinkType.LinuxSll2, out var packet));
        Assert.Equal(3812172783u, packet.Sequence);
    }

    [Fact]
    public void Decode_VlanTaggedFrame_SkipsTheTag()
    {
        Assert.Equal(DecodeStatus.Ip, FrameDecoder.Decode(WithVlanTag(Syn, 100), LinkType.Ethernet, out var packet));
        Assert.Equal("10.99.0.11", packet.Destination.ToString());
    }

    [Fact]
    public void Decode_RawIpv6Tcp_ReadsTheIpv6Addresses()
    {
        var frame = Tcp("fd00::100", 50000, "fd00::11", 30604, "S", 1);

        Assert.Equal(DecodeStatus.Ip, FrameDecoder.Decode(frame.AsSpan(14), LinkType.Raw, out var packet));
        Assert.Equal("fd00::100", packet.Source.ToString());
        Assert.False(packet.Source.IsIPv4);
        Assert.True(packet.IsTcp);
    }

    [Fact]
    public void Decode_IcmpFragmentationNeeded_ReportsTheMtu()
    {
        Assert.Equal(DecodeStatus.Ip, FrameDecoder.Decode(FragmentationNeeded("10.99.0.12", "10.99.0.100", 1450), LinkType.Ethernet, out var packet));
        Assert.Equal(1450, packet.Mtu);
        Assert.Equal(IpProtocols.Icmp, packet.Protocol);
    }

    [Fact]
    public void Decode_Arp_IsNotIpRatherThanMalformed()
    {
        var arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;

        Assert.Equal(DecodeStatus.NotIp, FrameDecoder.Decode(arp, LinkType.Ethernet, out _));
    }

    public static TheoryData<string, byte[], int> MalformedFrames()
    {
        var badIhl = (byte[])Syn.Clone();
        badIhl[14] = 0x43; // IHL 3: shorter than the minimum header
        var hugeIhl = (byte[])Syn.Clone();
        hugeIhl[14] = 0x4F; // 60-byte header that would run into the TCP header; total length still fits
        hugeIhl[16] = 0;
        hugeIhl[17] = 40;
        var badTcpOffset = (byte[])Syn.Clone();
        badTcpOffset[14 + 20 + 12] = 0x20; // data offset 2 words
        var noIFlag = Vxlan("10.99.0.11", "10.99.0.12", Syn, flags: 0x00);
        var truncatedInner = Vxlan("10.99.0.11", "10.99.0.12", Syn.AsSpan(0, 20).ToArray());
        return new TheoryData<string, byte[], int>
        {
            { "zero-length", [], (int)LinkType.Ethernet },
            { "truncated Ethernet", Syn.AsSpan(0, 10).ToArray(), (int)LinkType.Ethernet },
            { "truncated IPv4", Syn.AsSpan(0, 14 + 12).ToArray(), (int)LinkType.Ethernet },
            { "truncated TCP", Syn.AsSpan(0, 14 + 20 + 10).ToArray(), (int)LinkType.Ethernet },
            { "bad IHL", badIhl, (int)LinkType.Ethernet },
            { "IHL past the total length", hugeIhl, (int)LinkType.Ethernet },
            { "bad TCP data offset", badTcpOffset, (int)LinkType.Ethernet },
            { "VXLAN without the I flag", noIFlag, (int)LinkType.Ethernet },
            { "VXLAN with a truncated inner frame", truncatedInner, (int)LinkType.Ethernet },
            { "truncated VXLAN header", Vxlan("10.99.0.11", "10.99.0.12", Syn).AsSpan(0, 14 + 20 + 8 + 4).ToArray(), (int)LinkType.Ethernet },
            { "truncated SLL", Syn.AsSpan(0, 12).ToArray(), (int)LinkType.LinuxSll },
            { "truncated SLL2", Syn.AsSpan(0, 18).ToArray(), (int)LinkType.LinuxSll2 },
            { "raw IP of version 5", [0x50, 0, 0, 20], (int)LinkType.Raw },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedFrames))]
    public void Decode_MalformedFrame_IsMalformedNotAnException(string what, byte[] frame, int linkType)
    {
        Assert.True(FrameDecoder.Decode(frame, (LinkType)linkType, out _) == DecodeStatus.Malformed, what);
    }

    [Fact]
    public void Decode_UnknownLinkType_SaysSo() =>
        Assert.Equal(DecodeStatus.UnknownLinkType, FrameDecoder.Decode(Syn, (LinkType)147, out _));

    [Fact]
    public void Decode_EveryTruncationOfATunnelledFrame_NeverThrows()
    {
        var frame = Vxlan("10.99.0.11", "10.99.0.12", Syn);
        for (var length = 0; length <= frame.Length; length++)
        {
            foreach (var linkType in Enum.GetValues<LinkType>())
            {
                FrameDecoder.Decode(frame.AsSpan(0, length), linkType, out _);
            }
        }

        Assert.Equal(DecodeStatus.Ip, FrameDecoder.Decode(frame, LinkType.Ethernet, out _));
    }
}
