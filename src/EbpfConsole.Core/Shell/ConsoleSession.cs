using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Events;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Shell;

public sealed record ConsoleSessionOptions(TimeSpan ProbeInterval, int MaxParallelProbes = 8, bool ReadOnly = false)
{
    public static ConsoleSessionOptions Default { get; } = new(TimeSpan.FromSeconds(10));
}

/// <summary>
/// The state behind the console shell: probes the nodes in the background (refreshes never overlap,
/// bounded fan-out), switches the datapath on request, and publishes an immutable snapshot that the UI
/// pulls on its timer. Outcomes and failures go to the event log; nothing here throws at the UI.
/// </summary>
public sealed class ConsoleSession : IConsoleActions, IAsyncDisposable
{
    private const string Source = "session";
    private readonly string _target;
    private readonly IReadOnlyList<NodeTarget> _targets;
    private readonly INodeProbe _probe;
    private readonly IDatapathControl? _datapath;
    private readonly EventLog _log;
    private readonly TimeProvider _time;
    private readonly ConsoleSessionOptions _options;
    private readonly PreflightRunner? _preflight;
    private readonly UserQuestions? _questions;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private readonly SemaphoreSlim _modeGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _publishGate = new();
    private NodeStatus[] _nodes;
    private volatile ModeState _modeState = new(null, null);
    private Task? _loop;
    private Task? _firstPreflight;
    private volatile ConsoleSnapshot? _latest;
    private bool _modeRead;

    public ConsoleSession(
        string target,
        IReadOnlyList<NodeTarget> nodes,
        INodeProbe probe,
        IDatapathControl? datapath,
        EventLog log,
        TimeProvider time,
        ConsoleSessionOptions options,
        PreflightRunner? preflight = null,
        UserQuestions? questions = null)
    {
        _target = target;
        _targets = nodes;
        _probe = probe;
        _datapath = datapath;
        _log = log;
        _time = time;
        _options = options;
        _preflight = preflight;
        _questions = questions;
        _nodes = nodes.Select(NodeStatus.NotYetChecked).ToArray();
    }

    /// <summary>The same instance until something changed, so the UI's reference check skips idle redraws.</summary>
    public ConsoleSnapshot Latest
    {
        get
        {
            var (mode, busy) = _modeState;
            var (nodes, events) = (Volatile.Read(ref _nodes), _log.Snapshot());
            var (preflight, question) = (_preflight?.Latest, _questions?.Current);
            if (_datapath is null && preflight?.Cluster is { } cluster)
            {
                mode = ClusterSummaries.DatapathOf(cluster); // a cluster's datapath as its objects say, read by preflight
            }

            var last = _latest;
            if (last is not null && last.Mode == mode && ReferenceEquals(last.Nodes, nodes) && ReferenceEquals(last.Events, events) && last.Busy == busy
                && ReferenceEquals(last.Preflight, preflight) && ReferenceEquals(last.Question, question))
            {
                return last;
            }

            return _latest = new ConsoleSnapshot(_target, mode, nodes, events, busy, _options.ReadOnly, preflight, question);
        }
    }

    /// <summary>Reads the mode, probes every node, then keeps probing every <see cref="ConsoleSessionOptions.ProbeInterval"/>.</summary>
    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    public async Task RefreshNodesAsync(CancellationToken cancellationToken)
    {
        if (!await _refreshGate.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return; // a refresh is already running; its result is what the caller wants
        }

        try
        {
            using var fanOut = new SemaphoreSlim(Math.Max(1, _options.MaxParallelProbes));
            await Task.WhenAll(_targets.Select(t => ProbeOneAsync(t, fanOut, cancellationToken))).ConfigureAwait(false);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>False (and a warning saying why) when the console is read-only or the target's datapath cannot be switched.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(_datapath))]
    private bool MaySwitch(string what)
    {
        if (_options.ReadOnly)
        {
            _log.Warn(Source, $"read-only: refused to {what}");
            return false;
        }

        if (_datapath is null)
        {
            _log.Warn(Source, $"{_target}: the datapath cannot be switched from the console");
            return false;
        }

        return true;
    }

    public async Task RunPreflightAsync(string? node, CancellationToken cancellationToken)
    {
        if (_preflight is null)
        {
            _log.Warn(Source, $"{_target}: preflight is not available here");
            return;
        }

        _log.Info("preflight", node is null ? "checking the cluster and every node…" : $"checking the cluster and {node}…");
        var result = await _preflight.RunAsync(node, cancellationToken).ConfigureAwait(false);
        if (result.Error is { } error)
        {
            _log.Error("preflight", $"could not run: {error}");
            return;
        }

        var counts = PreflightOutcome.Count(result);
        var took = result.FinishedAt - result.StartedAt is { } t ? $" in {t.TotalSeconds:0.0} s" : "";
        var line = $"{(node is null ? $"{result.Nodes.Count} nodes" : node)} checked{took}: {counts}";
        if (counts.Fail > 0 || counts.Unknown > 0)
        {
            _log.Warn("preflight", line);
        }
        else
        {
            _log.Info("preflight", line);
        }

        foreach (var unreachable in result.Nodes.Where(n => n.Failure is not null && (node is null || n.Node == node)))
        {
            _log.Error("preflight", $"{unreachable.Node}: {unreachable.Failure}");
        }
    }

    public void Answer(long questionId, string? answer) => _questions?.Answer(questionId, answer);

    public async Task ReleaseModeAsync(CancellationToken cancellationToken)
    {
        if (!MaySwitch("hand the datapath back"))
        {
            return;
        }

        await _modeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _modeState = _modeState with { Busy = "handing the datapath back" };
            await _datapath.ReleaseModeAsync(cancellationToken).ConfigureAwait(false);
            _log.Info(Source, "datapath handed back: the cluster's own state decides it again (the mode shows within seconds)");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.Error(Source, $"handing the datapath back failed: {e.Message}");
        }
        finally
        {
            _modeState = _modeState with { Busy = null };
            _modeGate.Release();
        }

        await ReadModeAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SetModeAsync(DatapathMode mode, CancellationToken cancellationToken)
    {
        if (!MaySwitch($"switch the datapath to {mode.ToName()}"))
        {
            return;
        }

        await _modeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _modeState = _modeState with { Busy = $"switching to {mode.ToName()}" };
            _log.Info(Source, $"switching the datapath to {mode.ToName()}…");
            await _datapath.SetModeAsync(mode, cancellationToken).ConfigureAwait(false);
            _modeState = new ModeState(mode, null);
            _log.Info(Source, $"datapath is now {mode.ToName()}, held there until you choose auto (m)");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.Error(Source, $"switching to {mode.ToName()} failed: {e.Message}");
            await ReadModeLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _modeState = _modeState with { Busy = null };
            _modeGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping: cancellation during shutdown is not an error.
            }
        }

        if (_firstPreflight is not null)
        {
            await _firstPreflight.ConfigureAwait(false); // it handles its own failures and cancellation
        }

        _stop.Dispose();
        _refreshGate.Dispose();
        _modeGate.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_preflight is not null)
        {
            _firstPreflight = Task.Run(() => RunPreflightLoggedAsync(cancellationToken), CancellationToken.None);
        }

