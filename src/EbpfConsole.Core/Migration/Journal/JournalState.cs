using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Core.Migration.Journal;

/// <summary>One mutation as the journal knows it. <see cref="Done"/> false: begun but never confirmed (killed mid-request).</summary>
/// <param name="Seq">The MutationBegin entry's sequence number.</param>
/// <param name="Target">The object.</param>
/// <param name="Change">create, patch, replace, delete, restart.</param>
/// <param name="Before">The object before (null = absent).</param>
/// <param name="After">The object as the server answered; null when not confirmed or deleted.</param>
/// <param name="Done">The server confirmed it.</param>
public sealed record JournalMutation(long Seq, ObjectRef Target, string Change, JsonObject? Before, JsonObject? After, bool Done);

/// <summary>What the journal says about one step.</summary>
/// <param name="Step">The step.</param>
/// <param name="State">Done (applied and verified, or found done), Failed, RolledBack, Interrupted, Pending (applied but not verified yet counts as Failed when verify failed).</param>
/// <param name="AppliedAt">When the last apply ended (applied).</param>
/// <param name="Message">The last outcome's message.</param>
/// <param name="VerifyLines">The last verify's evidence.</param>
/// <param name="Mutations">The mutations of the applies since the last rollback, oldest first (what a rollback restores).</param>
/// <param name="Force">The reason given when the step ran blocked.</param>
public sealed record StepRecord(
    StepId Step,
    StepState State,
    DateTimeOffset? AppliedAt,
    string? Message,
    IReadOnlyList<string> VerifyLines,
    IReadOnlyList<JournalMutation> Mutations,
    string? Force);

/// <summary>An operation that began and never ended: the console was killed or lost its connection.</summary>
/// <param name="Step">The step.</param>
/// <param name="Op">Apply or rollback.</param>
/// <param name="Since">When it began.</param>
/// <param name="Unconfirmed">A mutation that was sent but not confirmed, if any: it may or may not have happened.</param>
public sealed record InterruptedOperation(StepId Step, JournalOp Op, DateTimeOffset Since, JournalMutation? Unconfirmed);

/// <summary>
/// The journal replayed: M0's snapshot, each step's state and the mutations a rollback would restore, and an
/// interrupted operation if the last one never ended. Dry-run entries are listed but change no state.
/// </summary>
public sealed class JournalState
{
    private readonly Dictionary<StepId, StepRecord> _steps;

    private JournalState(
        IReadOnlyList<JournalEntry> entries,
        Dictionary<StepId, StepRecord> steps,
        IReadOnlyDictionary<string, (ObjectRef Target, JsonObject? Json)> snapshot,
        DateTimeOffset? snapshotAt,
        InterruptedOperation? interrupted)
    {
        Entries = entries;
        _steps = steps;
        Snapshot = snapshot;
        SnapshotAt = snapshotAt;
        Interrupted = interrupted;
    }

    public static JournalState Empty { get; } = Replay([]);

    public IReadOnlyList<JournalEntry> Entries { get; }

    /// <summary>M0's objects by <see cref="ObjectRef.Key"/> (the last snapshot taken); Json null = absent then.</summary>
    public IReadOnlyDictionary<string, (ObjectRef Target, JsonObject? Json)> Snapshot { get; }

    public DateTimeOffset? SnapshotAt { get; }

    public InterruptedOperation? Interrupted { get; }

    /// <summary>The step's record; null when the journal never mentions it.</summary>
    public StepRecord? Step(StepId step) => _steps.GetValueOrDefault(step);

    /// <summary>Steps whose changes are in force (applied, not rolled back), in the order they were applied.</summary>
    public IReadOnlyList<StepId> Applied => _steps.Values
        .Where(s => s.Mutations.Count > 0)
        .OrderBy(s => s.Mutations[0].Seq)
        .Select(s => s.Step)
        .ToList();

