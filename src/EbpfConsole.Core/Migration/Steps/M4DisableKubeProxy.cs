using EbpfConsole.Core.Datapath;
using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Preflight.Rules;

namespace EbpfConsole.Core.Migration.Steps;

/// <summary>
/// DOMAIN.md M4: stop kube-proxy with a nodeSelector no node has (non-calico=true); when a manager would re-create it (P11),
/// leave it running and tell Felix not to clean its iptables rules (bpfKubeProxyIptablesCleanupEnabled: false).
/// </summary>
internal sealed class M4DisableKubeProxy(MigrationTarget plan) : PlanStep(plan)
{
    public const string SelectorKey = "non-calico";
    public const string CleanupField = "bpfKubeProxyIptablesCleanupEnabled";

    public override StepId Id => StepId.M4;

    public override string Title => Plan.KubeProxyManaged ? "Let kube-proxy be (Felix leaves its rules)" : "Disable kube-proxy";

    public override string Why => Plan.KubeProxyManaged
        ? "kube-proxy is managed by a tool that would bring it back (P11), so it keeps running and Felix is told not to remove its "
          + "iptables rules (bpfKubeProxyIptablesCleanupEnabled: false, DOMAIN.md M4); otherwise the two fight over iptables."
        : "The eBPF dataplane replaces kube-proxy; running both makes them fight over iptables. kube-proxy's DaemonSet gets a "
          + "nodeSelector no node matches (non-calico=true), exactly as the reference walkthrough does (DOMAIN.md M4).";

    public override IReadOnlyList<StepId> After => IsOperator ? [StepId.M2] : [StepId.M3];

    public override bool ChangesDatapath => true;

    /// <summary>kube-proxy back with eBPF off (later steps are rolled back first): kube-proxy's SNAT again.</summary>
    public override DatapathMode? DatapathAfterRollback => DatapathMode.Iptables;

    public override bool Disruptive => true;

    public override string? NotApplicableReason(MigrationTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.OperatorBootstrap ? "M5 lets the operator disable kube-proxy (kubeProxyManagement: Enabled)" : null;
    }

    public override async Task<StepCheck> CheckAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ds = await context.Api.GetAsync(MigrationObjects.KubeProxyDaemonSet, cancellationToken).ConfigureAwait(false);
        if (ds is null)
        {
            return StepCheck.Done($"{MigrationObjects.KubeProxyDaemonSet.Display} does not exist");
        }

        if (KubeProxyConfig.NodeSelector(ds).GetValueOrDefault(SelectorKey) == "true")
        {
            return StepCheck.Done($"{MigrationObjects.KubeProxyDaemonSet.Display} has nodeSelector {SelectorKey}=true");
        }

        if (context.Target.KubeProxyManaged)
        {
            var felix = await context.Api.GetAsync(context.Target.FelixDefault, cancellationToken).ConfigureAwait(false);
            return StepKit.Bool(felix, $"spec.{CleanupField}") == false
                ? StepCheck.Done($"{context.Target.FelixDefault.Display} has {CleanupField}: false")
                : StepCheck.Pending($"{context.Target.FelixDefault.Display} does not set {CleanupField}: false yet");
        }

