using EbpfConsole.Core.Migration.Steps;

namespace EbpfConsole.Core.Migration;

/// <summary>The steps of DOMAIN.md's migration table for one cluster.</summary>
public static class MigrationPlan
{
    /// <summary>
    /// All ten steps in order M0, M1, …, M8, M10, made for <paramref name="target"/>'s variant (manifest, operator, operator ≥ v3.31).
    /// Steps that do not apply are included; their <see cref="MigrationStep.NotApplicableReason"/> says why.
    /// </summary>
    public static IReadOnlyList<MigrationStep> For(MigrationTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return
        [
            new M0Snapshot(target),
            new M1IpvsToIptables(target),
            new M2ServicesEndpoint(target),
            new M3RestartCalico(target),
            new M4DisableKubeProxy(target),
            new M5OperatorBootstrap(target),
            new M6EnableBpf(target),
            new M7Dsr(target),
            new M8TestWorkload(target),
            new M10TcCleanup(target),
        ];
    }

    /// <summary>The step with <paramref name="id"/>; throws when the plan lacks it (every plan has all ten).</summary>
    public static MigrationStep Find(IReadOnlyList<MigrationStep> steps, StepId id)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return steps.FirstOrDefault(s => s.Id == id) ?? throw new ArgumentException($"the plan has no step {id}", nameof(id));
    }
}
