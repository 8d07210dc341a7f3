using EbpfConsole.Core.Migration.Journal;
using EbpfConsole.Core.Datapath;

namespace EbpfConsole.Core.Migration.Steps;

/// <summary>DOMAIN.md M7: bpfExternalServiceMode DSR — replies leave the backend node directly (needs a permissive L2 network, P16).</summary>
internal sealed class M7Dsr(MigrationTarget plan) : PlanStep(plan)
{
    public const string Field = "bpfExternalServiceMode";

    public override StepId Id => StepId.M7;

    public override string Title => "Direct server return (DSR)";

    public override string Why =>
        "eBPF already keeps the client's source IP; DSR changes the reply path: the reply leaves the backend node straight to the "
        + "client instead of going back through the ingress node (DOMAIN.md M7). It needs a network that accepts those replies (P16).";

    public override IReadOnlyList<string> BlockingChecks { get; } = ["P14", "P16"];

    public override IReadOnlyList<StepId> After => Plan.OperatorBootstrap ? [StepId.M5] : [StepId.M6];

    public override bool ChangesDatapath => true;

    public override DatapathMode? DatapathAfterApply => DatapathMode.EbpfDsr;

    public override DatapathMode? DatapathAfterRollback => DatapathMode.EbpfTunnel;

    /// <summary>Going back to Tunnel disrupts in-flight connections.</summary>
    public override bool Disruptive => true;

    public override string? NotApplicableReason(MigrationTarget target) => null;

    public override async Task<StepCheck> CheckAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var felix = await context.Api.GetAsync(context.Target.FelixDefault, cancellationToken).ConfigureAwait(false);
        var mode = StepKit.Text(felix, $"spec.{Field}");
        return IsDsr(mode)
            ? StepCheck.Done($"{context.Target.FelixDefault.Display} has {Field}: {mode}")
            : StepCheck.Pending($"{context.Target.FelixDefault.Display} has {Field}: {mode ?? "(not set: Tunnel)"}");
    }

    public override async Task<StepPreview> PreviewAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var felix = await context.Api.GetAsync(context.Target.FelixDefault, cancellationToken).ConfigureAwait(false);
        return StepKit.Preview(context, Id, [StepKit.PatchOrCreate(context.Target.FelixDefault, felix, MergePatch.At("DSR", "spec", Field))],
        [
            "DSR needs a permissive L2 network: cloud source/destination checks off, no load balancer or firewall in the return path (P16)",
            "going back to Tunnel later disrupts in-flight connections",
        ]);
    }

    public override Task<VerifyResult> VerifyAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Polling.UntilAsync(context, ct => StateAsync(context, dsr: true, ct), cancellationToken);
    }

    public override Task<VerifyResult> VerifyRollbackAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Polling.UntilAsync(context, ct => StateAsync(context, dsr: false, ct), cancellationToken);
    }

    private static bool IsDsr(string? mode) => string.Equals(mode, "DSR", StringComparison.OrdinalIgnoreCase);

    private static async Task<Observation> StateAsync(StepContext context, bool dsr, CancellationToken ct)
    {
        var felix = await context.Api.GetAsync(context.Target.FelixDefault, ct).ConfigureAwait(false);
        var mode = StepKit.Text(felix, $"spec.{Field}");
        var line = $"{context.Target.FelixDefault.Display}: {Field}: {mode ?? "(not set: Tunnel)"}";
        if (IsDsr(mode) != dsr)
        {
            return Observation.NotYet($"{context.Target.FelixDefault.Display} does not say {(dsr ? "DSR" : "Tunnel")}", [line]);
        }

        var ns = context.Target.CalicoNamespace;
        var pods = Pods.AllReady(await Pods.ListAsync(context, ns, StepKit.CalicoNodeSelector, ct).ConfigureAwait(false), "calico-node");
        if (!pods.Ok)
        {
            return pods with { Lines = [line, .. pods.Lines] };
        }

        // Felix restarts on the change (DOMAIN.md: "Felix configuration changed. Need to restart."): the mode is in force only
        // once every calico-node logged its BPF start again after this step began; Ready pods alone say nothing.
        var restarted = await CalicoNodeLogs.BpfActiveAsync(context, StepKit.BegunAt(context, StepId.M7, dsr ? JournalOp.Apply : JournalOp.Rollback), ct).ConfigureAwait(false);
        if (!restarted.Ok)
        {
            return restarted with { Lines = [line, .. restarted.Lines] };
        }

        var pod = pods.Lines.Count > 0 ? pods.Lines[0].Split(' ')[0] : "calico-node-…";
        List<string> lines = [line, .. restarted.Lines];
        if (dsr)
        {
            lines.Add("datapath evidence: the proof capture around this step (replies leave the backend node with the ingress node's IP:NodePort)");
            lines.Add($"manual check (needs exec): kubectl exec -n {ns} {pod} -- calico-node -bpf conntrack dump --raw | grep fwd-dsr (Calico ≥ v3.28)");
        }

        return Observation.Done($"{Field} is {(dsr ? "DSR" : "Tunnel")} and {pods.Summary}", lines);
    }
}
