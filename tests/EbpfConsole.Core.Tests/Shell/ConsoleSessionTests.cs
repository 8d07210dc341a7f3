using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Events;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Shell;

namespace EbpfConsole.Core.Tests.Shell;

public sealed class ConsoleSessionTests
{
    private static readonly NodeTarget Node1 = new("node-1", "10.0.0.1");
    private static readonly NodeTarget Node2 = new("node-2", "10.0.0.2");

    [Fact]
    public void Latest_BeforeAnyProbe_ListsNodesAsUnknown()
    {
        var session = NewSession(new FakeProbe(), out _);

        var latest = session.Latest;

        Assert.Equal(["node-1", "node-2"], latest.Nodes.Select(n => n.Name));
        Assert.All(latest.Nodes, n => Assert.Equal(Reachability.Unknown, n.Reachability));
        Assert.Null(latest.Mode);
    }

    [Fact]
    public async Task RefreshNodes_PublishesEachProbeResult_AndLogsReachability()
    {
        var probe = new FakeProbe();
        probe.Results["node-2"] = t => new NodeStatus(t.Name, t.Address, Reachability.Unreachable, Error: "connection refused");
        var session = NewSession(probe, out var log);

        await session.RefreshNodesAsync(CancellationToken.None);

        var nodes = session.Latest.Nodes;
        Assert.Equal(Reachability.Reachable, nodes[0].Reachability);
        Assert.Equal("host-node-1", nodes[0].Hostname);
        Assert.Equal(Reachability.Unreachable, nodes[1].Reachability);
        Assert.Contains(log.Snapshot(), e => e.Level == EventLevel.Error && e.Message.Contains("node-2 (10.0.0.2) unreachable: connection refused", StringComparison.Ordinal));
        Assert.Contains(log.Snapshot(), e => e.Level == EventLevel.Info && e.Message.Contains("node-1 (10.0.0.1) reachable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Latest_NothingChanged_ReturnsTheSameInstance_ChangeGivesANewOne()
    {
        var session = NewSession(new FakeProbe(), out _);
        var first = session.Latest;

        Assert.Same(first, session.Latest);
        await session.RefreshNodesAsync(CancellationToken.None);

        Assert.NotSame(first, session.Latest);
        Assert.Equal(Reachability.Reachable, session.Latest.Nodes[0].Reachability);
    }

    [Fact]
    public async Task RefreshNodes_SameResultTwice_LogsTheTransitionOnce()
    {
        var session = NewSession(new FakeProbe(), out var log);

        await session.RefreshNodesAsync(CancellationToken.None);
        await session.RefreshNodesAsync(CancellationToken.None);

        Assert.Single(log.Snapshot(), e => e.Message.StartsWith("node-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefreshNodes_ProbeThrows_NodeIsUnreachableWithTheMessage()
    {
        var probe = new FakeProbe();
        probe.Results["node-1"] = _ => throw new InvalidOperationException("boom");
        var session = NewSession(probe, out _);

        await session.RefreshNodesAsync(CancellationToken.None);

        var node = session.Latest.Nodes[0];
        Assert.Equal(Reachability.Unreachable, node.Reachability);
        Assert.Equal("boom", node.Error);
    }

    [Fact]
    public async Task SetMode_Succeeds_ModeShownAndNotBusyAfterwards()
    {
        var datapath = new FakeDatapath();
        var session = NewSession(new FakeProbe(), out _, datapath);

        await session.SetModeAsync(DatapathMode.EbpfDsr, CancellationToken.None);

        Assert.Equal(DatapathMode.EbpfDsr, session.Latest.Mode);
        Assert.Equal([DatapathMode.EbpfDsr], datapath.Requested);
        Assert.Null(session.Latest.Busy);
    }

    [Fact]
    public async Task SetMode_ReadOnly_IsRefusedWithoutTouchingTheDatapath()
    {
        var datapath = new FakeDatapath();
        var session = NewSession(new FakeProbe(), out var log, datapath, readOnly: true);

        await session.SetModeAsync(DatapathMode.EbpfTunnel, CancellationToken.None);

        Assert.Empty(datapath.Requested);
        Assert.True(session.Latest.ReadOnly);
        Assert.Contains(log.Snapshot(), e => e.Level == EventLevel.Warning && e.Message.Contains("read-only", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReleaseMode_HandsTheDatapathBack_ThenReadsWhatTheTargetChose()
    {
        var datapath = new FakeDatapath { Current = DatapathMode.EbpfDsr };
        var session = NewSession(new FakeProbe(), out var log, datapath);

        await session.ReleaseModeAsync(CancellationToken.None);

        Assert.Equal(1, datapath.Releases);
        Assert.Equal(DatapathMode.EbpfDsr, session.Latest.Mode);
        Assert.Null(session.Latest.Busy);
        Assert.Contains(log.Snapshot(), e => e.Message.Contains("handed back", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReleaseMode_ReadOnly_IsRefused()
    {
        var datapath = new FakeDatapath();
        var session = NewSession(new FakeProbe(), out _, datapath, readOnly: true);

        await session.ReleaseModeAsync(CancellationToken.None);

        Assert.Equal(0, datapath.Releases);
    }

    [Fact]
    public async Task SetMode_Fails_ErrorLoggedAndModeReadBack()
    {
        var datapath = new FakeDatapath { Current = DatapathMode.Iptables, Failure = new InvalidOperationException("iptables exited 4") };
        var session = NewSession(new FakeProbe(), out var log, datapath);

        await session.SetModeAsync(DatapathMode.EbpfDsr, CancellationToken.None);

        Assert.Equal(DatapathMode.Iptables, session.Latest.Mode);
        Assert.Contains(log.Snapshot(), e => e.Level == EventLevel.Error && e.Message.Contains("iptables exited 4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefreshNodes_WhileProbing_FirstContactShowsChecking_ReprobeKeepsTheLastResult()
    {
        var probe = new FakeProbe();
        var session = NewSession(probe, out _);
        var seen = new List<Reachability>();
        probe.Results["node-1"] = t =>
        {
            seen.Add(session.Latest.Nodes[0].Reachability);
            return new NodeStatus(t.Name, t.Address, Reachability.Reachable);
        };

        await session.RefreshNodesAsync(CancellationToken.None);
        await session.RefreshNodesAsync(CancellationToken.None);

        Assert.Equal([Reachability.Checking, Reachability.Reachable], seen);
    }

    [Fact]
    public async Task RefreshNodes_ProbeThrowsItsOwnCancellation_NodeIsUnreachableAndProbingGoesOn()
    {
        var probe = new FakeProbe();
        probe.Results["node-1"] = _ => throw new OperationCanceledException("the probe's own timeout");
        var session = NewSession(probe, out _);

        await session.RefreshNodesAsync(CancellationToken.None);

        Assert.Equal(Reachability.Unreachable, session.Latest.Nodes[0].Reachability);
        Assert.Equal(Reachability.Reachable, session.Latest.Nodes[1].Reachability);
    }

    [Fact]
    public async Task ReadMode_SwitchedFromElsewhere_SnapshotFollowsAndLogsTheChangeOnce()
    {
        var datapath = new FakeDatapath { Current = DatapathMode.Iptables };
        var session = NewSession(new FakeProbe(), out var log, datapath);
        await session.ReadModeAsync(CancellationToken.None);

        datapath.Current = DatapathMode.EbpfDsr;
        await session.ReadModeAsync(CancellationToken.None);
        await session.ReadModeAsync(CancellationToken.None);

        Assert.Equal(DatapathMode.EbpfDsr, session.Latest.Mode);
        Assert.Single(log.Snapshot(), e => e.Message == "datapath mode: ebpf-dsr");
    }

    [Fact]
    public async Task ReadMode_StartedBeforeOurSwitch_CannotOverwriteItWithTheOldMode()
    {
        var slowRead = new TaskCompletionSource();
        var datapath = new FakeDatapath { Current = DatapathMode.Iptables, ReadGate = slowRead.Task };
        var session = NewSession(new FakeProbe(), out _, datapath);

        var reading = session.ReadModeAsync(CancellationToken.None); // has read "iptables", not yet published
        var switching = session.SetModeAsync(DatapathMode.EbpfDsr, CancellationToken.None);
        slowRead.SetResult();
        await Task.WhenAll(reading, switching);

        Assert.Equal(DatapathMode.EbpfDsr, session.Latest.Mode);
        Assert.Null(session.Latest.Busy);
    }

    [Fact]
    public async Task SetMode_WhileRunning_IsBusy()
    {
        var release = new TaskCompletionSource();
        var datapath = new FakeDatapath { Current = DatapathMode.Iptables, Gate = release.Task };
        var session = NewSession(new FakeProbe(), out _, datapath);

        var switching = session.SetModeAsync(DatapathMode.EbpfDsr, CancellationToken.None);
        Assert.Equal("switching to ebpf-dsr", session.Latest.Busy);
        release.SetResult();
        await switching;

        Assert.Null(session.Latest.Busy);
    }

    private static ConsoleSession NewSession(FakeProbe probe, out EventLog log, FakeDatapath? datapath = null, bool readOnly = false)
    {
        log = new EventLog(TimeProvider.System);
        return new ConsoleSession("test", [Node1, Node2], probe, datapath, log, TimeProvider.System, ConsoleSessionOptions.Default with { ReadOnly = readOnly });
    }

    private sealed class FakeProbe : INodeProbe
    {
        public Dictionary<string, Func<NodeTarget, NodeStatus>> Results { get; } = [];

        public Task<NodeStatus> ProbeAsync(NodeTarget target, CancellationToken cancellationToken) =>
            Task.FromResult(Results.TryGetValue(target.Name, out var result)
                ? result(target)
                : new NodeStatus(target.Name, target.Address, Reachability.Reachable, "host-" + target.Name, "6.1.0"));
    }

    private sealed class FakeDatapath : IDatapathControl
    {
        public DatapathMode? Current { get; set; }

        public Exception? Failure { get; init; }

        public Task Gate { get; init; } = Task.CompletedTask;

        public List<DatapathMode> Requested { get; } = [];

        public Task ReadGate { get; init; } = Task.CompletedTask;

        public async Task<DatapathMode?> GetModeAsync(CancellationToken cancellationToken)
        {
            var current = Current;
            await ReadGate;
            return current;
        }

        public int Releases { get; private set; }

        public Task ReleaseModeAsync(CancellationToken cancellationToken)
        {
            Releases++;
            return Task.CompletedTask;
        }

        public async Task SetModeAsync(DatapathMode mode, CancellationToken cancellationToken)
        {
            Requested.Add(mode);
            await Gate;
            if (Failure is not null)
            {
                throw Failure;
            }

            Current = mode;
        }
    }
}
