using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Events;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Shell;

namespace EbpfConsole.Tui.Tests;

/// <summary>A session that records what the shell asked of it.</summary>
internal sealed class FakeActions : IConsoleActions
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private ConsoleSnapshot _latest;

    public FakeActions(ConsoleSnapshot latest) => _latest = latest;

    public ConsoleSnapshot Latest
    {
        get => LatestFails is { } error ? throw error : _latest;
        set => _latest = value;
    }

    /// <summary>When set, reading <see cref="Latest"/> throws it.</summary>
    public Exception? LatestFails { get; set; }

    /// <summary>When set, refreshes wait for it: lets a test hold a refresh running.</summary>
    public TaskCompletionSource? RefreshGate { get; set; }

    public int RefreshCalls;

    public List<DatapathMode> ModeCalls { get; } = [];

    public Exception? FailWith { get; set; }

    public Task RefreshNodesAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref RefreshCalls);
        if (RefreshGate is { } gate)
        {
            return gate.Task.WaitAsync(cancellationToken);
        }

        return FailWith is null ? Task.CompletedTask : Task.FromException(FailWith);
    }

    public List<string?> PreflightCalls { get; } = [];

    public List<(long Id, string? Answer)> Answers { get; } = [];

    public Task RunPreflightAsync(string? node, CancellationToken cancellationToken)
    {
        lock (PreflightCalls)
        {
            PreflightCalls.Add(node);
        }

        return Task.CompletedTask;
    }

    public void Answer(long questionId, string? answer)
    {
        lock (Answers)
        {
            Answers.Add((questionId, answer));
        }
    }

    public int ReleaseCalls;

    public Task ReleaseModeAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref ReleaseCalls);
        return Task.CompletedTask;
    }

    public Task SetModeAsync(DatapathMode mode, CancellationToken cancellationToken)
    {
        lock (ModeCalls)
        {
            ModeCalls.Add(mode);
        }

        return Task.CompletedTask;
    }

    public static NodeStatus Up => new("node-1", "10.99.0.11", Reachability.Reachable, "lab-node-1", "6.8.0-49-generic", null, T0);

    public static NodeStatus Down => new("node-2", "10.99.0.12", Reachability.Unreachable, null, null,
        "ssh: connect to 10.99.0.12:22: Connection refused", T0);

    public static ConsoleSnapshot Lab(DatapathMode? mode = DatapathMode.EbpfTunnel, string? busy = null, bool readOnly = false) =>
        new("lab", mode, [Up, Down],
        [
            new(T0, "lab", EventLevel.Info, "lab is up: 2 nodes"),
            new(T0.AddSeconds(2), "ssh", EventLevel.Error, "node-2: connection refused"),
        ], busy, readOnly);
}