        using var timer = new PeriodicTimer(_options.ProbeInterval, _time);
        do
        {
            await ReadModeAsync(cancellationToken).ConfigureAwait(false);
            await RefreshNodesAsync(cancellationToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    private async Task RunPreflightLoggedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunPreflightAsync(null, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: cancellation during shutdown is not an error.
        }
        catch (Exception e)
        {
            _log.Error("preflight", $"stopped: {e.Message}");
        }
    }

    /// <summary>
    /// Re-reads the mode (someone may switch it from another terminal), unless a switch of ours is running:
    /// then that switch decides, and an older read can never overwrite it.
    /// </summary>
    internal async Task ReadModeAsync(CancellationToken cancellationToken)
    {
        if (_datapath is null || !await _modeGate.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await ReadModeLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _modeGate.Release();
        }
    }

    private async Task ReadModeLockedAsync(CancellationToken cancellationToken)
    {
        var before = _modeState.Mode;
        DatapathMode? mode;
        try
        {
            mode = await _datapath!.GetModeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            mode = null;
            _log.Error(Source, $"could not read the datapath mode: {e.Message}");
        }

        _modeState = _modeState with { Mode = mode };
        if (mode != before || !_modeRead)
        {
            _modeRead = true;
            _log.Info(Source, $"datapath mode: {(mode is { } m ? m.ToName() : "unknown")}");
        }
    }

    private async Task ProbeOneAsync(NodeTarget target, SemaphoreSlim fanOut, CancellationToken cancellationToken)
    {
        await fanOut.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var before = Find(target.Name);
            if (before.Reachability == Reachability.Unknown)
            {
                // First contact shows progress; a re-probe keeps the last result on screen (no flicker every cycle).
                Publish(before with { Reachability = Reachability.Checking });
            }
            NodeStatus after;
            try
            {
                after = await _probe.ProbeAsync(target, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A probe should report failures as results; one that throws (even a stray cancellation from
                // its own timeout) still must not stop the probing or take the session down.
                after = before with { Reachability = Reachability.Unreachable, Error = e.Message, CheckedAt = _time.GetUtcNow() };
            }

            Publish(after);
            LogTransition(before, after);
        }
        finally
        {
            fanOut.Release();
        }
    }

    private NodeStatus Find(string name) => Volatile.Read(ref _nodes).First(n => n.Name == name);

    private void Publish(NodeStatus status)
    {
        lock (_publishGate)
        {
            var next = (NodeStatus[])_nodes.Clone();
            next[Array.FindIndex(next, n => n.Name == status.Name)] = status;
            Volatile.Write(ref _nodes, next);
        }
    }

    private void LogTransition(NodeStatus before, NodeStatus after)
    {
        if (after.Reachability == Reachability.Reachable && (before.Reachability != Reachability.Reachable || before.Kernel != after.Kernel))
        {
            _log.Info("ssh", $"{after.Name} ({after.Address}) reachable: hostname {after.Hostname}, kernel {after.Kernel}");
        }
        else if (after.Reachability == Reachability.Unreachable && (before.Reachability != Reachability.Unreachable || before.Error != after.Error))
        {
            _log.Error("ssh", $"{after.Name} ({after.Address}) unreachable: {after.Error}");
        }
    }

    /// <summary>Mode and running work, published together so a reader never sees one without the other.</summary>
    private sealed record ModeState(DatapathMode? Mode, string? Busy);
}
