using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Migration.Journal;

namespace EbpfConsole.Core.Migration;

public sealed partial class MigrationEngine
{
    /// <summary>
    /// Applies exactly <paramref name="approved"/>: refused when read-only, not applicable or blocked (unless forced);
    /// stops without overwriting when an object's content moved since the preview (or the server answers 409);
    /// then verifies, with proof captures around datapath steps. An interrupted step whose Check is already done is
    /// only verified (resume). Never throws for API failures: they are the outcome (the journal keeps what happened).
    /// </summary>
    public Task<StepOutcome> ApplyAsync(StepPreview approved, CancellationToken cancellationToken) =>
        ApplyAsync(approved, Options.NodeCommands, cancellationToken);

    /// <summary>
    /// As <see cref="ApplyAsync(StepPreview, CancellationToken)"/>; <paramref name="runNodeCommands"/> is the user's explicit
    /// consent to the node commands shown in the approved preview (the console's confirm dialog shows each script verbatim).
    /// </summary>
    public async Task<StepOutcome> ApplyAsync(StepPreview approved, bool runNodeCommands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approved);
        var id = approved.Step;
        var step = Step(id);
        if (Options.ReadOnly)
        {
            return StepOutcome.Of(id, OutcomeKind.Refused, "read-only: no change was made (started with --read-only)");
        }

        var status = await StatusAsync(id, cancellationToken).ConfigureAwait(false);
        switch (status.State)
        {
            case StepState.NotApplicable:
                return StepOutcome.Of(id, OutcomeKind.Refused, $"{id} is not part of this cluster's plan: {status.Reason}");
            case StepState.Blocked:
                return StepOutcome.Of(id, OutcomeKind.Refused, $"{id} is blocked: {status.Reason} (--force with a reason runs it anyway)");
            case StepState.Done when _state.Step(id)?.State != StepState.Interrupted:
                Write(Entry(JournalEntryType.Check, id, message: status.Reason));
                return StepOutcome.Of(id, OutcomeKind.AlreadyDone, $"{id} is already in the wanted state: {status.Reason}");
        }

        var interrupted = _state.Step(id)?.State == StepState.Interrupted;
        var check = await SafeCheckAsync(step, cancellationToken).ConfigureAwait(false);
        if ((interrupted || status.State == StepState.Failed) && check?.State == StepState.Done)
        {
            Report(id, interrupted ? "resuming: the change is in place; verifying" : "the change is in place; verifying again");
            if (interrupted)
            {
                Write(Entry(JournalEntryType.StepEnd, id, JournalOp.Apply, outcome: "applied", message: "resumed after the console stopped: the change was in place"));
            }

            // The API side is in place; node commands (M1: kube-ipvs0) may be what verify still waits for: run them if consented.
            // No new step-begin: the step's restart time (pods newer than it) stays the one of the apply that made the change.
            if (runNodeCommands && !Options.DryRun)
            {
                foreach (var command in approved.Changes.OfType<NodeCommand>())
                {
                    if (await ExecuteAsync(id, JournalOp.Apply, command, cancellationToken, runNodeCommands).ConfigureAwait(false) is { } failure)
                    {
                        return failure;
                    }
                }
            }

            return await VerifyAfterApplyAsync(step, [], null, cancellationToken).ConfigureAwait(false);
        }

        var proofs = new List<ProofCapture>();
        ProofCapture? before = null;
        if (step.ChangesDatapath && !Options.DryRun)
        {
            before = await ProveAsync($"before {id}", cancellationToken).ConfigureAwait(false);
            if (before is not null)
            {
                proofs.Add(before);
            }
        }

        Write(Entry(JournalEntryType.StepBegin, id, JournalOp.Apply, force: Options.ForceReason,
            lines: approved.Changes.Select(c => c.Summary).ToList()));
        foreach (var change in approved.Changes)
        {
            var failure = await ExecuteAsync(id, JournalOp.Apply, change, cancellationToken, runNodeCommands).ConfigureAwait(false);
            if (failure is not null)
            {
                Write(Entry(JournalEntryType.StepEnd, id, JournalOp.Apply, outcome: failure.Kind == OutcomeKind.Conflict ? "conflict" : "failed", message: failure.Message));
                return failure with { Proofs = proofs };
            }
        }

        Write(Entry(JournalEntryType.StepEnd, id, JournalOp.Apply, outcome: "applied", message: $"{approved.Changes.Count} change(s) made"));
        if (Options.DryRun)
        {
            return new StepOutcome(id, OutcomeKind.DryRun, $"dry run: the API server accepted all {approved.Changes.Count} change(s) of {id}; nothing was stored", null, proofs);
        }

        return await VerifyAfterApplyAsync(step, proofs, before, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StepCheck?> SafeCheckAsync(MigrationStep step, CancellationToken cancellationToken)
    {
        try
        {
            return await step.CheckAsync(Context(step.Id), cancellationToken).ConfigureAwait(false);
        }
        catch (MigrationApiException)
        {
            return null;
        }
    }
}
