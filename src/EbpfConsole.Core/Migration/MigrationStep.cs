using EbpfConsole.Core.Datapath;

namespace EbpfConsole.Core.Migration;

/// <summary>
/// One step of DOMAIN.md's migration table. A step is pure decisions against <see cref="StepContext"/>: it checks
/// whether the cluster is already in the wanted state (so every step is idempotent), previews the exact changes
/// against the live objects, and verifies. The engine applies the approved preview, journals every mutation with the
/// object as it was, and rolls back by restoring those objects (plus <see cref="RollbackExtrasAsync"/>).
/// </summary>
public abstract class MigrationStep
{
    public abstract StepId Id { get; }

    public abstract string Title { get; }

    /// <summary>Why this step, citing DOMAIN.md's facts and check/step ids.</summary>
    public abstract string Why { get; }

    /// <summary>Preflight checks whose fail blocks this step (overridable with --force and a reason).</summary>
    public virtual IReadOnlyList<string> BlockingChecks => [];

    /// <summary>Steps that must be done before this one (in this plan).</summary>
    public virtual IReadOnlyList<StepId> After => [];

    /// <summary>True for M4, M6, M7 (and their rollbacks): the console captures before and after (proof by capture).</summary>
    public virtual bool ChangesDatapath => false;

    /// <summary>The NodePort datapath expected once this step verified, when the step decides it (M6 → ebpf-tunnel, M7 → ebpf-dsr).</summary>
    public virtual DatapathMode? DatapathAfterApply => null;

    /// <summary>The NodePort datapath expected once this step's rollback verified, when the step decides it (M7 → ebpf-tunnel, M4 → iptables).</summary>
    public virtual DatapathMode? DatapathAfterRollback => null;

    /// <summary>True when applying or rolling back disrupts traffic; the preview says so.</summary>
    public virtual bool Disruptive => false;

    /// <summary>True for steps that are only run on demand (M10), never by <c>apply --all</c>.</summary>
    public virtual bool OnDemandOnly => false;

    /// <summary>Null when the step belongs to this cluster's plan; else why not (another install variant, not needed).</summary>
    public abstract string? NotApplicableReason(MigrationTarget target);

    /// <summary>Is the cluster already in this step's wanted state? Done / Pending / Blocked (with the reason).</summary>
    public abstract Task<StepCheck> CheckAsync(StepContext context, CancellationToken cancellationToken);

    /// <summary>The exact changes apply would make now, against the live objects.</summary>
    public abstract Task<StepPreview> PreviewAsync(StepContext context, CancellationToken cancellationToken);

    /// <summary>Waits (with progress, until <see cref="MigrationOptions.VerifyTimeout"/>) for the applied change to take effect.</summary>
    public abstract Task<VerifyResult> VerifyAsync(StepContext context, CancellationToken cancellationToken);

    /// <summary>Changes a rollback makes after the journal's objects are restored (e.g. restart calico-node). None by default.</summary>
    public virtual Task<IReadOnlyList<PlannedChange>> RollbackExtrasAsync(StepContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PlannedChange>>([]);

    /// <summary>
    /// Changes a rollback makes before the journal's objects are restored, ending with a <see cref="WaitForCluster"/>
    /// when the cluster must react first (M5: linuxDataplane Iptables while the operator still manages kube-proxy).
    /// Object changes here are previewed against the live objects; the restores then start from their result.
    /// </summary>
    public virtual Task<IReadOnlyList<PlannedChange>> RollbackPreludeAsync(StepContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PlannedChange>>([]);

    /// <summary>What a <see cref="WaitForCluster"/> of the prelude waits for. By default: nothing.</summary>
    public virtual Task<VerifyResult> VerifyRollbackPreludeAsync(StepContext context, CancellationToken cancellationToken) =>
        Task.FromResult(VerifyResult.Pass("nothing to wait for"));

    /// <summary>Waits for a rollback to take effect. By default: nothing to wait for.</summary>
    public virtual Task<VerifyResult> VerifyRollbackAsync(StepContext context, CancellationToken cancellationToken) =>
        Task.FromResult(VerifyResult.Pass("restored"));
}
