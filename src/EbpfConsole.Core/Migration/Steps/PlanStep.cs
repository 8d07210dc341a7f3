namespace EbpfConsole.Core.Migration.Steps;

/// <summary>A step made for one cluster's plan: <see cref="Plan"/> decides its variant, ordering and wording.</summary>
internal abstract class PlanStep(MigrationTarget plan) : MigrationStep
{
    /// <summary>The target the plan was made for (the context's target is the same cluster, possibly re-read).</summary>
    protected MigrationTarget Plan { get; } = plan ?? throw new ArgumentNullException(nameof(plan));

    protected bool IsOperator => Plan.Install == InstallKind.Operator;

    /// <summary>M0, then M1 when kube-proxy runs in ipvs mode (P10).</summary>
    protected IReadOnlyList<StepId> AfterSnapshot => Plan.KubeProxyMode == "ipvs" ? [StepId.M0, StepId.M1] : [StepId.M0];
}
