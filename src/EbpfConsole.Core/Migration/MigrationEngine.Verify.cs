using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Migration.Journal;

namespace EbpfConsole.Core.Migration;

public sealed partial class MigrationEngine
{
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
}
