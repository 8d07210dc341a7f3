using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;
using static EbpfConsole.Core.Tests.Capture.LabShapes;
using static EbpfConsole.Core.Tests.Capture.PacketBuilder;

namespace EbpfConsole.Core.Tests.Capture;

public sealed class CaptureAnalyzerCountingTests
{
    [Fact]
    public void Accept_MalformedFrames_AreCountedPerPointAndNeverThrow()
    {
        var analyzer = new CaptureAnalyzer(Options());
        var syn = Tcp(Client, 1, Node1, NodePort, "S", 1);
        var bad = new[]
        {
            new CapturedFrame(Start, Node1Eth0, LinkType.Ethernet, [], 0),
            new CapturedFrame(Start, Node1Eth0, LinkType.Ethernet, syn[..20], syn.Length),
            new CapturedFrame(Start, Node1Eth0, (LinkType)999, syn, syn.Length),
            new CapturedFrame(Start, Node2Eth0, LinkType.Ethernet, Vxlan(Node1, Node2, syn, flags: 0), 100),
        };

        foreach (var frame in bad)
        {
            analyzer.Accept(frame);
        }

        var snapshot = analyzer.Snapshot();
        Assert.Equal(3, snapshot.Points.Single(p => p.Point == Node1Eth0).Malformed);
        Assert.Equal(1, snapshot.Points.Single(p => p.Point == Node2Eth0).Malformed);
        Assert.Equal(4, snapshot.Malformed);
        Assert.Equal(4, snapshot.Packets);
        Assert.Equal(4, analyzer.FramesAccepted);
    }

    [Fact]
    public void Accept_SllAndSll2Captures_AnalyseLikeEthernet()
    {
        var frames = EbpfDsr().Select(f => f.Point == Node1Eth0
            ? f with { LinkType = LinkType.LinuxSll, Data = ToSll(f.Data) }
            : f.Point == Node2Eth0 ? f with { LinkType = LinkType.LinuxSll2, Data = ToSll2(f.Data) } : f);

        var snapshot = Analyze(frames);

        Assert.Equal(DatapathVerdict.EbpfDsr, Assert.Single(snapshot.Connections).Verdict);
        Assert.Equal(0, snapshot.Malformed);
    }

    [Fact]
    public void Accept_VlanTaggedFrames_AnalyseLikeUntagged()
    {
        var frames = Iptables().Select(f => f with { Data = WithVlanTag(f.Data, 42) });

        Assert.Equal(DatapathVerdict.IptablesSnat, Analyze(frames).Classification.Verdict);
    }