        return StepCheck.Pending($"kube-proxy runs ({MigrationObjects.KubeProxyDaemonSet.Display} has no {SelectorKey}=true nodeSelector)");
    }

    public override async Task<StepPreview> PreviewAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var notes = new List<string>();
        var changes = new List<PlannedChange>();
        if (context.Target.KubeProxyManaged)
        {
            var felix = await context.Api.GetAsync(context.Target.FelixDefault, cancellationToken).ConfigureAwait(false);
            changes.Add(StepKit.PatchOrCreate(context.Target.FelixDefault, felix, MergePatch.At(false, "spec", CleanupField)));
            notes.Add("kube-proxy is managed by another tool (P11): it keeps running and Felix leaves its iptables rules alone; "
                + "give kube-proxy a distinct bpfKubeProxyHealthzPort if both report health on the same port.");
            return StepKit.Preview(context, Id, changes, notes);
        }

        var ds = await context.Api.GetAsync(MigrationObjects.KubeProxyDaemonSet, cancellationToken).ConfigureAwait(false);
        if (ds is not null)
        {
            changes.Add(StepKit.Patch(MigrationObjects.KubeProxyDaemonSet, ds, PatchKind.Strategic, NodeSelectorPatch("true")));
        }

        notes.Add("kube-proxy stops on every node: until M6 enables eBPF, Services depend on the rules it leaves behind; apply M6 right after.");
        return StepKit.Preview(context, Id, changes, notes);
    }

    public override Task<VerifyResult> VerifyAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Target.KubeProxyManaged)
        {
            return Polling.UntilAsync(context, async ct =>
            {
                var felix = await context.Api.GetAsync(context.Target.FelixDefault, ct).ConfigureAwait(false);
                var value = StepKit.Text(felix, $"spec.{CleanupField}");
                var line = $"{context.Target.FelixDefault.Display}: {CleanupField}: {value ?? "(not set)"}";
                return StepKit.Bool(felix, $"spec.{CleanupField}") == false
                    ? Observation.Done($"Felix leaves kube-proxy's rules alone ({CleanupField}: false)", [line])
                    : Observation.NotYet($"{context.Target.FelixDefault.Display} does not say {CleanupField}: false", [line]);
            }, cancellationToken);
        }

        return Polling.UntilAsync(context, async ct =>
        {
            var pods = await Pods.ListAsync(context, StepKit.KubeSystem, StepKit.KubeProxySelector, ct).ConfigureAwait(false);
            var lines = pods.Select(p => p.Line).ToList();
            return pods.Count == 0
                ? Observation.Done("no kube-proxy pods in kube-system", [$"pods -n kube-system -l {StepKit.KubeProxySelector}: none"])
                : Observation.NotYet($"{pods.Count} kube-proxy {StepKit.Plural(pods.Count, "pod", "pods")} still there ({pods[0].Display}: {(pods[0].Terminating ? "terminating" : "running")})", lines);
        }, cancellationToken);
    }

    /// <summary>kube-proxy runs again: the DaemonSet's status.numberReady = desiredNumberScheduled &gt; 0, else all its pods Ready.</summary>
    public override Task<VerifyResult> VerifyRollbackAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Target.KubeProxyManaged)
        {
            return Task.FromResult(VerifyResult.Pass("restored"));
        }

        return Polling.UntilAsync(context, ct => KubeProxyBackAsync(context, ct), cancellationToken);
    }

    /// <summary>kube-proxy is back: its DaemonSet reports every scheduled pod Ready, or (no status) its pods are Ready.</summary>
    internal static async Task<Observation> KubeProxyBackAsync(StepContext context, CancellationToken ct)
    {
        var ds = await context.Api.GetAsync(MigrationObjects.KubeProxyDaemonSet, ct).ConfigureAwait(false);
        if (ds is null)
        {
            return Observation.NotYet($"{MigrationObjects.KubeProxyDaemonSet.Display} not found", []);
        }

        var selector = KubeProxyConfig.NodeSelector(ds);
        if (selector.Keys.FirstOrDefault(k => k is SelectorKey or M5OperatorBootstrap.DisableKubeProxyKey) is { } key)
        {
            return Observation.NotYet($"{MigrationObjects.KubeProxyDaemonSet.Display} still has nodeSelector {key}={selector[key]}", []);
        }

        var generation = StepKit.Text(ds, "metadata.generation");
        var observed = StepKit.Text(ds, "status.observedGeneration");
        if (generation is not null && observed is not null && generation != observed)
        {
            return Observation.NotYet($"the DaemonSet controller has not caught up with {MigrationObjects.KubeProxyDaemonSet.Display} yet (generation {generation}, observed {observed})", []);
        }

        var desired = StepKit.Text(ds, "status.desiredNumberScheduled");
        var ready = StepKit.Text(ds, "status.numberReady");
        if (desired is not null && ready is not null)
        {
            var line = $"{MigrationObjects.KubeProxyDaemonSet.Display}: {ready}/{desired} pods ready";
            return desired == ready && desired != "0"
                ? Observation.Done($"kube-proxy runs again: {ready}/{desired} pods Ready", [line])
                : Observation.NotYet($"{ready}/{desired} kube-proxy pods Ready", [line]);
        }

        return Pods.AllReady(await Pods.ListAsync(context, StepKit.KubeSystem, StepKit.KubeProxySelector, ct).ConfigureAwait(false), "kube-proxy");
    }

    /// <summary>{"spec":{"template":{"spec":{"nodeSelector":{"non-calico": value}}}}}; null removes the key (DOMAIN.md M4 rollback).</summary>
    public static JsonObject NodeSelectorPatch(string? value) =>
        MergePatch.At(value, "spec", "template", "spec", "nodeSelector", SelectorKey);
}
