using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Preview;
using static EbpfConsole.Core.Tests.Migration.Preview.PreviewSamples;

namespace EbpfConsole.Core.Tests.Migration.Preview;

public sealed class PreviewTextTests
{
    [Fact]
    public void Lines_EmptyPreview_SaysNothingToChange() =>
        Assert.Equal(["M2: nothing to change: already in the wanted state"], PreviewText.Lines(new StepPreview(StepId.M2, [], [], T0)));

    [Fact]
    public void Lines_ObjectPatch_SummaryThenKubectlThenTheDiffIndented()
    {
        var preview = new StepPreview(StepId.M4, [NodeSelectorPatch()], [], T0);

        var lines = PreviewText.Lines(preview);

        Assert.Equal("M4: 1 change", lines[0]);
        Assert.Equal("", lines[1]);
        Assert.Equal("1. patch daemonsets kube-system/kube-proxy (strategic)", lines[2]);
        Assert.Equal(
            """   $ kubectl patch daemonset/kube-proxy -n kube-system --type strategic -p '{"spec":{"template":{"spec":{"nodeSelector":{"non-calico":"true"}}}}}'""",
            lines[3]);
        Assert.Equal("   +         non-calico: \"true\"", Assert.Single(lines, l => l.StartsWith("   +", StringComparison.Ordinal)));
        Assert.Equal("     …", lines[4]);
    }

    [Fact]
    public void Lines_CreateAndRestartWithNotes_EachChangeNumberedNotesLast()
    {
        var preview = new StepPreview(
            StepId.M3,
            [CreateConfigMap(), new PodRestart("kube-system", "k8s-app=calico-node", ["calico-node-4xk2p", "calico-node-9zzq1"])],
            ["wait ~60 s after M2 before restarting calico-node"],
            T0);

        var lines = PreviewText.Lines(preview);

        Assert.Equal("M3: 2 changes", lines[0]);
        Assert.Contains("1. create configmaps kube-system/kubernetes-services-endpoint", lines);
        Assert.Contains("   - (absent)", lines);
        Assert.Contains("   +   KUBERNETES_SERVICE_PORT: \"6443\"", lines);
        var restart = lines.ToList().IndexOf("2. restart pods k8s-app=calico-node in kube-system (2 now)");
        Assert.True(restart > 0);
        Assert.Equal("   $ kubectl delete pod -n kube-system -l k8s-app=calico-node", lines[restart + 1]);
        Assert.Equal("   pods now: calico-node-4xk2p, calico-node-9zzq1", lines[restart + 2]);
        Assert.Equal("note: wait ~60 s after M2 before restarting calico-node", lines[^1]);
    }

    [Fact]
    public void Lines_NodeCommand_ScriptVerbatimWithTheConsentRule()
    {
        const string Script = "for d in $(ls /sys/class/net); do\n  tc filter del dev \"$d\" ingress || true\ndone\n";
        var preview = new StepPreview(StepId.M10, [new NodeCommand("node-2", Script, "remove Calico's tc programs")], [], T0);

        var lines = PreviewText.Lines(preview);

        Assert.Equal(
        [
            "M10: 1 change",
            "",
            "1. on node-2: remove Calico's tc programs",
            "   " + PreviewText.NodeConsent,
            "   $ ssh node-2 sh -s <<'EOF'",
            "   for d in $(ls /sys/class/net); do",
            "     tc filter del dev \"$d\" ingress || true",
            "   done",
            "   EOF",
        ], lines);
    }

    [Fact]
    public void Lines_GuidanceAndSnapshot_TextAndTheReadsShown()
    {
        var preview = new StepPreview(StepId.M1,
            [new Guidance("reboot the nodes one by one (kube-ipvs0 stays until then)"), new SnapshotObjects([MigrationObjects.KubeProxyConfigMap])], [], T0);

        var lines = PreviewText.Lines(preview);

        Assert.Contains("1. reboot the nodes one by one (kube-ipvs0 stays until then)", lines);
        Assert.Contains("   by hand: the console never does this itself", lines);
        Assert.Contains("2. snapshot 1 objects into the journal", lines);
        Assert.Contains("   $ kubectl get configmap/kube-proxy -n kube-system -o json", lines);
    }

    [Fact]
    public void Lines_DeleteInRollbackPlan_StepsNewestFirstEachWithItsChanges()
    {
        var plan = new RollbackPlan(StepId.M2,
        [
            new StepPreview(StepId.M4, [NodeSelectorPatch() with { Before = KubeProxy(nodeSelector: "true"), After = KubeProxy() }], [], T0),
            new StepPreview(StepId.M3, [], [], T0),
        ]);

        var lines = PreviewText.Lines(plan);

        Assert.Equal("roll back to M2: undo M4, M3, in this order", lines[0]);
        Assert.Contains("undo M4: 1 change", lines);
        Assert.Contains("   -         non-calico: \"true\"", lines);
        Assert.Equal("undo M3: nothing to change: already in the wanted state", lines[^1]);
    }

    [Fact]
    public void Lines_RollbackEverythingOfADeletedConfigMap_ShowsTheDeletion()
    {
        var plan = new RollbackPlan(null, [new StepPreview(StepId.M2, [DeleteConfigMap()], [], T0)]);

        var lines = PreviewText.Lines(plan);

        Assert.Equal("roll back everything: undo M2, in this order", lines[0]);
        Assert.Contains("1. delete configmaps kube-system/kubernetes-services-endpoint", lines);
        Assert.Contains("   $ kubectl delete configmap/kubernetes-services-endpoint -n kube-system", lines);
        Assert.Equal("   + (absent)", lines[^1]);
    }

    [Fact]
    public void Lines_EmptyRollbackPlan_NothingToRollBack() =>
        Assert.Equal(["roll back everything: nothing to roll back"], PreviewText.Lines(new RollbackPlan(null, [])));

    [Fact]
    public void Summaries_OneLinePerChange() =>
        Assert.Equal(
            ["M4: patch daemonsets kube-system/kube-proxy (strategic)"],
            PreviewText.Summaries(new StepPreview(StepId.M4, [NodeSelectorPatch()], [], T0)));
}
