namespace EbpfConsole.Core.Migration.Steps;

/// <summary>DOMAIN.md M10 (emergency, #6739): a node went dark after calico-node restarted — detach Calico's tc programs on it.</summary>
internal sealed class M10TcCleanup(MigrationTarget plan) : PlanStep(plan)
{
    public const string Script = "for i in $(ls /sys/class/net); do tc qdisc del dev \"$i\" clsact 2>/dev/null; done; true";
    public const string Reachable = "true";

    public override StepId Id => StepId.M10;

    public override string Title => "Emergency: remove eBPF programs from a dark node";

    public override string Why =>
        "If a node stops answering after calico-node restarted in eBPF mode, deleting the clsact qdiscs detaches Calico's programs "
        + "and brings it back (DOMAIN.md M10, #6739); a reboot does the same. Afterwards roll back M6 so Felix does not attach them again.";

    public override bool OnDemandOnly => true;

    public override string? NotApplicableReason(MigrationTarget target) => null;

    public override Task<StepCheck> CheckAsync(StepContext context, CancellationToken cancellationToken) =>
        Task.FromResult(StepCheck.Pending("emergency only: a node went dark after calico-node restarted, #6739"));

    public override Task<StepPreview> PreviewAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var changes = context.Target.Nodes
            .Select(n => (PlannedChange)new NodeCommand(n, Script, "detach Calico's eBPF programs (tc clsact qdiscs) from every interface"))
            .Append(new Guidance("If the node is still dark, reboot it; then roll back M6 (bpfEnabled: false) so Felix does not attach the programs again."))
            .ToList();
        return Task.FromResult(StepKit.Preview(context, Id, changes, ["run it only on a node that went dark: it also removes programs Felix needs on healthy nodes"]));
    }

    public override async Task<VerifyResult> VerifyAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Nodes is null)
        {
            return VerifyResult.Fail("no SSH to the nodes here: check by hand that every node answers (ssh <node> true)");
        }

        var lines = new List<string>();
        var dark = new List<string>();
        foreach (var node in context.Target.Nodes)
        {
            if (context.NodeTarget(node) is not { } target)
            {
                dark.Add(node);
                lines.Add($"{node}: no SSH target known");
                continue;
            }

            var result = await context.Nodes.RunAsync(target, Reachable, TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
            var ok = result.Failure is null && result.ExitCode == 0;
            lines.Add($"{node}: $ {Reachable} → {result.Failure ?? $"exit {result.ExitCode}"}");
            if (!ok)
            {
                dark.Add(node);
            }
        }

        return dark.Count == 0
            ? VerifyResult.Pass($"every node answers over SSH ({context.Target.Nodes.Count})", [.. lines])
            : VerifyResult.Fail($"{string.Join(", ", dark)} {StepKit.Plural(dark.Count, "does", "do")} not answer: reboot {StepKit.Plural(dark.Count, "it", "them")}, then roll back M6", [.. lines]);
    }
}
