using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Migration.Journal;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Migration;

/// <summary>
/// What a step sees: the API, the target's facts, the journal so far (M0's snapshot, what was applied and when),
/// the clock, a progress sink and the options. Node commands go through <see cref="Nodes"/> when available.
/// </summary>
public sealed class StepContext(
    IMigrationApi api,
    MigrationTarget target,
    JournalState journal,
    TimeProvider time,
    MigrationOptions options,
    IProgress<string>? progress = null,
    INodeShell? nodes = null,
    Func<string, Nodes.NodeTarget?>? nodeTarget = null)
{
    public IMigrationApi Api => api;

    public MigrationTarget Target => target;

    public JournalState Journal => journal;

    public TimeProvider Time => time;

    public MigrationOptions Options => options;

    /// <summary>Runs node commands; null when the console has no SSH to nodes.</summary>
    public INodeShell? Nodes => nodes;

    /// <summary>The SSH target of a node by name; null when unknown.</summary>
    public Nodes.NodeTarget? NodeTarget(string node) => nodeTarget?.Invoke(node);

    /// <summary>One line of progress ("2/3 calico-node pods Ready").</summary>
    public void Report(string line) => progress?.Report(line);

    /// <summary>When this step's last apply finished, from the journal (log lines older than that do not count).</summary>
    public DateTimeOffset? AppliedAt(StepId step) => journal.Step(step)?.AppliedAt;
}
