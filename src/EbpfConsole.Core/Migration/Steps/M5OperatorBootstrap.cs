using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Preflight.Rules;

namespace EbpfConsole.Core.Migration.Steps;

/// <summary>
/// DOMAIN.md M5 (operator ≥ v3.31): one Installation patch — linuxDataplane BPF, bpfNetworkBootstrap Enabled,
/// kubeProxyManagement Enabled — and the operator does M2, M4 and M6 itself.
/// </summary>
internal sealed class M5OperatorBootstrap(MigrationTarget plan) : PlanStep(plan)
{
    public const string DisableKubeProxyKey = "operator.tigera.io/disable-kube-proxy";

    private static readonly (string Field, string Value)[] Wanted =
        [("linuxDataplane", "BPF"), ("bpfNetworkBootstrap", "Enabled"), ("kubeProxyManagement", "Enabled")];

    public override StepId Id => StepId.M5;

    public override string Title => "Switch the operator to eBPF (bootstrap)";

    public override string Why =>
        "From Calico v3.31 the Tigera operator does the whole switch itself: it finds the API server (bpfNetworkBootstrap), "
        + "disables kube-proxy (kubeProxyManagement) and turns on the eBPF dataplane (DOMAIN.md M5). Nodes switch one by one.";

    public override IReadOnlyList<StepId> After => AfterSnapshot;

    public override bool ChangesDatapath => true;

    /// <summary>kube-proxy back with eBPF off (later steps are rolled back first): kube-proxy's SNAT again.</summary>
    public override DatapathMode? DatapathAfterRollback => DatapathMode.Iptables;

    public override DatapathMode? DatapathAfterApply => DatapathMode.EbpfTunnel;

    public override bool Disruptive => true;

    public override string? NotApplicableReason(MigrationTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Install != InstallKind.Operator)
        {
            return "manifest install: M2, M3, M4 and M6 do this step by step";
        }

        return target.OperatorBootstrap
            ? null
            : $"Calico {target.CalicoVersion ?? "(version unknown)"} is older than v3.31: the operator path is M2, M4 and M6";
    }

    public override async Task<StepCheck> CheckAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cmRef = MigrationObjects.ServicesEndpointConfigMap(context.Target);
        if (await context.Api.GetAsync(cmRef, cancellationToken).ConfigureAwait(false) is not null)
        {
            return StepCheck.Blocked($"{cmRef.Display} exists and would conflict with bpfNetworkBootstrap (P19): delete it, or choose the M2/M4/M6 path");
        }

        var installation = await context.Api.GetAsync(MigrationObjects.Installation, cancellationToken).ConfigureAwait(false);
        if (installation is null)
        {
            return StepCheck.Blocked($"{MigrationObjects.Installation.Display} not found: the operator has nothing to switch");
        }

        var wrong = Wanted.Where(w => !string.Equals(StepKit.Text(installation, $"spec.calicoNetwork.{w.Field}"), w.Value, StringComparison.OrdinalIgnoreCase))
            .Select(w => $"{w.Field} is {StepKit.Text(installation, $"spec.calicoNetwork.{w.Field}") ?? "not set"}")
            .ToList();
        return wrong.Count == 0
            ? StepCheck.Done($"{MigrationObjects.Installation.Display} has linuxDataplane BPF, bpfNetworkBootstrap and kubeProxyManagement Enabled")
            : StepCheck.Pending($"{MigrationObjects.Installation.Display}: {string.Join(", ", wrong)}");
    }

    public override async Task<StepPreview> PreviewAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var installation = await context.Api.GetAsync(MigrationObjects.Installation, cancellationToken).ConfigureAwait(false);
        var changes = new List<PlannedChange>();
        if (installation is not null)
        {
            var network = new System.Text.Json.Nodes.JsonObject();
            foreach (var (field, value) in Wanted)
            {
                network[field] = value;
            }

            changes.Add(StepKit.Patch(MigrationObjects.Installation, installation, PatchKind.Merge, MergePatch.At(network, "spec", "calicoNetwork")));
        }

        return StepKit.Preview(context, Id, changes,
        [
            "the operator switches the nodes one by one; NodePorts may be disrupted meanwhile",
            "enabling eBPF keeps established TCP connections (NAT lives in Linux conntrack), but flows over a recreated VXLAN device do not",
        ]);
    }

    public override Task<VerifyResult> VerifyAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var since = StepKit.BegunAt(context, Id);
        return Polling.UntilAsync(context, async ct =>
        {
            var ds = await context.Api.GetAsync(MigrationObjects.KubeProxyDaemonSet, ct).ConfigureAwait(false);
            var selector = KubeProxyConfig.NodeSelector(ds);
            var disabled = ds is null
                ? Observation.Done($"{MigrationObjects.KubeProxyDaemonSet.Display} does not exist", [])
                : selector.ContainsKey(DisableKubeProxyKey)
                    ? Observation.Done($"the operator disabled kube-proxy (nodeSelector {DisableKubeProxyKey})", [$"{MigrationObjects.KubeProxyDaemonSet.Display}: nodeSelector {DisableKubeProxyKey}={selector[DisableKubeProxyKey]}"])
                    : Observation.NotYet($"the operator has not disabled kube-proxy yet (no nodeSelector {DisableKubeProxyKey})", []);
            return disabled.Ok ? disabled.And(await CalicoNodeLogs.BpfActiveAsync(context, since, ct).ConfigureAwait(false)) : disabled;
        }, cancellationToken);
    }

    public override Task<VerifyResult> VerifyRollbackAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Polling.UntilAsync(context, ct => M4DisableKubeProxy.KubeProxyBackAsync(context, ct), cancellationToken);
    }

    /// <summary>
    /// DOMAIN.md M5 rollback is linuxDataplane: Iptables — while kubeProxyManagement is still Enabled, so the operator
    /// brings kube-proxy back itself. Only then may the Installation return to its M0 content (without kubeProxyManagement
    /// the operator would leave kube-proxy disabled for good).
    /// </summary>
    public override async Task<IReadOnlyList<PlannedChange>> RollbackPreludeAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var installation = await context.Api.GetAsync(MigrationObjects.Installation, cancellationToken).ConfigureAwait(false);
        if (installation is null
            || !string.Equals(StepKit.Text(installation, "spec.calicoNetwork.kubeProxyManagement"), "Enabled", StringComparison.OrdinalIgnoreCase)
            || string.Equals(StepKit.Text(installation, "spec.calicoNetwork.linuxDataplane"), "Iptables", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        return
        [
            StepKit.Patch(MigrationObjects.Installation, installation, PatchKind.Merge, MergePatch.At("Iptables", "spec", "calicoNetwork", "linuxDataplane")),
            new WaitForCluster("the operator runs kube-proxy again (kubeProxyManagement is still Enabled)"),
        ];
    }

    public override Task<VerifyResult> VerifyRollbackPreludeAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Polling.UntilAsync(context, ct => M4DisableKubeProxy.KubeProxyBackAsync(context, ct), cancellationToken);
    }
}
