using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Migration.Journal;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Migration;

/// <summary>
/// Runs the plan: status (live Check + journal + gates), previews, apply of an approved preview (journalled before
/// and after every mutation, with the object as it was), verify with proof captures around datapath steps, and
/// rollback by restoring the journal's objects. One operation at a time per engine (callers serialise).
/// </summary>
public sealed partial class MigrationEngine
{
    private readonly IMigrationApi _api;
    private readonly IMigrationJournal _journal;
    private readonly TimeProvider _time;
    private readonly INodeShell? _nodes;
    private readonly Func<string, Nodes.NodeTarget?>? _nodeTarget;
    private readonly IDatapathProof? _proof;
    private JournalState _state;

    public MigrationEngine(
        IMigrationApi api,
        MigrationTarget target,
        IReadOnlyList<MigrationStep> plan,
        IMigrationJournal journal,
        TimeProvider time,
        MigrationOptions options,
        INodeShell? nodes = null,
        Func<string, Nodes.NodeTarget?>? nodeTarget = null,
        IDatapathProof? proof = null)
    {
        _api = api;
        Target = target;
        Plan = plan;
        _journal = journal;
        _time = time;
        Options = options;
        _nodes = nodes;
        _nodeTarget = nodeTarget;
        _proof = proof;
        _state = JournalState.Replay(journal.ReadAll());
    }

    public MigrationTarget Target { get; }

    public IReadOnlyList<MigrationStep> Plan { get; }

    public MigrationOptions Options { get; }

    /// <summary>The journal replayed, as of the last entry written.</summary>
    public JournalState Journal => _state;

    public string JournalLocation => _journal.Location;

    /// <summary>Progress lines of the running operation ("M3: 1/2 calico-node pods Ready").</summary>
    public event Action<StepId, string>? Progress;

    /// <summary>A proof pair was captured (before, after): the Capture pane may show it.</summary>
    public event Action<StepId, ProofCapture, ProofCapture>? ProofTaken;

    public MigrationStep Step(StepId id) =>
        Plan.FirstOrDefault(s => s.Id == id) ?? throw new ArgumentException($"{id} is not part of the plan", nameof(id));

    /// <summary>Every step's state, in plan order.</summary>
    public async Task<IReadOnlyList<StepStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        var result = new List<StepStatus>();
        var done = new HashSet<StepId>();
        foreach (var step in Plan)
        {
            var status = await StatusOfAsync(step, done, cancellationToken).ConfigureAwait(false);
            if (status.State is StepState.Done or StepState.NotApplicable)
            {
                done.Add(step.Id);
            }

            result.Add(status);
        }

        return result;
    }

    /// <summary>One step's state (checks the steps it depends on too).</summary>
    public async Task<StepStatus> StatusAsync(StepId id, CancellationToken cancellationToken)
    {
        var all = await StatusAsync(cancellationToken).ConfigureAwait(false);
        return all.First(s => s.Step.Id == id);
    }

    /// <summary>The exact changes applying <paramref name="id"/> would make now. Throws <see cref="MigrationApiException"/>.</summary>
    public Task<StepPreview> PreviewAsync(StepId id, CancellationToken cancellationToken) =>
        Step(id).PreviewAsync(Context(id), cancellationToken);

    /// <summary>Runs the step's Verify (for datapath steps with a proof capture after it) and journals the result.</summary>
    public async Task<VerifyResult> VerifyAsync(StepId id, CancellationToken cancellationToken) =>
        (await VerifyWithProofAsync(Step(id), rollback: false, cancellationToken).ConfigureAwait(false)).Verify;

    internal StepContext Context(StepId id) => new(
        _api,
        Target,
        _state,
        _time,
        Options,
        new Progress<string>(line => Progress?.Invoke(id, line)),
        _nodes,
        _nodeTarget);

    private async Task<StepStatus> StatusOfAsync(MigrationStep step, HashSet<StepId> done, CancellationToken cancellationToken)
    {
        var record = _state.Step(step.Id);
        if (step.NotApplicableReason(Target) is { } na)
        {
            // Applied earlier (M1 makes itself n/a: kube-proxy is iptables now) — it stays in the plan, rollback-able.
            return record is { Mutations.Count: > 0 } applied
                ? new(step, applied.State is StepState.Interrupted or StepState.Failed ? applied.State : StepState.Done, applied.Message ?? "applied (see the journal)")
                : new(step, StepState.NotApplicable, na);
        }

        if (record?.State == StepState.Interrupted)
        {
            return new(step, StepState.Interrupted, record.Message ?? "interrupted");
        }

        StepCheck check;
        try
        {
            check = await step.CheckAsync(Context(step.Id), cancellationToken).ConfigureAwait(false);
        }
        catch (MigrationApiException ex)
        {
            return new(step, StepState.Pending, $"could not check: {ex.Message}");
        }

        if (check.State == StepState.Done && record is { State: StepState.Failed, Mutations.Count: > 0 })
        {
            // In place, but our apply's verify failed: not done until it verifies (apply again re-verifies).
            return new(step, StepState.Failed, $"{record.Message ?? "verify failed"}; apply again to verify again");
        }

        if (check.State is StepState.Done or StepState.NotApplicable)
        {
            return new(step, check.State, check.Reason);
        }

        if (check.State == StepState.Blocked)
        {
            return new(step, StepState.Blocked, check.Reason);
        }

        if (Gate(step, done) is { } blocked)
        {
            return Options.ForceReason is null
                ? new(step, StepState.Blocked, blocked)
                : new(step, StepState.Pending, $"{check.Reason} (forced past: {blocked})");
        }

        return record?.State switch
        {
            StepState.Failed => new(step, StepState.Failed, record.Message ?? check.Reason),
            StepState.RolledBack => new(step, StepState.RolledBack, $"rolled back; {check.Reason}"),
            _ => new(step, StepState.Pending, check.Reason),
        };
    }

    /// <summary>Why the step may not run yet: an earlier step not done, or a failed preflight check it depends on.</summary>
    private string? Gate(MigrationStep step, HashSet<StepId> done)
    {
        var missing = step.After.Where(a => !done.Contains(a) && Plan.Any(p => p.Id == a && p.NotApplicableReason(Target) is null)).ToList();
        if (missing.Count > 0)
        {
            return $"{string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not done yet";
        }

        var fails = step.BlockingChecks
            .SelectMany(id => Target.FailedChecks.TryGetValue(id, out var results) ? results : [])
            .ToList();
        if (fails.Count == 0)
        {
            return null;
        }

        var first = fails[0];
        var more = fails.Count > 1 ? $" (+{fails.Count - 1} more)" : "";
        return $"preflight {first.Id} fails{(first.Node is null ? "" : $" on {first.Node}")}: {first.Reason}{more}";
    }

    private JournalEntry Write(JournalEntry entry)
    {
        var written = _journal.Append(entry);
        _state = JournalState.Replay(_journal.ReadAll());
        return written;
    }

    private void Report(StepId id, string line) => Progress?.Invoke(id, line);
}
