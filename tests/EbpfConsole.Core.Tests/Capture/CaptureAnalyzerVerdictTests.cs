using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;
using static EbpfConsole.Core.Tests.Capture.LabShapes;

namespace EbpfConsole.Core.Tests.Capture;

public sealed class CaptureAnalyzerVerdictTests
{
    [Fact]
    public void Analyze_IptablesShape_ReportsSnatToIngressNode()
    {
        var snapshot = Analyze(Iptables());

        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(DatapathVerdict.IptablesSnat, connection.Verdict);
        Assert.Equal(new PodSaw(PodSawKind.Snat, new Endpoint(Node1, 18327), "node-1"), connection.PodSaw);
        Assert.Equal(new ReplyPath(ReplyPathKind.ViaIngress, "node-1"), connection.ReplyPath);
        Assert.False(connection.TunnelSeen);
        Assert.Equal(new Endpoint(Client, 60100), connection.Client);
        Assert.Equal(new Endpoint(Node1, NodePort), connection.Service);
        Assert.Equal(3812172783u, connection.ClientIsn);
        Assert.Equal(DatapathVerdict.IptablesSnat, snapshot.Classification.Verdict);
        Assert.Contains("node-2:calic440f455693", snapshot.Classification.Evidence, StringComparison.Ordinal);
        Assert.Contains("10:09:42.208655 UTC", snapshot.Classification.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_ReplyThroughVxlanToIngress_ReportsTunnel()
    {
        var snapshot = Analyze(EbpfTunnel());

        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(DatapathVerdict.EbpfTunnel, connection.Verdict);
        Assert.Equal(new PodSaw(PodSawKind.ClientIp, new Endpoint(Client, 60116), null), connection.PodSaw);
        Assert.Equal(ReplyPathKind.ViaIngress, connection.ReplyPath.Kind);
        Assert.True(connection.TunnelSeen);
        Assert.Equal(DatapathVerdict.EbpfTunnel, snapshot.Classification.Verdict);
        Assert.Contains("node-2:eth0 saw the reply (SYN-ACK seq 3764926675) from 10.99.0.11:30604 to 10.99.0.100:60116 inside VXLAN (10.99.0.12 > 10.99.0.11) towards the ingress node node-1",
            snapshot.Classification.Evidence, StringComparison.Ordinal);
        Assert.Empty(connection.Assumptions);
    }

    [Fact]
    public void Analyze_ReplyFromBackendNode_ReportsDsr()
    {
        var snapshot = Analyze(EbpfDsr());

        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(DatapathVerdict.EbpfDsr, connection.Verdict);
        Assert.Equal(PodSawKind.ClientIp, connection.PodSaw.Kind);
        Assert.Equal(new ReplyPath(ReplyPathKind.DirectFromBackend, "node-2"), connection.ReplyPath);
        Assert.True(connection.TunnelSeen);
        Assert.Equal(DatapathVerdict.EbpfDsr, snapshot.Classification.Verdict);
        Assert.Contains("node-2:eth0 saw the reply (SYN-ACK seq 2784640799)", snapshot.Classification.Evidence, StringComparison.Ordinal);
        Assert.Empty(snapshot.Assumptions);
    }

    [Fact]
    public void Analyze_EveryShape_ListsItsPointsAndPacketsInTimeOrder()
    {
        var frames = EbpfTunnel();
        var snapshot = Analyze(frames);

        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(AllPoints.OrderBy(p => Array.IndexOf(AllPoints, p)), connection.Points);
        Assert.Equal(frames.Count, connection.PacketCount);
        Assert.Equal(frames.Count, connection.Packets.Count);
        Assert.Equal(connection.Packets.OrderBy(p => p.TimestampNs).Select(p => p.FrameNumber), connection.Packets.Select(p => p.FrameNumber));
        var tunnelled = connection.Packets[1];
        Assert.Equal(Node1Eth0, tunnelled.Point);
        Assert.Equal("S", tunnelled.Flags);
        Assert.Equal($"{Node1} > {Node2} vxlan vni {PacketBuilder.CalicoVni}", tunnelled.Outer);
        Assert.Equal(new Endpoint(Client, 60116), tunnelled.Source);
        Assert.Equal(2, tunnelled.FrameNumber);
        Assert.Equal("S.", connection.Packets.Single(p => p.Point == PodCali && p.Source.Address == Pod).Flags);
    }

    [Fact]
    public void Analyze_MixedSession_ReportsMixedWithCounts()
    {
        var frames = Iptables().Concat(EbpfDsr(start: Start + 1_000_000)).Concat(EbpfDsr(clientPort: 60200, isn: 77, serverIsn: 99, start: Start + 2_000_000));

        var snapshot = Analyze(frames);

        Assert.Equal(DatapathVerdict.Mixed, snapshot.Classification.Verdict);
        Assert.Equal(1, snapshot.Classification.Counts[DatapathVerdict.IptablesSnat]);
        Assert.Equal(2, snapshot.Classification.Counts[DatapathVerdict.EbpfDsr]);
        Assert.Contains("2 ebpf-dsr, 1 iptables-snat", snapshot.Classification.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_NoNodePortTraffic_ReportsUnknownWithNoNodePortConnection()
    {
        var frames = new[]
        {
            PacketBuilder.Frame(Start, Node1Eth0, PacketBuilder.Tcp(Client, 50000, Node1, 22, "S", 1)),
            PacketBuilder.Frame(Start + 1, Node1Eth0, PacketBuilder.Tcp(Node1, 22, Client, 50000, "S.", 9, 2)),
            PacketBuilder.Frame(Start + 2, Node1Eth0, PacketBuilder.Tcp(Client, 50000, Node1, 22, ".", 2, 10)),
        };

        var snapshot = Analyze(frames);

        Assert.Empty(snapshot.Connections);
        Assert.Equal(DatapathVerdict.Unknown, snapshot.Classification.Verdict);
        Assert.Contains("no NodePort connection", snapshot.Classification.Evidence, StringComparison.Ordinal);
        Assert.Equal(3, snapshot.Packets);
    }

    [Fact]
    public void Analyze_NodePortNotGiven_TakesTheNodePortRangeAndSaysSo()
    {
        var snapshot = Analyze(EbpfTunnel(), Options(nodePort: null));

        Assert.Equal(DatapathVerdict.EbpfTunnel, Assert.Single(snapshot.Connections).Verdict);
        Assert.Contains(snapshot.Assumptions, a => a.Contains("30000-32767", StringComparison.Ordinal) && a.Contains("30604", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_NodeAddressesUnknown_InfersIngressFromTheClientSynAndSaysSo()
    {
        var snapshot = Analyze(Iptables(), Options(NodeDirectory.Empty));

        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(DatapathVerdict.IptablesSnat, connection.Verdict);
        Assert.Equal("node-1", connection.PodSaw.Node);
        Assert.Equal("node-1", connection.IngressNode);
        Assert.Contains(snapshot.Assumptions, a => a.StartsWith("assumed node-1 is 10.99.0.11: ", StringComparison.Ordinal)
            && a.Contains("node-1:eth0", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_DsrWithoutNodeAddresses_InfersIngressAndStillSeesTheDirectReply()
    {
        var snapshot = Analyze(EbpfDsr(), Options(NodeDirectory.Empty));

        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(DatapathVerdict.EbpfDsr, connection.Verdict);
        Assert.Equal("node-2", connection.ReplyPath.Node);
    }

    [Fact]
    public void Analyze_SnatToAnAddressOfNoNode_IsUnknownAndSaysWhy()
    {
        var frames = new[]
        {
            PacketBuilder.Frame(Start, Node1Eth0, PacketBuilder.Tcp(Client, 50000, Node1, NodePort, "S", 5)),
            PacketBuilder.Frame(Start + 1, PodCali, PacketBuilder.Tcp("10.99.0.50", 1234, Pod, 80, "S", 5)),
        };

        var snapshot = Analyze(frames);

        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(DatapathVerdict.Unknown, connection.Verdict);
        Assert.Contains("neither the client nor a known node address", connection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_TunnelConnection_IsOneLineWithTheVerdict()
    {
        var line = CaptureAnalyzer.Describe(Assert.Single(Analyze(EbpfTunnel()).Connections));

        Assert.Equal("#1 10.99.0.100:60116 -> 10.99.0.11:30604 isn 3852301490: pod saw the client 10.99.0.100:60116; "
            + "reply via ingress node-1; VXLAN seen; ebpf-tunnel", line);
    }
}