    public static JournalState Replay(IReadOnlyList<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var steps = new Dictionary<StepId, StepRecord>();
        var mutations = new Dictionary<StepId, List<JournalMutation>>();
        var snapshot = new Dictionary<string, (ObjectRef Target, JsonObject? Json)>(StringComparer.Ordinal);
        DateTimeOffset? snapshotAt = null;
        (StepId Step, JournalOp Op, DateTimeOffset Since, bool DryRun)? open = null;
        JournalMutation? unconfirmed = null;

        StepRecord Record(StepId id) => steps.TryGetValue(id, out var r)
            ? r
            : steps[id] = new StepRecord(id, StepState.Pending, null, null, [], [], null);

        List<JournalMutation> Mutations(StepId id) => mutations.TryGetValue(id, out var list) ? list : mutations[id] = [];

        foreach (var e in entries)
        {
            switch (e.Type)
            {
                case JournalEntryType.Snapshot when e.Target is not null && !e.DryRun:
                    snapshotAt = e.At;
                    snapshot[e.Target.Key] = (e.Target, e.Before);
                    break;
                case JournalEntryType.Check when e.Step is { } id && !e.DryRun:
                    steps[id] = Record(id) with { State = StepState.Done, Message = e.Message };
                    break;
                case JournalEntryType.StepBegin when e.Step is { } id && e.Op is { } op:
                    open = (id, op, e.At, e.DryRun);
                    unconfirmed = null;
                    if (id == StepId.M0 && op == JournalOp.Apply && !e.DryRun)
                    {
                        snapshot.Clear();
                    }

                    if (!e.DryRun && op == JournalOp.Apply && Record(id).State is StepState.RolledBack)
                    {
                        Mutations(id).Clear();
                    }

                    if (!e.DryRun && e.Force is not null)
                    {
                        steps[id] = Record(id) with { Force = e.Force };
                    }

                    break;
                case JournalEntryType.MutationBegin when e.Step is { } id && e.Target is not null && !e.DryRun:
                    unconfirmed = new JournalMutation(e.Seq, e.Target, e.Change ?? "patch", e.Before, null, false);
                    if (open is { Op: JournalOp.Apply })
                    {
                        Mutations(id).Add(unconfirmed);
                    }

                    break;
                case JournalEntryType.MutationDone when e.Step is { } id && !e.DryRun && unconfirmed is not null:
                    var done = unconfirmed with { After = e.After, Done = true };
                    var list = Mutations(id);
                    var at = list.FindIndex(m => m.Seq == unconfirmed.Seq);
                    if (at >= 0)
                    {
                        list[at] = done;
                    }

                    unconfirmed = null;
                    break;
                case JournalEntryType.MutationFailed when e.Step is { } id && !e.DryRun && unconfirmed is not null:
                    Mutations(id).RemoveAll(m => m.Seq == unconfirmed.Seq);
                    unconfirmed = null;
                    break;
                case JournalEntryType.StepEnd when e.Step is { } id && e.Op is { } op:
                    open = null;
                    unconfirmed = null;
                    if (e.DryRun)
                    {
                        break;
                    }

                    var record = Record(id);
                    steps[id] = (op, e.Outcome) switch
                    {
                        (JournalOp.Apply, "applied") => record with { State = StepState.Running, AppliedAt = e.At, Message = e.Message },
                        (JournalOp.Rollback, "rolled-back") => record with { State = StepState.RolledBack, Message = e.Message },
                        (_, "cancelled") => record with { Message = e.Message },
                        (JournalOp.Rollback, _) => record with { Message = $"rollback stopped: {e.Message}" }, // its changes are still in force
                        _ => record with { State = StepState.Failed, Message = e.Message },
                    };
                    if (op == JournalOp.Rollback && e.Outcome == "rolled-back")
                    {
                        Mutations(id).Clear();
                    }

                    break;
                case JournalEntryType.Verify when e.Step is { } id && !e.DryRun:
                    var verified = Record(id);
                    var ok = e.Outcome == "ok";
                    steps[id] = verified with
                    {
                        State = verified.State is StepState.RolledBack ? StepState.RolledBack : ok ? StepState.Done : StepState.Failed,
                        Message = e.Message ?? verified.Message,
                        VerifyLines = e.Lines ?? [],
                    };
                    break;
            }
        }

        InterruptedOperation? interrupted = null;
        if (open is { DryRun: false } o)
        {
            interrupted = new InterruptedOperation(o.Step, o.Op, o.Since, unconfirmed);
            steps[o.Step] = Record(o.Step) with { State = StepState.Interrupted, Message = $"the console stopped during {(o.Op == JournalOp.Apply ? "apply" : "rollback")} (begun {o.Since:u})" };
        }

        foreach (var (id, list) in mutations)
        {
            steps[id] = Record(id) with { Mutations = list.ToList() };
        }

        // An apply that ended "applied" but was never verified (killed during verify) is interrupted too.
        foreach (var (id, record) in steps.ToList())
        {
            if (record.State == StepState.Running)
            {
                steps[id] = record with { State = StepState.Interrupted, Message = "applied; the console stopped before verify finished" };
                interrupted ??= new InterruptedOperation(id, JournalOp.Apply, record.AppliedAt ?? DateTimeOffset.MinValue, null);
            }
        }

        return new JournalState(entries, steps, snapshot, snapshotAt, interrupted);
    }
}
