using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Migration.Journal;

namespace EbpfConsole.Core.Migration;

public sealed partial class MigrationEngine
{
    /// <summary>
    /// What rolling back to just after <paramref name="target"/> (null: everything) would do: the applied steps after it,
    /// newest first, each restoring its journalled objects (newest mutation first) and then its extras. A restore whose
    /// object was changed by someone else after our change is flagged in the step's notes (and refused unless forced).
    /// </summary>
    public async Task<RollbackPlan> PreviewRollbackAsync(StepId? target, CancellationToken cancellationToken)
    {
        var keep = target is { } t ? Plan.TakeWhile(s => s.Id != t).Select(s => s.Id).Append(t).ToHashSet() : [];
        var undo = _state.Applied.Where(id => !keep.Contains(id)).Reverse().ToList();
        var previews = new List<StepPreview>();
        // Each step's restores are previewed against the objects as the earlier restores of this plan leave them.
        var restored = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);
        foreach (var id in undo)
        {
            previews.Add(await PreviewStepRollbackAsync(id, restored, cancellationToken).ConfigureAwait(false));
        }

        return new RollbackPlan(target, previews);
    }

    /// <summary>
    /// Rolls back as <paramref name="approved"/> says, step by step (journalled like apply), with proof captures
    /// around datapath steps. Stops at the first conflict or failure. Never throws for API failures.
    /// </summary>
    public async Task<IReadOnlyList<StepOutcome>> RollbackAsync(RollbackPlan approved, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approved);
        var outcomes = new List<StepOutcome>();
        if (Options.ReadOnly)
        {
            outcomes.Add(StepOutcome.Of(approved.Steps.Count > 0 ? approved.Steps[0].Step : StepId.M0, OutcomeKind.Refused, "read-only: no change was made (started with --read-only)"));
            return outcomes;
        }

        ProofCapture? last = null;
        foreach (var preview in approved.Steps)
        {
            var step = Step(preview.Step);
            if (preview.Notes.Any(n => n.StartsWith(ChangedByOthers, StringComparison.Ordinal)) && Options.ForceReason is null)
            {
                outcomes.Add(StepOutcome.Of(step.Id, OutcomeKind.Conflict, $"{step.Id}: {preview.Notes.First(n => n.StartsWith(ChangedByOthers, StringComparison.Ordinal))} (--force with a reason restores it anyway)"));
                return outcomes;
            }

            var proofs = new List<ProofCapture>();
            if (step.ChangesDatapath && !Options.DryRun)
            {
                last ??= await ProveAsync($"before rollback {step.Id}", cancellationToken).ConfigureAwait(false);
                if (last is not null)
                {
                    proofs.Add(last);
                }
            }

            Write(Entry(JournalEntryType.StepBegin, step.Id, JournalOp.Rollback, force: Options.ForceReason, lines: preview.Changes.Select(c => c.Summary).ToList()));
            foreach (var change in preview.Changes)
            {
                if (await ExecuteAsync(step.Id, JournalOp.Rollback, change, cancellationToken).ConfigureAwait(false) is { } failure)
                {
                    Write(Entry(JournalEntryType.StepEnd, step.Id, JournalOp.Rollback, outcome: failure.Kind == OutcomeKind.Conflict ? "conflict" : "failed", message: failure.Message));
                    outcomes.Add(failure with { Proofs = proofs });
                    return outcomes;
                }
            }

            Write(Entry(JournalEntryType.StepEnd, step.Id, JournalOp.Rollback, outcome: "rolled-back", message: $"{preview.Changes.Count} change(s) undone"));
            if (Options.DryRun)
            {
                outcomes.Add(StepOutcome.Of(step.Id, OutcomeKind.DryRun, $"dry run: the API server accepted the rollback of {step.Id}; nothing was stored"));
                continue;
            }

            var (verify, after) = await VerifyWithProofAsync(step, rollback: true, cancellationToken).ConfigureAwait(false);
            if (after is not null)
            {
                proofs.Add(after);
                if (last is not null)
                {
                    ProofTaken?.Invoke(step.Id, last, after);
                }

                last = after;
            }

            outcomes.Add(verify.Ok
                ? new StepOutcome(step.Id, OutcomeKind.Ok, $"{step.Id} rolled back: {verify.Summary}", verify, proofs)
                : new StepOutcome(step.Id, OutcomeKind.VerifyFailed, $"{step.Id} rolled back, but its verify failed: {verify.Summary}", verify, proofs));
            if (!verify.Ok)
            {
                return outcomes;
            }
        }

        return outcomes;
    }

    /// <summary>
    /// The touched objects that differ from M0's snapshot now (server-owned fields aside), one line each, e.g.
    /// "felixconfigurations default: spec.bpfEnabled". Empty when everything equals the snapshot or there is none.
    /// </summary>
    public async Task<IReadOnlyList<string>> CompareWithSnapshotAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        foreach (var (target, json) in _state.Snapshot.Values)
        {
            var live = await _api.GetAsync(target, cancellationToken).ConfigureAwait(false);
            if (!ObjectContent.SameContent(json, live))
            {
                var what = json is null ? "exists now (absent at M0)" : live is null ? "is gone (present at M0)" : string.Join(", ", ObjectContent.Differences(json, live));
                lines.Add($"{target.Display}: {what}");
            }
        }

        return lines;
    }

    private const string ChangedByOthers = "changed by someone else since";

    private async Task<StepPreview> PreviewStepRollbackAsync(StepId id, Dictionary<string, JsonObject?> restored, CancellationToken cancellationToken)
    {
        var record = _state.Step(id)!;
        var step = Step(id);
        var changes = new List<PlannedChange>();
        var notes = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        // The prelude's object changes are made against the objects as they are (or as earlier restores of this plan
        // leave them); the restores then start from their result, but "someone else changed it" is judged on the former.
        var beforePrelude = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);
        foreach (var change in await step.RollbackPreludeAsync(Context(id), cancellationToken).ConfigureAwait(false))
        {
            if (change is ObjectChange objectChange)
            {
                beforePrelude.TryAdd(objectChange.Target.Key, objectChange.Before);
                restored[objectChange.Target.Key] = objectChange.After;
            }

            changes.Add(change);
        }

        foreach (var mutation in record.Mutations.Where(m => m.Change is not ("restart" or "node")).Reverse())
        {
            var key = mutation.Target.Key;
            var live = restored.TryGetValue(key, out var earlier) ? earlier : await _api.GetAsync(mutation.Target, cancellationToken).ConfigureAwait(false);
            restored[key] = mutation.Before;
            if (ObjectContent.SameContent(live, mutation.Before))
            {
                continue; // already as it was (a rollback that was interrupted after this restore, or a change that never landed)
            }

            var judged = beforePrelude.TryGetValue(key, out var untouched) ? untouched : live;
            if (mutation.Done && seen.Add(key) && !ObjectContent.SameContent(judged, mutation.After) && !LaterStepsTouched(id, key))
            {
                notes.Add($"{ChangedByOthers} {id}: {mutation.Target.Display} ({string.Join(", ", ObjectContent.Differences(mutation.After, judged, 5))})");
            }

            if (!mutation.Done)
            {
                notes.Add($"{mutation.Target.Display}: the change was sent but never confirmed (the console stopped); it differs from before, so it is restored");
            }

            changes.Add(mutation.Before is null
                ? new ObjectChange(mutation.Target, ObjectChangeKind.Delete, null, null, live, null)
                : new ObjectChange(mutation.Target, ObjectChangeKind.Replace, ObjectContent.Strip(mutation.Before), null, live, ObjectContent.Strip(mutation.Before)));
        }

        changes.AddRange(await step.RollbackExtrasAsync(Context(id), cancellationToken).ConfigureAwait(false));
        if (step.Disruptive)
        {
            notes.Add($"rolling back {id} disrupts traffic (DOMAIN.md: disabling eBPF is disruptive)");
        }

        return new StepPreview(id, changes, notes, _time.GetUtcNow());
    }

    /// <summary>True when a step applied after <paramref name="id"/> also changed the object (its own rollback restores it first).</summary>
    private bool LaterStepsTouched(StepId id, string key)
    {
        var applied = _state.Applied;
        var after = applied.SkipWhile(a => a != id).Skip(1);
        return after.Any(a => _state.Step(a)!.Mutations.Any(m => m.Target.Key == key));
    }

}
