namespace EbpfConsole.Core.Migration;

/// <summary>A step's state as the plan shows it now (live Check + journal + gates).</summary>
public sealed record StepStatus(MigrationStep Step, StepState State, string Reason);

/// <summary>How an apply, verify or rollback ended.</summary>
public enum OutcomeKind
{
    /// <summary>Applied (or rolled back) and verified.</summary>
    Ok,

    /// <summary>Already in the wanted state: nothing was changed.</summary>
    AlreadyDone,

    /// <summary>Dry run: the API server accepted every change; nothing was stored.</summary>
    DryRun,

    /// <summary>Applied but verify failed (or timed out).</summary>
    VerifyFailed,

    /// <summary>An object changed since the preview (content differs, or 409): nothing overwritten; preview again.</summary>
    Conflict,

    /// <summary>Refused before changing anything: read-only, blocked, not applicable.</summary>
    Refused,

    /// <summary>A change failed (API error, server down): the journal says what was done before.</summary>
    Failed,
}

/// <summary>The result of one operation, for the CLI and the TUI's log.</summary>
/// <param name="Step">The step.</param>
/// <param name="Kind">How it ended.</param>
/// <param name="Message">One line.</param>
/// <param name="Verify">The verify result, when verify ran.</param>
/// <param name="Proofs">Captures taken around it (before, after).</param>
public sealed record StepOutcome(StepId Step, OutcomeKind Kind, string Message, VerifyResult? Verify, IReadOnlyList<ProofCapture> Proofs)
{
    public bool Succeeded => Kind is OutcomeKind.Ok or OutcomeKind.AlreadyDone or OutcomeKind.DryRun;

    public static StepOutcome Of(StepId step, OutcomeKind kind, string message) => new(step, kind, message, null, []);
}