    [Fact]
    public void Accept_OtherTraffic_IsCountedButIsNoConnection()
    {
        var analyzer = new CaptureAnalyzer(Options());
        analyzer.Accept(Frame(Start, Node1Eth0, Tcp(Client, 5000, Node1, 443, ".", 1, 1)));
        analyzer.Accept(Frame(Start + 1, Node1Eth0, FragmentationNeeded(Node2, Client, 1450)));
        var udp = Ethernet(Ip(Client, Node1, new PacketDotNet.UdpPacket(53, 53)));
        analyzer.Accept(Frame(Start + 2, Node1Eth0, udp));

        var snapshot = analyzer.Snapshot();

        Assert.Empty(snapshot.Connections);
        Assert.Equal(new TrafficCounters(0, 1, 1, 1, 0, 0, 0), snapshot.Traffic);
        var notice = Assert.Single(snapshot.Notices);
        Assert.Contains("fragmentation needed from 10.99.0.12 to 10.99.0.100, MTU 1450", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_TakenBeforeMoreFrames_DoesNotChange()
    {
        var frames = EbpfTunnel();
        var analyzer = new CaptureAnalyzer(Options());
        foreach (var frame in frames.Take(4))
        {
            analyzer.Accept(frame);
        }

        var before = analyzer.Snapshot();
        var beforeConnection = Assert.Single(before.Connections);
        foreach (var frame in frames.Skip(4))
        {
            analyzer.Accept(frame);
        }

        var after = analyzer.Snapshot();

        Assert.Equal(DatapathVerdict.Unknown, beforeConnection.Verdict);
        Assert.Equal(4, beforeConnection.PacketCount);
        Assert.Equal(4, beforeConnection.Packets.Count);
        Assert.Equal(4, before.Packets);
        Assert.Same(beforeConnection, Assert.Single(before.Connections));
        Assert.Equal(DatapathVerdict.EbpfTunnel, Assert.Single(after.Connections).Verdict);
        Assert.Equal(frames.Count, after.Packets);
    }

    [Fact]
    public void Snapshot_NothingNew_ReturnsTheSameInstance()
    {
        var analyzer = new CaptureAnalyzer(Options());
        analyzer.Accept(EbpfDsr()[0]);

        var first = analyzer.Snapshot();

        Assert.Same(first, analyzer.Snapshot());
        Assert.Equal("baseline", analyzer.Snapshot("baseline").Name);
    }

    [Fact]
    public void Snapshot_UnchangedConnection_KeepsItsView()
    {
        var analyzer = new CaptureAnalyzer(Options());
        foreach (var frame in EbpfDsr())
        {
            analyzer.Accept(frame);
        }

        var first = analyzer.Snapshot();
        foreach (var frame in EbpfDsr(clientPort: 61000, isn: 5, serverIsn: 6, start: Start + 1_000_000))
        {
            analyzer.Accept(frame);
        }

        var second = analyzer.Snapshot();

        Assert.Same(first.Connections[0], second.Connections[0]);
        Assert.Equal(2, second.Connections.Count);
    }

    [Fact]
    public void Accept_MorePacketsThanKept_CountsAllKeepsTheFirst()
    {
        var options = Options() with { MaxPacketsPerConnection = 5 };

        var connection = Assert.Single(Analyze(EbpfTunnel(), options).Connections);

        Assert.Equal(12, connection.PacketCount);
        Assert.Equal(5, connection.Packets.Count);
        Assert.Equal([1L, 2, 3, 4, 5], connection.Packets.Select(p => p.FrameNumber));
    }

    [Fact]
    public void Accept_KeepNoPackets_StillDecides()
    {
        var connection = Assert.Single(Analyze(EbpfDsr(), Options() with { MaxPacketsPerConnection = 0 }).Connections);

        Assert.Empty(connection.Packets);
        Assert.Equal(DatapathVerdict.EbpfDsr, connection.Verdict);
    }

    [Fact]
    public void Accept_MoreConnectionsThanKept_ForgetsTheOldestAndCountsThem()
    {
        var options = Options() with { MaxConnections = 3 };
        var frames = Enumerable.Range(0, 5).SelectMany(i => EbpfDsr(clientPort: 50000 + i, isn: (uint)(1000 * (i + 1)), serverIsn: (uint)(77 + i), start: Start + i * 1_000_000L));

        var snapshot = Analyze(frames, options);

        Assert.Equal([3, 4, 5], snapshot.Connections.Select(c => c.Id));
        Assert.Equal(2, snapshot.Traffic.ConnectionsForgotten);
        Assert.Equal(3, snapshot.Classification.Counts[DatapathVerdict.EbpfDsr]);
        Assert.Contains(snapshot.Notices, n => n.Contains("2 older connection(s) were forgotten", StringComparison.Ordinal));
    }

    [Fact]
    public void DeclarePointAndReports_ShowInThePointStats()
    {
        var analyzer = new CaptureAnalyzer(Options());
        analyzer.DeclarePoint(PodCali);
        analyzer.ReportDrops(Node1Eth0, 3, 7);
        analyzer.ReportError(Node2Eth0, "node-2: ssh refused");

        var points = analyzer.Snapshot().Points;

        Assert.Equal([PodCali, Node1Eth0, Node2Eth0], points.Select(p => p.Point));
        Assert.Equal(10, analyzer.Snapshot().Dropped);
        Assert.Equal("node-2: ssh refused", points[2].Error);
    }
}
