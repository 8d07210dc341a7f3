using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Preflight.Rules;

namespace EbpfConsole.Core.Migration.Steps;

/// <summary>DOMAIN.md M1 (P10 = ipvs): kube-proxy's ConfigMap to mode: iptables, restart kube-proxy, remove kube-ipvs0 (or reboot).</summary>
internal sealed class M1IpvsToIptables(MigrationTarget plan) : PlanStep(plan)
{
    public const string ConfigKey = "config.conf";
    public const string ShowLink = "ip link show kube-ipvs0";

    /// <summary>Idempotent: a second run (resume, re-verify) finds the link gone and succeeds.</summary>
    public const string DeleteLink = "if ip link show kube-ipvs0 >/dev/null 2>&1; then ip link delete kube-ipvs0; fi";

    public override StepId Id => StepId.M1;

    public override string Title => "Switch kube-proxy from ipvs to iptables";

    public override string Why =>
        "Calico's eBPF dataplane does not work next to kube-proxy's IPVS state: with kube-ipvs0 left on a node, enabling eBPF has "
        + "lost whole nodes, SSH included (DOMAIN.md P10, #8530, #12476). So kube-proxy goes to iptables mode first, and the nodes "
        + "lose kube-ipvs0 (a reboot one by one does that; the console never reboots).";

    public override IReadOnlyList<StepId> After => [StepId.M0];

    public override bool Disruptive => true;

    public override string? NotApplicableReason(MigrationTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.KubeProxyMode == "ipvs" ? null : $"kube-proxy is {target.KubeProxyMode}, not ipvs (P10): nothing to switch";
    }

    public override async Task<StepCheck> CheckAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var configMap = await context.Api.GetAsync(MigrationObjects.KubeProxyConfigMap, cancellationToken).ConfigureAwait(false);
        if (configMap is null)
        {
            return StepCheck.Blocked($"{MigrationObjects.KubeProxyConfigMap.Display} not found: the console switches kube-proxy's mode there");
        }

        var ds = await context.Api.GetAsync(MigrationObjects.KubeProxyDaemonSet, cancellationToken).ConfigureAwait(false);
        if (KubeProxyConfig.FlagMode(ds) is { } flag && KubeProxyConfig.Effective(flag) == "ipvs")
        {
            return StepCheck.Blocked($"{MigrationObjects.KubeProxyDaemonSet.Display} sets --proxy-mode={flag} on the command line: change it there (the ConfigMap does not win)");
        }

