using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;
using static EbpfConsole.Core.Tests.Capture.LabShapes;
using static EbpfConsole.Core.Tests.Capture.PacketBuilder;

namespace EbpfConsole.Core.Tests.Capture;

/// <summary>Idle and closed connections keep their view and give up their tracking state.</summary>
public sealed class CaptureAnalyzerRetirementTests
{
    private const long Second = 1_000_000_000L;

    [Fact]
    public void Accept_ConnectionIdleForTwiceTheMatchWindow_IsRetiredWithItsVerdictKept()
    {
        var analyzer = new CaptureAnalyzer(Options() with { MatchWindow = TimeSpan.FromSeconds(1) });
        Feed(analyzer, Iptables());
        var before = analyzer.Snapshot().Connections.Single();

        Feed(analyzer, EbpfDsr(client: Client2, start: Start + 3 * Second));

        var snapshot = analyzer.Snapshot();
        Assert.Equal(1, analyzer.ConnectionsRetired);
        Assert.Equal(1, analyzer.ActiveConnections);
        Assert.Equal(2, snapshot.Connections.Count);
        Assert.Same(before, snapshot.Connections[0]);
        Assert.Equal(DatapathVerdict.Mixed, snapshot.Classification.Verdict);
    }

    [Fact]
    public void Accept_ConnectionIdleWithinTwiceTheMatchWindow_IsStillTracked()
    {
        var analyzer = new CaptureAnalyzer(Options() with { MatchWindow = TimeSpan.FromSeconds(1) });
        Feed(analyzer, Iptables());

        Feed(analyzer, EbpfDsr(client: Client2, start: Start + Second + Second / 2));

        Assert.Equal(0, analyzer.ConnectionsRetired);
        Assert.Equal(2, analyzer.ActiveConnections);
    }

    [Fact]
    public void Accept_PacketOfRetiredConnection_CountsAsOtherTcpAndLeavesTheViewAlone()
    {
        var analyzer = new CaptureAnalyzer(Options() with { MatchWindow = TimeSpan.FromSeconds(1) });
        Feed(analyzer, Iptables());
        Feed(analyzer, EbpfDsr(client: Client2, start: Start + 3 * Second));
        var before = analyzer.Snapshot();

        analyzer.Accept(Frame(Start + 3 * Second + 1_000_000, Node1Eth0, Tcp(Client, 60100, Node1, NodePort, ".", 3812172784, 1516336145)));

        var after = analyzer.Snapshot();
        Assert.Equal(before.Traffic.OtherTcp + 1, after.Traffic.OtherTcp);
        Assert.Same(before.Connections[0], after.Connections[0]);
    }

    [Fact]
    public void Accept_ClosedConnectionIdlePastTheLinger_IsRetiredBeforeTheIdleLimit()
    {
        var analyzer = new CaptureAnalyzer(Options() with { ClosedLinger = TimeSpan.FromMilliseconds(500) });
        var frames = Iptables();
        frames.Add(Frame(Start + 40_000, Node1Eth0, Tcp(Client, 60100, Node1, NodePort, "F.", 3812172784, 1516336145)));
        frames.Add(Frame(Start + 50_000, Node1Eth0, Tcp(Node1, NodePort, Client, 60100, "F.", 1516336145, 3812172785)));
        Feed(analyzer, frames);

        Feed(analyzer, EbpfDsr(client: Client2, start: Start + 2 * Second));

        Assert.Equal(1, analyzer.ConnectionsRetired);
        Assert.Equal(DatapathVerdict.IptablesSnat, analyzer.Snapshot().Connections[0].Verdict);
    }

    [Fact]
    public void Accept_HalfClosedConnection_IsNotRetiredAtTheLinger()
    {
        var analyzer = new CaptureAnalyzer(Options() with { ClosedLinger = TimeSpan.FromMilliseconds(500) });
        var frames = Iptables();
        frames.Add(Frame(Start + 40_000, Node1Eth0, Tcp(Client, 60100, Node1, NodePort, "F.", 3812172784, 1516336145)));
        Feed(analyzer, frames);

        Feed(analyzer, EbpfDsr(client: Client2, start: Start + 2 * Second));

        Assert.Equal(0, analyzer.ConnectionsRetired);
    }

    [Fact]
    public void Accept_ResetConnectionIdlePastTheLinger_IsRetired()
    {
        var analyzer = new CaptureAnalyzer(Options() with { ClosedLinger = TimeSpan.FromMilliseconds(500) });
        var frames = EbpfTunnel();
        frames.Add(Frame(Start + 40_000, Node1Eth0, Tcp(Client, 60116, Node1, NodePort, "R", 3852301491)));
        Feed(analyzer, frames);

        Feed(analyzer, EbpfDsr(client: Client2, start: Start + 2 * Second));

        Assert.Equal(1, analyzer.ConnectionsRetired);
        Assert.Equal(DatapathVerdict.EbpfTunnel, analyzer.Snapshot().Connections[0].Verdict);
    }

    [Fact]
    public void Accept_SameIsnAfterRetirement_StartsANewConnection()
    {
        var analyzer = new CaptureAnalyzer(Options() with { MatchWindow = TimeSpan.FromSeconds(1) });
        Feed(analyzer, Iptables());

        Feed(analyzer, Iptables(clientPort: 60200, start: Start + 3 * Second));

        var snapshot = analyzer.Snapshot();
        Assert.Equal(2, snapshot.Connections.Count);
        Assert.All(snapshot.Connections, c => Assert.Equal(DatapathVerdict.IptablesSnat, c.Verdict));
        Assert.Equal(60200, snapshot.Connections[1].Client.Port);
    }

    [Fact]
    public void Accept_ManyShortConnections_KeepOnlyRecentOnesActive()
    {
        var analyzer = new CaptureAnalyzer(Options() with { ClosedLinger = TimeSpan.FromMilliseconds(100), MaxPacketsPerConnection = 0 });
        for (var i = 0; i < 50; i++)
        {
            var start = Start + i * (Second / 5);
            var isn = 1000u + (uint)i * 100_000;
            var frames = Iptables(clientPort: 40000 + i, isn: isn, serverIsn: 7000, start: start);
            frames.Add(Frame(start + 40_000, Node1Eth0, Tcp(Client, 40000 + i, Node1, NodePort, "F.", isn + 1, 7001)));
            frames.Add(Frame(start + 50_000, Node1Eth0, Tcp(Node1, NodePort, Client, 40000 + i, "F.", 7001, isn + 2)));
            Feed(analyzer, frames);
        }

        var snapshot = analyzer.Snapshot();
        Assert.Equal(50, snapshot.Connections.Count);
        Assert.All(snapshot.Connections, c => Assert.Equal(DatapathVerdict.IptablesSnat, c.Verdict));
        Assert.InRange(analyzer.ActiveConnections, 1, 6);
        Assert.Equal(50, analyzer.ConnectionsRetired + analyzer.ActiveConnections);
    }

    private static void Feed(CaptureAnalyzer analyzer, IEnumerable<CapturedFrame> frames)
    {
        foreach (var frame in frames.OrderBy(f => f.TimestampNs))
        {
            analyzer.Accept(frame);
        }
    }
}
