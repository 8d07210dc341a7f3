using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Core.Migration.Steps;

/// <summary>
/// DOMAIN.md M6: turn on the eBPF dataplane — FelixConfiguration default bpfEnabled: true (manifest), or Installation
/// linuxDataplane: BPF (operator; never bpfEnabled by hand there) — and restart kube-dns.
/// </summary>
internal sealed class M6EnableBpf(MigrationTarget plan) : PlanStep(plan)
{
    public const string KubeDnsSelector = "k8s-app=kube-dns";

    private volatile bool _felixSaysDsr;

    public override StepId Id => StepId.M6;

    public override string Title => "Enable the eBPF dataplane";

    public override string Why => IsOperator
        ? "The operator turns eBPF on when the Installation says linuxDataplane: BPF; bpfEnabled must never be set by hand on an "
          + "operator install (DOMAIN.md M6). From here NodePort traffic keeps the client's source IP."
        : "FelixConfiguration default bpfEnabled: true switches Felix to the eBPF dataplane (DOMAIN.md M6): NodePort traffic then "
          + "keeps the client's source IP, and kube-dns is restarted so its connections use the new dataplane.";

    public override IReadOnlyList<StepId> After => [StepId.M4];

    public override bool ChangesDatapath => true;

    public override bool Disruptive => true;

    /// <summary>ebpf-dsr when the last Check or Preview saw bpfExternalServiceMode DSR already, else ebpf-tunnel.</summary>
    public override DatapathMode? DatapathAfterApply => _felixSaysDsr ? DatapathMode.EbpfDsr : DatapathMode.EbpfTunnel;

    public override string? NotApplicableReason(MigrationTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.OperatorBootstrap ? "M5 switches the dataplane through the operator's bootstrap" : null;
    }

    public override async Task<StepCheck> CheckAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var felix = await ReadFelixAsync(context, cancellationToken).ConfigureAwait(false);
        if (IsOperator)
        {
            var installation = await context.Api.GetAsync(MigrationObjects.Installation, cancellationToken).ConfigureAwait(false);
            var dataplane = StepKit.Text(installation, "spec.calicoNetwork.linuxDataplane");
            return string.Equals(dataplane, "BPF", StringComparison.OrdinalIgnoreCase)
                ? StepCheck.Done($"{MigrationObjects.Installation.Display} has linuxDataplane BPF")
                : StepCheck.Pending($"{MigrationObjects.Installation.Display} has linuxDataplane {dataplane ?? "(not set: Iptables)"}");
        }

        return StepKit.Bool(felix, "spec.bpfEnabled") == true
            ? StepCheck.Done($"{context.Target.FelixDefault.Display} has bpfEnabled: true")
            : StepCheck.Pending(felix is null ? $"{context.Target.FelixDefault.Display} does not exist" : $"{context.Target.FelixDefault.Display} has bpfEnabled: {StepKit.Text(felix, "spec.bpfEnabled") ?? "(not set: false)"}");
    }

    public override async Task<StepPreview> PreviewAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var changes = new List<PlannedChange>();
        var felix = await ReadFelixAsync(context, cancellationToken).ConfigureAwait(false);
        if (IsOperator)
        {
            var installation = await context.Api.GetAsync(MigrationObjects.Installation, cancellationToken).ConfigureAwait(false);
            if (installation is not null)
            {
                changes.Add(StepKit.Patch(MigrationObjects.Installation, installation, PatchKind.Merge, MergePatch.At("BPF", "spec", "calicoNetwork", "linuxDataplane")));
            }
        }
        else
        {
            changes.Add(StepKit.PatchOrCreate(context.Target.FelixDefault, felix, MergePatch.At(true, "spec", "bpfEnabled")));
        }

        var dns = await Pods.NamesAsync(context, StepKit.KubeSystem, KubeDnsSelector, cancellationToken).ConfigureAwait(false);
        if (dns.Count > 0)
        {
            changes.Add(new PodRestart(StepKit.KubeSystem, KubeDnsSelector, dns));
        }

        var notes = new List<string>
        {
            "enabling eBPF keeps established TCP connections (NAT lives in Linux conntrack), but flows over a recreated VXLAN device do not",
            "on a kernel too old for eBPF Felix falls back to iptables, and with kube-proxy off Services break there (P2)",
            "turning eBPF off again later is disruptive",
        };
        if (IsOperator)
        {
            notes.Insert(0, "the operator switches the nodes one by one; NodePorts may be disrupted meanwhile");
        }

        return StepKit.Preview(context, Id, changes, notes);
    }

    public override Task<VerifyResult> VerifyAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var since = StepKit.BegunAt(context, Id);
        return Polling.UntilAsync(context, ct => CalicoNodeLogs.BpfActiveAsync(context, since, ct), cancellationToken);
    }

    public override Task<VerifyResult> VerifyRollbackAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ns = context.Target.CalicoNamespace;
        return Polling.UntilAsync(context, async ct =>
            Pods.AllReady(await Pods.ListAsync(context, ns, StepKit.CalicoNodeSelector, ct).ConfigureAwait(false), "calico-node"),
            cancellationToken);
    }

    private async Task<System.Text.Json.Nodes.JsonObject?> ReadFelixAsync(StepContext context, CancellationToken ct)
    {
        var felix = await context.Api.GetAsync(context.Target.FelixDefault, ct).ConfigureAwait(false);
        _felixSaysDsr = string.Equals(StepKit.Text(felix, "spec.bpfExternalServiceMode"), "DSR", StringComparison.OrdinalIgnoreCase);
        return felix;
    }
}