        var mode = KubeProxyConfig.Mode(EndpointChoice.Data(configMap, ConfigKey));
        return KubeProxyConfig.Effective(mode) == "ipvs"
            ? StepCheck.Pending($"{MigrationObjects.KubeProxyConfigMap.Display} says mode: {mode}")
            : StepCheck.Done($"{MigrationObjects.KubeProxyConfigMap.Display} says mode: {(string.IsNullOrWhiteSpace(mode) ? "(default: iptables)" : mode)}");
    }

    public override async Task<StepPreview> PreviewAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var changes = new List<PlannedChange>();
        var configMap = await context.Api.GetAsync(MigrationObjects.KubeProxyConfigMap, cancellationToken).ConfigureAwait(false);
        var text = EndpointChoice.Data(configMap, ConfigKey);
        if (configMap is not null && text is not null && KubeProxyConfig.Effective(KubeProxyConfig.Mode(text)) == "ipvs")
        {
            var patch = MergePatch.At(WithIptablesMode(text), "data", ConfigKey);
            changes.Add(StepKit.Patch(MigrationObjects.KubeProxyConfigMap, configMap, PatchKind.Merge, patch));
        }

        changes.Add(new PodRestart(StepKit.KubeSystem, StepKit.KubeProxySelector,
            await Pods.NamesAsync(context, StepKit.KubeSystem, StepKit.KubeProxySelector, cancellationToken).ConfigureAwait(false)));
        changes.AddRange(context.Target.Nodes.Select(n => new NodeCommand(n, DeleteLink, "remove the IPVS dummy interface; a reboot does the same")));
        changes.Add(new Guidance(
            "Reboot the nodes one by one (drain, reboot, wait until Ready) so no IPVS state is left (P10); this is never automatic."));
        return StepKit.Preview(context, Id, changes,
            ["kube-proxy restarts on every node: Services may blip while it rewrites its rules in iptables mode."]);
    }

    public override Task<VerifyResult> VerifyAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var since = StepKit.BegunAt(context, Id);
        return Polling.UntilAsync(context, async ct =>
        {
            var configMap = await context.Api.GetAsync(MigrationObjects.KubeProxyConfigMap, ct).ConfigureAwait(false);
            var mode = KubeProxyConfig.Mode(EndpointChoice.Data(configMap, ConfigKey));
            var modeLine = $"{MigrationObjects.KubeProxyConfigMap.Display}: mode: {mode ?? "(none)"}";
            if (configMap is null || KubeProxyConfig.Effective(mode) == "ipvs")
            {
                return Observation.NotYet(configMap is null ? $"{MigrationObjects.KubeProxyConfigMap.Display} not found" : $"kube-proxy's ConfigMap still says mode: {mode}", [modeLine]);
            }

            var pods = Pods.AllReady(await Pods.ListAsync(context, StepKit.KubeSystem, StepKit.KubeProxySelector, ct).ConfigureAwait(false), "kube-proxy", since);
            pods = pods with { Lines = [modeLine, .. pods.Lines] };
            return pods.Ok ? pods.And(await LinksGoneAsync(context, ct).ConfigureAwait(false)) : pods;
        }, cancellationToken);
    }

    public override async Task<IReadOnlyList<PlannedChange>> RollbackExtrasAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return [new PodRestart(StepKit.KubeSystem, StepKit.KubeProxySelector,
            await Pods.NamesAsync(context, StepKit.KubeSystem, StepKit.KubeProxySelector, cancellationToken).ConfigureAwait(false))];
    }

    public override Task<VerifyResult> VerifyRollbackAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var since = StepKit.BegunAt(context, Id, Journal.JournalOp.Rollback);
        return Polling.UntilAsync(context, async ct =>
            Pods.AllReady(await Pods.ListAsync(context, StepKit.KubeSystem, StepKit.KubeProxySelector, ct).ConfigureAwait(false), "kube-proxy", since),
            cancellationToken);
    }

    /// <summary>config.conf with its top-level mode line rewritten to <c>mode: iptables</c>; every other byte kept.</summary>
    public static string WithIptablesMode(string configConf)
    {
        ArgumentNullException.ThrowIfNull(configConf);
        var lines = configConf.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("mode:", StringComparison.Ordinal))
            {
                lines[i] = "mode: iptables" + (lines[i].EndsWith('\r') ? "\r" : "");
                return string.Join('\n', lines);
            }
        }

        return configConf + (configConf.Length == 0 || configConf.EndsWith('\n') ? "" : "\n") + "mode: iptables\n";
    }

    /// <summary>`ip link show kube-ipvs0` must fail on every node; without SSH to the nodes this is a manual check.</summary>
    private static async Task<Observation> LinksGoneAsync(StepContext context, CancellationToken ct)
    {
        if (context.Nodes is null)
        {
            return Observation.Done("kube-ipvs0 not checked (no SSH to the nodes): run `ip link show kube-ipvs0` on each node by hand", []);
        }

        var still = new List<string>();
        var unknown = new List<string>();
        var lines = new List<string>();
        foreach (var node in context.Target.Nodes)
        {
            if (context.NodeTarget(node) is not { } target)
            {
                unknown.Add($"{node} (no SSH target)");
                continue;
            }

            var result = await context.Nodes.RunAsync(target, ShowLink, TimeSpan.FromSeconds(15), ct).ConfigureAwait(false);
            var output = (result.StandardOutput + result.StandardError).Trim();
            lines.Add($"{node}: $ {ShowLink} → {(result.Failure ?? $"exit {result.ExitCode}: {output.Split('\n')[0]}")}");
            if (result.Failure is not null)
            {
                unknown.Add($"{node} ({result.Failure})");
            }
            else if (result.ExitCode == 0)
            {
                still.Add(node);
            }
        }

        if (still.Count > 0)
        {
            return Observation.Failed(
                $"kube-ipvs0 still exists on {string.Join(", ", still)}: run the node commands of M1 or reboot those nodes one by one, then verify again", lines);
        }

        return unknown.Count > 0
            ? Observation.Done($"no kube-ipvs0 where checked; not checked on {string.Join(", ", unknown)}", lines)
            : Observation.Done("kube-ipvs0 is gone from every node", lines);
    }
}
