using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;
using static EbpfConsole.Core.Tests.Capture.LabShapes;
using static EbpfConsole.Core.Tests.Capture.PacketBuilder;

namespace EbpfConsole.Core.Tests.Capture;

public sealed class CaptureAnalyzerHardCaseTests
{
    [Fact]
    public void Analyze_RetransmittedSyn_IsOneConnectionWithTheRetransmitCounted()
    {
        var frames = EbpfDsr();
        frames.Add(Frame(Start + 1_000_000_000, Node1Eth0, Tcp(Client, 60128, Node1, NodePort, "S", 2152535200)));

        var snapshot = Analyze(frames);

        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(1, connection.SynRetransmits);
        Assert.Equal(DatapathVerdict.EbpfDsr, connection.Verdict);
    }

    [Theory]
    [InlineData("iptables")]
    [InlineData("ebpf-tunnel")]
    [InlineData("ebpf-dsr")]
    public void Analyze_TwoClientsSameSourcePortAtOnce_KeepsTheConnectionsApart(string mode)
    {
        List<CapturedFrame> Shape(string client, uint isn, uint serverIsn, int snatPort) => mode switch
        {
            "iptables" => Iptables(client, 40000, isn, serverIsn, snatPort),
            "ebpf-tunnel" => EbpfTunnel(client, 40000, isn, serverIsn),
            _ => EbpfDsr(client, 40000, isn, serverIsn),
        };
        var frames = Shape(Client, 1000, 5000, 20001).Concat(Shape(Client2, 2000, 6000, 20002));

        var snapshot = Analyze(frames);

        Assert.Equal(2, snapshot.Connections.Count);
        var first = snapshot.Connections.Single(c => c.Client.Address == Client);
        var second = snapshot.Connections.Single(c => c.Client.Address == Client2);
        Assert.Equal(first.Verdict, second.Verdict);
        Assert.NotEqual(DatapathVerdict.Unknown, first.Verdict);
        if (mode == "iptables")
        {
            Assert.Equal(new Endpoint(Node1, 20001), first.PodSaw.Source);
            Assert.Equal(new Endpoint(Node1, 20002), second.PodSaw.Source);
        }
        else
        {
            Assert.Equal(new Endpoint(Client, 40000), first.PodSaw.Source);
            Assert.Equal(new Endpoint(Client2, 40000), second.PodSaw.Source);
        }

        Assert.All(snapshot.Connections, c => Assert.Equal(12, c.PacketCount));
    }

    [Fact]
    public void Analyze_MasqueradeChangedThePort_FollowsTheConnectionBySequenceNumber()
    {
        var snapshot = Analyze(Iptables(clientPort: 60100, snatPort: 31999));

        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(new Endpoint(Node1, 31999), connection.PodSaw.Source);
        Assert.Equal(12, connection.PacketCount);
    }

