namespace EbpfConsole.Core.Migration;

/// <summary>
/// What Check found: <see cref="StepState.Done"/> (already in the wanted state), <see cref="StepState.Pending"/>,
/// <see cref="StepState.Blocked"/> (a precondition fails) or <see cref="StepState.NotApplicable"/>, with the reason.
/// </summary>
public sealed record StepCheck(StepState State, string Reason)
{
    public static StepCheck Done(string reason) => new(StepState.Done, reason);

    public static StepCheck Pending(string reason) => new(StepState.Pending, reason);

    public static StepCheck Blocked(string reason) => new(StepState.Blocked, reason);

    public static StepCheck NotApplicable(string reason) => new(StepState.NotApplicable, reason);
}

/// <summary>The exact changes a step's apply (or rollback) will make, made against the live objects now.</summary>
/// <param name="Step">The step.</param>
/// <param name="Changes">In order.</param>
/// <param name="Notes">Warnings and ordering advice (DOMAIN.md "Ordering warnings") for this step.</param>
/// <param name="MadeAt">When the live objects were read.</param>
public sealed record StepPreview(StepId Step, IReadOnlyList<PlannedChange> Changes, IReadOnlyList<string> Notes, DateTimeOffset MadeAt)
{
    /// <summary>True when there is nothing to change.</summary>
    public bool IsEmpty => Changes.Count == 0;
}

/// <summary>The outcome of Verify: ok or not, a one-line summary and the lines that prove it (verbatim evidence).</summary>
public sealed record VerifyResult(bool Ok, string Summary, IReadOnlyList<string> Lines)
{
    public static VerifyResult Pass(string summary, params string[] lines) => new(true, summary, lines);

    public static VerifyResult Fail(string summary, params string[] lines) => new(false, summary, lines);
}
