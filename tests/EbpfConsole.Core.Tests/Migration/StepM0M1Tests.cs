using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Migration.Steps;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Tests.Migration;

public sealed class StepM0M1Tests
{
    [Fact]
    public async Task M0_Check_PendingWithoutSnapshot_DoneWhenItCoversTouched()
    {
        var cluster = TestClusters.Healthy();
        var step = MigrationPlan.Find(MigrationPlan.For(cluster.Target), StepId.M0);
        var at = cluster.Clock.GetUtcNow();

        var empty = await step.CheckAsync(cluster.Context(), default);
        var partial = await step.CheckAsync(cluster.Context(TestClusters.Journal(TestClusters.Snapshot(cluster.Api, cluster.Target.Touched.Take(2), at))), default);
        var full = await step.CheckAsync(cluster.Context(TestClusters.Journal(TestClusters.Snapshot(cluster.Api, cluster.Target.Touched, at))), default);

        Assert.Equal(StepCheck.Pending("no snapshot in the journal yet"), empty);
        Assert.Equal(StepState.Pending, partial.State);
        Assert.StartsWith("the snapshot lacks daemonsets kube-system/calico-node, ", partial.Reason, StringComparison.Ordinal);
        Assert.Equal(StepCheck.Done("snapshot of 5 objects taken 2026-11-27 12:00:00Z"), full);
    }

    [Fact]
    public async Task M0_Preview_SnapshotsTheTouchedObjects()
    {
        var cluster = TestClusters.Operator329();
        var step = MigrationPlan.Find(MigrationPlan.For(cluster.Target), StepId.M0);

        var preview = await step.PreviewAsync(cluster.Context(), default);

        var snapshot = Assert.IsType<SnapshotObjects>(Assert.Single(preview.Changes));
        Assert.Equal(cluster.Target.Touched, snapshot.Targets);
        Assert.Equal(6, snapshot.Targets.Count);
        Assert.Empty(cluster.Api.Calls);
    }

    [Fact]
    public async Task M0_Verify_ListsEachObjectOrSaysWhatIsMissing()
    {
        var cluster = TestClusters.Healthy();
        var step = MigrationPlan.Find(MigrationPlan.For(cluster.Target), StepId.M0);
        var journal = TestClusters.Journal(TestClusters.Snapshot(cluster.Api, cluster.Target.Touched, cluster.Clock.GetUtcNow()));

        var ok = await step.VerifyAsync(cluster.Context(journal), default);
        var none = await step.VerifyAsync(cluster.Context(), default);

        Assert.True(ok.Ok);
        Assert.Contains("configmaps kube-system/kubernetes-services-endpoint: absent", ok.Lines);
        Assert.Contains(ok.Lines, l => l.StartsWith("daemonsets kube-system/kube-proxy: resourceVersion ", StringComparison.Ordinal));
        Assert.False(none.Ok);
        Assert.Equal("the journal has no snapshot", none.Summary);
    }

