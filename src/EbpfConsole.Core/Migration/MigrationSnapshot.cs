namespace EbpfConsole.Core.Migration;

/// <summary>One row of the checklist.</summary>
/// <param name="Step">The step.</param>
/// <param name="Title">Its title.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Reason">Why (blocked/failed/n-a reason, "already in the wanted state", the last outcome).</param>
/// <param name="Why">The step's why (DOMAIN.md facts).</param>
/// <param name="ChangesDatapath">Proof captures are taken around it.</param>
public sealed record StepRow(StepId Step, string Title, StepState State, string Reason, string Why, bool ChangesDatapath);

/// <summary>
/// The migration as the Checklist pane shows it, immutable. <see cref="Progress"/> is the running operation's latest
/// line; <see cref="Interrupted"/> says where an earlier console stopped (offer resume or rollback).
/// </summary>
/// <param name="Rows">The plan's steps in order (n/a steps included, with their reason).</param>
/// <param name="Install">"manifest" or "operator (Calico v3.29.3)".</param>
/// <param name="JournalPath">Where the journal lives.</param>
/// <param name="ReadOnly">Every mutation is refused.</param>
/// <param name="DryRun">Mutations use the server-side dry run.</param>
/// <param name="Running">The step being applied/verified/rolled back now, if any.</param>
/// <param name="Progress">Its latest progress line.</param>
/// <param name="Interrupted">"M4 apply was interrupted at 12:03 (…)": resume or roll back; null when not.</param>
/// <param name="Previews">The latest preview text per step (for the detail view).</param>
/// <param name="VerifyOutput">The last verify output per step.</param>
/// <param name="Error">Why the plan could not be made (API down, no preflight yet); null when fine.</param>
/// <param name="Comparison">The latest before/after proof pair to show side by side in the Capture pane (a new Seq = show it now).</param>
public sealed record MigrationSnapshot(
    IReadOnlyList<StepRow> Rows,
    string Install,
    string JournalPath,
    bool ReadOnly,
    bool DryRun,
    StepId? Running,
    string? Progress,
    string? Interrupted,
    IReadOnlyDictionary<StepId, string> Previews,
    IReadOnlyDictionary<StepId, IReadOnlyList<string>> VerifyOutput,
    string? Error = null,
    ProofComparison? Comparison = null)
{
    public static MigrationSnapshot Waiting(string why) =>
        new([], "", "", false, false, null, null, null, new Dictionary<StepId, string>(), new Dictionary<StepId, IReadOnlyList<string>>(), why);
}

/// <summary>Two pinned captures (by pin name) taken around a datapath step; <see cref="Seq"/> grows with every new pair.</summary>
public sealed record ProofComparison(long Seq, StepId Step, string Before, string After);

/// <summary>What the Checklist pane can ask for. Outcomes go to the event log and the snapshot; nothing throws at the UI.</summary>
public interface IMigrationActions
{
    MigrationSnapshot Latest { get; }

    /// <summary>Re-read the cluster and check every step.</summary>
    Task RefreshAsync(CancellationToken cancellationToken);

    /// <summary>Preview a step against the live objects now; null when it cannot be previewed (the reason is in the log).</summary>
    Task<StepPreview?> PreviewAsync(StepId id, CancellationToken cancellationToken);

    /// <summary>Apply exactly <paramref name="approved"/> (refused when the live objects changed since), then verify (with proof captures around datapath steps).</summary>
    Task ApplyAsync(StepPreview approved, CancellationToken cancellationToken);

    /// <summary>Verify a step again.</summary>
    Task VerifyAsync(StepId id, CancellationToken cancellationToken);

    /// <summary>Preview a rollback to just after <paramref name="target"/> (null: all the way to the start).</summary>
    Task<RollbackPlan?> PreviewRollbackAsync(StepId? target, CancellationToken cancellationToken);

    /// <summary>Roll back as previewed.</summary>
    Task RollbackAsync(RollbackPlan approved, CancellationToken cancellationToken);
}

/// <summary>What a rollback will do: the steps in the order they are undone, and the changes for each.</summary>
/// <param name="To">Steps after this one are undone; null: all.</param>
/// <param name="Steps">The steps undone, newest first, each with its changes (restores from the journal, then extras).</param>
public sealed record RollbackPlan(StepId? To, IReadOnlyList<StepPreview> Steps)
{
    public bool IsEmpty => Steps.Count == 0;
}