    [Fact]
    public void Analyze_TunnelWithoutThePodPoint_AssumesThePodSawTheClientAndSaysSo()
    {
        var snapshot = Analyze(EbpfTunnel(points: [Node1Eth0, Node2Eth0]));

        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(DatapathVerdict.EbpfTunnel, connection.Verdict);
        Assert.Equal(PodSawKind.ClientIp, connection.PodSaw.Kind);
        Assert.Single(connection.Assumptions);
        Assert.Contains(snapshot.Assumptions, a => a.Contains("only the tunnelled original SYN", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_IptablesWithoutThePodPoint_UsesThePostNatSynOnTheWay()
    {
        var snapshot = Analyze(Iptables(points: [Node1Eth0, Node2Eth0]));

        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(DatapathVerdict.IptablesSnat, connection.Verdict);
        Assert.Contains("node-2:eth0 saw the SYN", connection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_TunnelWithoutTheBackendPoint_SeesTheReplyAtTheIngress()
    {
        var snapshot = Analyze(EbpfTunnel(points: [Node1Eth0, PodCali]));

        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(DatapathVerdict.EbpfTunnel, connection.Verdict);
        Assert.Empty(connection.Assumptions);
    }

    [Fact]
    public void Analyze_DsrWithoutTheBackendPoint_InfersTheDirectReplyFromTheClientAck()
    {
        var snapshot = Analyze(EbpfDsr(points: [Node1Eth0, PodCali]));

        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(DatapathVerdict.EbpfDsr, connection.Verdict);
        Assert.Equal(new ReplyPath(ReplyPathKind.DirectFromBackend, "node-2"), connection.ReplyPath);
        Assert.Contains("ack 2784640800", connection.Reason, StringComparison.Ordinal);
        Assert.Contains(snapshot.Assumptions, a => a.Contains("acknowledged the server at the ingress node", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_DsrSeenOnlyAtTheIngressPoint_InfersDsrWithBothAssumptions()
    {
        var snapshot = Analyze(EbpfDsr(points: [Node1Eth0]));

        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(DatapathVerdict.EbpfDsr, connection.Verdict);
        Assert.Equal(2, connection.Assumptions.Count);
    }

    [Fact]
    public void Analyze_IngressPointOnlyInTunnelMode_IsNotMistakenForDsr()
    {
        var snapshot = Analyze(EbpfTunnel(points: [Node1Eth0]));

        Assert.Equal(DatapathVerdict.EbpfTunnel, Assert.Single(snapshot.Connections).Verdict);
    }

    [Fact]
    public void Analyze_SynAckArrivesBeforeTheSyn_StillMatchesByAckMinusOne()
    {
        var frames = EbpfDsr();
        var reordered = frames.Where(f => f.Point != Node1Eth0).Concat(frames.Where(f => f.Point == Node1Eth0)).ToList();
        var analyzer = new CaptureAnalyzer(Options());
        foreach (var frame in reordered)
        {
            analyzer.Accept(frame);
        }

        var connection = Assert.Single(analyzer.Snapshot().Connections);
        Assert.Equal(DatapathVerdict.EbpfDsr, connection.Verdict);
        Assert.Equal(frames.Count, connection.PacketCount);
    }

    [Fact]
    public void Analyze_BackendPointsWithoutAnySyn_FollowTheConnectionFromTheSynAck()
    {
        var frames = EbpfDsr().Where(f => f.Point != Node1Eth0 && f.TimestampNs != Start + 20_000 && f.TimestampNs != Start + 30_000).ToList();

        var snapshot = Analyze(frames);

        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(new Endpoint(Client, 60128), connection.Client);
        Assert.Equal(DatapathVerdict.EbpfDsr, connection.Verdict);
    }

    [Fact]
    public void Analyze_SameIsnOutsideTheMatchWindow_IsTwoConnections()
    {
        var later = Start + (long)TimeSpan.FromSeconds(30).TotalNanoseconds;
        var frames = EbpfDsr().Concat(EbpfDsr(clientPort: 60999, start: later));

        var snapshot = Analyze(frames);

        Assert.Equal(2, snapshot.Connections.Count);
        Assert.All(snapshot.Connections, c => Assert.Equal(DatapathVerdict.EbpfDsr, c.Verdict));
    }

    [Fact]
    public void Analyze_Ipv6NodePortKeepingTheClientIp_ReportsClientIp()
    {
        const string client = "fd00::100";
        const string node1 = "fd00::11";
        const string pod = "fd00:244::5";
        var nodes = new NodeDirectory([("node-1", node1), ("node-2", "fd00::12")]);
        var frames = new[]
        {
            Frame(Start, Node1Eth0, Tcp(client, 50000, node1, NodePort, "S", 42)),
            Frame(Start + 1, PodCali, Tcp(client, 50000, pod, 80, "S", 42)),
            Frame(Start + 2, PodCali, Tcp(pod, 80, client, 50000, "S.", 7, 43)),
            Frame(Start + 3, Node2Eth0, Tcp(node1, NodePort, client, 50000, "S.", 7, 43)),
        };

        var snapshot = Analyze(frames, Options(nodes));

        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(new PodSaw(PodSawKind.ClientIp, new Endpoint(client, 50000), null), connection.PodSaw);
        Assert.Equal("[fd00::100]:50000", connection.Client.ToString());
        Assert.Equal(DatapathVerdict.EbpfDsr, connection.Verdict);
    }

    [Fact]
    public void Analyze_ReplyNotYetSeen_IsUnknownSayingTheReplyIsMissing()
    {
        var frames = EbpfDsr().Where(f => f.TimestampNs < Start + 100_000).ToList();

        var connection = Assert.Single(Analyze(frames).Connections);

        Assert.Equal(DatapathVerdict.Unknown, connection.Verdict);
        Assert.Contains("no reply towards the client", connection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_OnlyTheClientSyn_IsUnknownSayingWhatThePodSawIsMissing()
    {
        var frames = new[] { Frame(Start, Node1Eth0, Tcp(Client, 50000, Node1, NodePort, "S", 5)) };

        var snapshot = Analyze(frames);

        Assert.Contains("what the pod saw is unknown", Assert.Single(snapshot.Connections).Reason, StringComparison.Ordinal);
        Assert.StartsWith("none of the 1 NodePort connection(s) could be decided", snapshot.Classification.Evidence, StringComparison.Ordinal);
    }
}
