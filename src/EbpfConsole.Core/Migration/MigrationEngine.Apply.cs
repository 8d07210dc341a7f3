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

    private const int ProofAttempts = 3;

    private static readonly TimeSpan ProofRetryDelay = TimeSpan.FromSeconds(2);

    private async Task<StepOutcome> VerifyAfterApplyAsync(MigrationStep step, List<ProofCapture> proofs, ProofCapture? before, CancellationToken cancellationToken)
    {
        var id = step.Id;
        var (verify, after) = await VerifyWithProofAsync(step, rollback: false, cancellationToken).ConfigureAwait(false);
        if (after is not null)
        {
            proofs.Add(after);
            if (before is not null)
            {
                ProofTaken?.Invoke(id, before, after);
            }
        }

        return verify.Ok
            ? new StepOutcome(id, OutcomeKind.Ok, $"{id} applied and verified: {verify.Summary}", verify, proofs)
            : new StepOutcome(id, OutcomeKind.VerifyFailed, $"{id} applied, but verify failed: {verify.Summary}", verify, proofs);
    }

    /// <summary>
    /// Verify (or the rollback's verify) and, for datapath steps, the capture after it: the datapath evidence is part of
    /// verifying, so one Verify entry is journalled after both (a console killed while capturing resumes by verifying).
    /// </summary>
    private async Task<(VerifyResult Verify, ProofCapture? After)> VerifyWithProofAsync(MigrationStep step, bool rollback, CancellationToken cancellationToken)
    {
        var id = step.Id;
        VerifyResult verify;
        try
        {
            verify = rollback
                ? await step.VerifyRollbackAsync(Context(id), cancellationToken).ConfigureAwait(false)
                : await step.VerifyAsync(Context(id), cancellationToken).ConfigureAwait(false);
        }
        catch (MigrationApiException ex)
        {
            verify = VerifyResult.Fail($"could not verify{(rollback ? " the rollback" : "")}: {ex.Message}");
        }

        ProofCapture? after = null;
        if (verify.Ok && step.ChangesDatapath && !Options.DryRun)
        {
            var expected = rollback ? step.DatapathAfterRollback : step.DatapathAfterApply;
            after = await ProveAfterAsync(step, rollback ? $"after rollback {id}" : $"after {id}", expected, cancellationToken).ConfigureAwait(false);
            if (after is not null && ProofContradicts(step, after, expected) is { } contradiction)
            {
                verify = VerifyResult.Fail(contradiction, [.. verify.Lines, after.Summary]);
            }
        }

        Write(Entry(JournalEntryType.Verify, id, outcome: verify.Ok ? "ok" : "failed", message: verify.Summary, lines: verify.Lines));
        return (verify, after);
    }

    /// <summary>
    /// The capture after a datapath change. The dataplane is reprogrammed a moment after Felix reports it (on real nodes
    /// too), so a capture that contradicts the expected datapath is taken again, up to <see cref="ProofAttempts"/> times.
    /// </summary>
    private async Task<ProofCapture?> ProveAfterAsync(MigrationStep step, string name, Datapath.DatapathMode? expected, CancellationToken cancellationToken)
    {
        var after = await ProveAsync(name, cancellationToken).ConfigureAwait(false);
        // A capture without a single connection although the console sent traffic proves nothing: look again too.
        for (var attempt = 1;
             after is not null && attempt < ProofAttempts
                && (ProofContradicts(step, after, expected) is not null || (expected is not null && after.Connections == 0 && _proof!.SendsTraffic));
             attempt++)
        {
            Report(step.Id, after.Connections == 0
                ? "the capture saw no NodePort connection: capturing again"
                : $"the capture says {Capture.DatapathVerdicts.ToName(after.Verdict)}; the datapath may still be settling: capturing again");
            await Task.Delay(ProofRetryDelay, _time, cancellationToken).ConfigureAwait(false);
            after = await ProveAsync(name, cancellationToken).ConfigureAwait(false);
        }

        return after;
    }

    /// <summary>A capture that saw traffic with a verdict other than the one expected contradicts the step.</summary>
    private static string? ProofContradicts(MigrationStep step, ProofCapture after, Datapath.DatapathMode? expectedMode)
    {
        if (expectedMode is not { } expected || after.Error is not null || after.Connections == 0)
        {
            return null;
        }

        var wanted = expected switch
        {
            Datapath.DatapathMode.Iptables => Capture.DatapathVerdict.IptablesSnat,
            Datapath.DatapathMode.EbpfTunnel => Capture.DatapathVerdict.EbpfTunnel,
            _ => Capture.DatapathVerdict.EbpfDsr,
        };
        return after.Verdict == wanted
            ? null
            : $"the capture after {step.Id} says {Capture.DatapathVerdicts.ToName(after.Verdict)}, not {Datapath.DatapathModes.ToName(expected)}: {after.Summary}";
    }

    private async Task<ProofCapture?> ProveAsync(string name, CancellationToken cancellationToken)
    {
        if (_proof is not { Available: true })
        {
            if (_proof is not null)
            {
                Report(StepIds.TryParse(name.Split(' ').LastOrDefault(), out var step) ? step : StepId.M0,
                    $"no proof capture for '{name}': no capture points (start a capture in the Capture pane, or give --proof-points)");
            }

            return null;
        }

        var id = StepIds.TryParse(name.Split(' ').LastOrDefault(), out var parsed) ? parsed : StepId.M0;
        Report(id, $"capturing '{name}'…");
        var proof = await _proof.CaptureAsync(name, cancellationToken).ConfigureAwait(false);
        Write(Entry(JournalEntryType.Proof, id, outcome: Capture.DatapathVerdicts.ToName(proof.Verdict), message: name, lines: [proof.Error ?? proof.Summary]));
        return proof;
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

    /// <summary>Executes one planned change, journalled before and after. Returns null when done, else the failed outcome.</summary>
    private async Task<StepOutcome?> ExecuteAsync(StepId id, JournalOp op, PlannedChange change, CancellationToken cancellationToken, bool runNodeCommands = false)
    {
        try
        {
            switch (change)
            {
                case ObjectChange objectChange:
                    return await ExecuteObjectAsync(id, op, objectChange, cancellationToken).ConfigureAwait(false);
                case PodRestart restart:
                    await RestartAsync(id, op, restart, cancellationToken).ConfigureAwait(false);
                    return null;
                case SnapshotObjects snapshot:
                    foreach (var target in snapshot.Targets)
                    {
                        var obj = await _api.GetAsync(target, cancellationToken).ConfigureAwait(false);
                        Write(Entry(JournalEntryType.Snapshot, id, target: target, before: obj));
                    }

                    return null;
                case NodeCommand command:
                    return await RunNodeCommandAsync(id, op, command, runNodeCommands, cancellationToken).ConfigureAwait(false);
                default:
                    return null;
            }
        }
        catch (MigrationApiException ex)
        {
            var kind = ex.Kind == ApiErrorKind.Conflict ? OutcomeKind.Conflict : OutcomeKind.Failed;
            var message = kind == OutcomeKind.Conflict
                ? $"{change.Summary}: {ex.Message}; nothing was overwritten: preview again"
                : $"{change.Summary} failed: {ex.Message}";
            if (_state.Entries.Count > 0 && _state.Entries[^1].Type == JournalEntryType.MutationBegin)
            {
                Write(Entry(JournalEntryType.MutationFailed, id, op, message: ex.Message));
            }

            return StepOutcome.Of(id, kind, message);
        }
    }

    private async Task<StepOutcome?> ExecuteObjectAsync(StepId id, JournalOp op, ObjectChange change, CancellationToken cancellationToken)
    {
        var live = await _api.GetAsync(change.Target, cancellationToken).ConfigureAwait(false);
        if (!ObjectContent.SameContent(live, change.Before))
        {
            var what = live is null ? "was deleted" : change.Before is null ? "was created" : $"changed ({string.Join(", ", ObjectContent.Differences(change.Before, live, 5))})";
            return StepOutcome.Of(id, OutcomeKind.Conflict, $"{change.Target.Display} {what} since the preview; nothing was overwritten: preview again");
        }

        var rv = live?["metadata"]?["resourceVersion"]?.ToString();
        Write(Entry(JournalEntryType.MutationBegin, id, op, target: change.Target, change: Name(change.Kind), before: live, body: change.Body));
        JsonObject? after = null;
        switch (change.Kind)
        {
            case ObjectChangeKind.Create:
                after = await _api.CreateAsync(change.Target, Clean(change.Body!), Options.DryRun, cancellationToken).ConfigureAwait(false);
                break;
            case ObjectChangeKind.Patch:
                var patch = (JsonObject)change.Body!.DeepClone();
                WithResourceVersion(patch, rv);
                after = await _api.PatchAsync(change.Target, change.Patch ?? PatchKind.Merge, patch, Options.DryRun, cancellationToken).ConfigureAwait(false);
                break;
            case ObjectChangeKind.Replace:
                var body = Clean(change.Body!);
                WithResourceVersion(body, rv);
                after = live is null
                    ? await _api.CreateAsync(change.Target, Clean(change.Body!), Options.DryRun, cancellationToken).ConfigureAwait(false)
                    : await _api.ReplaceAsync(change.Target, body, Options.DryRun, cancellationToken).ConfigureAwait(false);
                break;
            case ObjectChangeKind.Delete:
                await _api.DeleteAsync(change.Target, rv, Options.DryRun, cancellationToken).ConfigureAwait(false);
                break;
        }

        Write(Entry(JournalEntryType.MutationDone, id, op, target: change.Target, after: after));
        return null;
    }

    private async Task RestartAsync(StepId id, JournalOp op, PodRestart restart, CancellationToken cancellationToken)
    {
        var pods = await _api.ListAsync("v1", "pods", restart.Namespace, restart.LabelSelector, cancellationToken).ConfigureAwait(false);
        foreach (var pod in pods)
        {
            var name = pod["metadata"]?["name"]?.ToString() ?? "";
            var target = new ObjectRef("v1", "pods", restart.Namespace, name, "Pod");
            Write(Entry(JournalEntryType.MutationBegin, id, op, target: target, change: "restart"));
            await _api.DeleteAsync(target, null, Options.DryRun, cancellationToken).ConfigureAwait(false);
            Write(Entry(JournalEntryType.MutationDone, id, op, target: target));
            Report(id, $"deleted pod {restart.Namespace}/{name}");
        }
    }

    private async Task<StepOutcome?> RunNodeCommandAsync(StepId id, JournalOp op, NodeCommand command, bool consent, CancellationToken cancellationToken)
    {
        if (!consent || _nodes is null || _nodeTarget?.Invoke(command.Node) is not { } node)
        {
            Report(id, $"not run on {command.Node} (node commands need your consent: --node-commands): {command.Script}");
            return null;
        }

        if (Options.DryRun)
        {
            Report(id, $"dry run: would run on {command.Node}: {command.Script}");
            return null;
        }

        Write(Entry(JournalEntryType.MutationBegin, id, op, change: "node", message: $"{command.Node}: {command.Script}"));
        var result = await _nodes.RunAsync(node, command.Script, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        if (result.Failure is not null || result.ExitCode != 0)
        {
            var why = result.Failure ?? $"exit {result.ExitCode}: {result.StandardError.Trim()}";
            Write(Entry(JournalEntryType.MutationFailed, id, op, message: why));
            return StepOutcome.Of(id, OutcomeKind.Failed, $"on {command.Node}: {command.Purpose} failed: {why}");
        }

        Write(Entry(JournalEntryType.MutationDone, id, op, message: result.StandardOutput.Trim()));
        return null;
    }

    private static void WithResourceVersion(JsonObject body, string? rv)
    {
        if (rv is null)
        {
            return;
        }

        if (body["metadata"] is not JsonObject meta)
        {
            meta = [];
            body["metadata"] = meta;
        }

        meta["resourceVersion"] = rv;
    }

    /// <summary>The object without server-owned fields, ready to create or put.</summary>
    private static JsonObject Clean(JsonObject body) => ObjectContent.Strip(body)!;

    private static string Name(ObjectChangeKind kind) => kind.ToString().ToLowerInvariant();

    private JournalEntry Entry(
        JournalEntryType type,
        StepId step,
        JournalOp? op = null,
        ObjectRef? target = null,
        string? change = null,
        JsonObject? before = null,
        JsonObject? body = null,
        JsonObject? after = null,
        string? outcome = null,
        string? message = null,
        string? force = null,
        IReadOnlyList<string>? lines = null) => new()
        {
            Seq = 0,
            At = default,
            Type = type,
            Step = step,
            Op = op,
            Target = target,
            Change = change,
            Before = before,
            Body = body,
            After = after,
            Outcome = outcome,
            Message = message,
            Force = force,
            Lines = lines,
            DryRun = Options.DryRun,
        };
}
