using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Events;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Shell;

/// <summary>
/// Everything the console shell shows, as one immutable value. Producers build a new one; the UI pulls
/// the latest on a timer (DESIGN.md, "Data flow").
/// </summary>
/// <param name="Target">What the console is attached to, e.g. "lab".</param>
/// <param name="Mode">The datapath in force, when known.</param>
/// <param name="Nodes">Latest status per node, in display order.</param>
/// <param name="Events">The console's event log, oldest first.</param>
/// <param name="Busy">A description of running work (e.g. "switching to ebpf-dsr"), or null when idle.</param>
/// <param name="ReadOnly">True when every mutation is refused.</param>
/// <param name="Preflight">The latest preflight run (the Nodes pane's matrix); null when preflight is not available.</param>
/// <param name="Question">A question background work waits on (unknown host key, key passphrase); null when none.</param>
public sealed record ConsoleSnapshot(
    string Target,
    DatapathMode? Mode,
    IReadOnlyList<NodeStatus> Nodes,
    IReadOnlyList<ConsoleEvent> Events,
    string? Busy = null,
    bool ReadOnly = false,
    PreflightSnapshot? Preflight = null,
    UserQuestion? Question = null)
{
    public static ConsoleSnapshot Empty(string target) => new(target, null, [], []);
}

/// <summary>What the shell can ask its session to do. Implementations report outcomes in the event log.</summary>
public interface IConsoleActions
{
    /// <summary>The latest state; cheap, called by the UI about ten times a second.</summary>
    ConsoleSnapshot Latest { get; }

    /// <summary>Re-probe every node now.</summary>
    Task RefreshNodesAsync(CancellationToken cancellationToken);

    /// <summary>Switch the datapath (the lab's manual override).</summary>
    Task SetModeAsync(DatapathMode mode, CancellationToken cancellationToken);

    /// <summary>Run the preflight checks again: every node, or only <paramref name="node"/> (the cluster checks are read again too).</summary>
    Task RunPreflightAsync(string? node, CancellationToken cancellationToken);

    /// <summary>Answer <see cref="ConsoleSnapshot.Question"/> <paramref name="questionId"/>: "yes", the secret, or null (no / skip).</summary>
    void Answer(long questionId, string? answer);

    /// <summary>End a manual override: the target's own state decides the datapath again (the lab: its API objects).</summary>
    Task ReleaseModeAsync(CancellationToken cancellationToken);
}