    [Fact]
    public async Task M1_Check_IpvsPending_IptablesDone_FlagBlocked()
    {
        var cluster = TestClusters.Ipvs();
        var step = MigrationPlan.Find(MigrationPlan.For(cluster.Target), StepId.M1);

        Assert.Equal(StepCheck.Pending("configmaps kube-system/kube-proxy says mode: ipvs"), await step.CheckAsync(cluster.Context(), default));

        cluster.Api.Mutate(MigrationObjects.KubeProxyConfigMap, cm => cm["data"]!["config.conf"] = "kind: KubeProxyConfiguration\nmode: iptables\n");
        Assert.Equal(StepCheck.Done("configmaps kube-system/kube-proxy says mode: iptables"), await step.CheckAsync(cluster.Context(), default));

        cluster.Api.Mutate(MigrationObjects.KubeProxyDaemonSet, ds => ds["spec"]!["template"]!["spec"]!["containers"]![0]!["command"] = new JsonArray("kube-proxy", "--proxy-mode=ipvs"));
        var flagged = await step.CheckAsync(cluster.Context(), default);
        Assert.Equal(StepState.Blocked, flagged.State);
        Assert.Contains("--proxy-mode=ipvs", flagged.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task M1_Preview_RewritesOnlyTheModeLine_RestartsKubeProxy_NodeCommandsAndRebootGuidance()
    {
        var cluster = TestClusters.Ipvs();
        var step = MigrationPlan.Find(MigrationPlan.For(cluster.Target), StepId.M1);
        var before = cluster.Api.Peek(MigrationObjects.KubeProxyConfigMap)!;
        var text = before["data"]!["config.conf"]!.GetValue<string>();

        var preview = await step.PreviewAsync(cluster.Context(), default);

        var patch = Assert.IsType<ObjectChange>(preview.Changes[0]);
        Assert.Equal(PatchKind.Merge, patch.Patch);
        Assert.Equal(MigrationObjects.KubeProxyConfigMap, patch.Target);
        var expected = text.Replace("mode: ipvs", "mode: iptables", StringComparison.Ordinal);
        Assert.Equal(new JsonObject { ["data"] = new JsonObject { ["config.conf"] = expected } }.ToJsonString(), patch.Body!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(before, patch.Before));
        Assert.Equal(expected, patch.After!["data"]!["config.conf"]!.GetValue<string>());
        Assert.Equal(before["data"]!["kubeconfig.conf"]!.ToJsonString(), patch.After["data"]!["kubeconfig.conf"]!.ToJsonString());
        MigrationAsserts.Restart(preview.Changes[1], "kube-system", "k8s-app=kube-proxy", "kube-proxy-a", "kube-proxy-b");
        Assert.Equal(
            [new NodeCommand("node-1", M1IpvsToIptables.DeleteLink, "remove the IPVS dummy interface; a reboot does the same"),
             new NodeCommand("node-2", M1IpvsToIptables.DeleteLink, "remove the IPVS dummy interface; a reboot does the same")],
            preview.Changes.OfType<NodeCommand>());
        var guidance = Assert.IsType<Guidance>(preview.Changes[^1]);
        Assert.Contains("never automatic", guidance.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a: 1\nmode: ipvs\nb: 2\n", "a: 1\nmode: iptables\nb: 2\n")]
    [InlineData("a: 1\r\nmode: \"ipvs\" # KubeKey\r\nipvs:\r\n  mode: x\r\n", "a: 1\r\nmode: iptables\r\nipvs:\r\n  mode: x\r\n")]
    [InlineData("a: 1", "a: 1\nmode: iptables\n")]
    public void M1_WithIptablesMode_KeepsTheRestVerbatim(string input, string expected)
    {
        Assert.Equal(expected, M1IpvsToIptables.WithIptablesMode(input));
    }

    [Fact]
    public async Task M1_Verify_PassesWhenModeAndPodsAndLinksAreRight()
    {
        var cluster = TestClusters.Ipvs();
        var step = MigrationPlan.Find(MigrationPlan.For(cluster.Target), StepId.M1);
        var begun = cluster.Clock.GetUtcNow();
        SwitchedAndRestarted(cluster, begun);
        var shell = new FakeNodeShell();
        shell.Answers[("node-1", "ip link show kube-ipvs0")] = new ShellResult(1, "", "Device \"kube-ipvs0\" does not exist.");
        shell.Answers[("node-2", "ip link show kube-ipvs0")] = new ShellResult(1, "", "Device \"kube-ipvs0\" does not exist.");

        var result = await step.VerifyAsync(cluster.Context(TestClusters.Journal(TestClusters.Applied(StepId.M1, begun)), nodes: shell, nodeTarget: FakeNodeShell.Targets), default);

        Assert.True(result.Ok, result.Summary);
        Assert.Contains("kube-ipvs0 is gone from every node", result.Summary, StringComparison.Ordinal);
        Assert.Contains("node-2: $ ip link show kube-ipvs0 → exit 1: Device \"kube-ipvs0\" does not exist.", result.Lines);
    }

    [Fact]
    public async Task M1_Verify_NodeStillHasKubeIpvs0_FailsNamingIt()
    {
        var cluster = TestClusters.Ipvs();
        var step = MigrationPlan.Find(MigrationPlan.For(cluster.Target), StepId.M1);
        var begun = cluster.Clock.GetUtcNow();
        SwitchedAndRestarted(cluster, begun);
        var shell = new FakeNodeShell();
        shell.Answers[("node-1", "ip link show kube-ipvs0")] = new ShellResult(1, "", "Device \"kube-ipvs0\" does not exist.");
        shell.Answers[("node-2", "ip link show kube-ipvs0")] = new ShellResult(0, "5: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN", "");

        var result = await step.VerifyAsync(cluster.Context(TestClusters.Journal(TestClusters.Applied(StepId.M1, begun)), nodes: shell, nodeTarget: FakeNodeShell.Targets), default);

        Assert.False(result.Ok);
        Assert.StartsWith("kube-ipvs0 still exists on node-2: ", result.Summary, StringComparison.Ordinal);
        Assert.Empty(cluster.Clock.Delays); // a reboot is manual: no point waiting
    }

    [Fact]
    public async Task M1_Verify_KubeProxyPodsNotRestarted_TimesOut()
    {
        var cluster = TestClusters.Ipvs();
        var step = MigrationPlan.Find(MigrationPlan.For(cluster.Target), StepId.M1);
        cluster.Api.Mutate(MigrationObjects.KubeProxyConfigMap, cm => cm["data"]!["config.conf"] = "mode: iptables\n");

        var result = await step.VerifyAsync(cluster.Context(TestClusters.Journal(TestClusters.Applied(StepId.M1, cluster.Clock.GetUtcNow()))), default);

        Assert.False(result.Ok);
        Assert.StartsWith("timed out after 180s: 0/2 kube-proxy pods Ready; node-1's pod kube-proxy-a is still the old one", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task M1_RollbackExtras_RestartKubeProxy()
    {
        var cluster = TestClusters.Ipvs();
        var step = MigrationPlan.Find(MigrationPlan.For(cluster.Target), StepId.M1);

        var extras = await step.RollbackExtrasAsync(cluster.Context(), default);

        MigrationAsserts.Restart(Assert.Single(extras), "kube-system", "k8s-app=kube-proxy", "kube-proxy-a", "kube-proxy-b");
    }

    private static void SwitchedAndRestarted(TestCluster cluster, DateTimeOffset begun)
    {
        cluster.Api.Mutate(MigrationObjects.KubeProxyConfigMap, cm => cm["data"]!["config.conf"] = "kind: KubeProxyConfiguration\nmode: iptables\n");
        cluster.Api.Remove(FakeMigrationApi.PodRef("kube-system", "kube-proxy-a"));
        cluster.Api.Remove(FakeMigrationApi.PodRef("kube-system", "kube-proxy-b"));
        cluster.Api.AddPod("kube-system", "kube-proxy-x", "k8s-app=kube-proxy", "node-1", begun.AddSeconds(2));
        cluster.Api.AddPod("kube-system", "kube-proxy-y", "k8s-app=kube-proxy", "node-2", begun.AddSeconds(2));
    }
}
