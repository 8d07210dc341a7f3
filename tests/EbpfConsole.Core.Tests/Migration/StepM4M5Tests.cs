using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Tests.Preflight;

namespace EbpfConsole.Core.Tests.Migration;

public sealed class StepM4M5Tests
{
    [Fact]
    public async Task M4_Preview_StrategicNodeSelectorPatchOnKubeProxy()
    {
        var cluster = TestClusters.Healthy();
        var step = Step(cluster, StepId.M4);
        var live = cluster.Api.Peek(MigrationObjects.KubeProxyDaemonSet);

        Assert.Equal(StepCheck.Pending("kube-proxy runs (daemonsets kube-system/kube-proxy has no non-calico=true nodeSelector)"), await step.CheckAsync(cluster.Context(), default));
        var preview = await step.PreviewAsync(cluster.Context(), default);

        var patch = MigrationAsserts.Patch(Assert.Single(preview.Changes), MigrationObjects.KubeProxyDaemonSet, PatchKind.Strategic,
            """{"spec":{"template":{"spec":{"nodeSelector":{"non-calico":"true"}}}}}""", live);
        Assert.Equal("""{"kubernetes.io/os":"linux","non-calico":"true"}""", patch.After!["spec"]!["template"]!["spec"]!["nodeSelector"]!.ToJsonString());
        Assert.Contains(preview.Notes, n => n.Contains("apply M6 right after", StringComparison.Ordinal));
    }

    [Fact]
    public async Task M4_Check_DoneWithTheSelectorOrWithoutTheDaemonSet()
    {
        var cluster = TestClusters.Healthy();
        var step = Step(cluster, StepId.M4);

        cluster.Api.Mutate(MigrationObjects.KubeProxyDaemonSet, ds => ds["spec"]!["template"]!["spec"]!["nodeSelector"]!["non-calico"] = "true");
        Assert.Equal(StepCheck.Done("daemonsets kube-system/kube-proxy has nodeSelector non-calico=true"), await step.CheckAsync(cluster.Context(), default));

        cluster.Api.Remove(MigrationObjects.KubeProxyDaemonSet);
        Assert.Equal(StepCheck.Done("daemonsets kube-system/kube-proxy does not exist"), await step.CheckAsync(cluster.Context(), default));
    }

    [Fact]
    public async Task M4_Managed_PatchesFelixInsteadWithTheP11Note()
    {
        var cluster = TestClusters.ManagedKubeProxy();
        var step = Step(cluster, StepId.M4);
        var live = cluster.Api.Peek(cluster.Target.FelixDefault);

        var preview = await step.PreviewAsync(cluster.Context(), default);
        Assert.Equal(StepCheck.Pending("felixconfigurations default does not set bpfKubeProxyIptablesCleanupEnabled: false yet"), await step.CheckAsync(cluster.Context(), default));

        MigrationAsserts.Patch(Assert.Single(preview.Changes), cluster.Target.FelixDefault, PatchKind.Merge, """{"spec":{"bpfKubeProxyIptablesCleanupEnabled":false}}""", live);
        Assert.Contains(preview.Notes, n => n.Contains("(P11)", StringComparison.Ordinal));
        cluster.Api.Mutate(cluster.Target.FelixDefault, f => f["spec"]!["bpfKubeProxyIptablesCleanupEnabled"] = false);
        Assert.Equal(StepCheck.Done("felixconfigurations default has bpfKubeProxyIptablesCleanupEnabled: false"), await step.CheckAsync(cluster.Context(), default));
        Assert.True((await step.VerifyAsync(cluster.Context(), default)).Ok);
    }

    [Fact]
    public async Task M4_Verify_PassesOnceKubeProxyPodsAreGone()
    {
        var cluster = TestClusters.Healthy();
        var lists = 0;
        cluster.Api.BeforeCall = (api, call) =>
        {
            if (call.StartsWith("LIST", StringComparison.Ordinal) && ++lists == 3)
            {
                api.Remove(FakeMigrationApi.PodRef("kube-system", "kube-proxy-a"));
                api.Remove(FakeMigrationApi.PodRef("kube-system", "kube-proxy-b"));
            }
        };

        var result = await Step(cluster, StepId.M4).VerifyAsync(cluster.Context(), default);

        Assert.True(result.Ok);
        Assert.Equal("no kube-proxy pods in kube-system", result.Summary);
        Assert.Equal(["pods -n kube-system -l k8s-app=kube-proxy: none"], result.Lines);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)], cluster.Clock.Delays);
        Assert.Equal("2 kube-proxy pods still there (node-1's pod kube-proxy-a: running)", cluster.Progress[0]);
    }

    [Fact]
    public async Task M4_Verify_TimesOutAfterTheConfiguredTimeout()
    {
        var cluster = TestClusters.Healthy();
        var options = new MigrationOptions(VerifyTimeout: TimeSpan.FromSeconds(10), PollInterval: TimeSpan.FromSeconds(3));

        var result = await Step(cluster, StepId.M4).VerifyAsync(cluster.Context(options: options), default);

        Assert.False(result.Ok);
        Assert.Equal("timed out after 10s: 2 kube-proxy pods still there (node-1's pod kube-proxy-a: running)", result.Summary);
        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1)], cluster.Clock.Delays);
        Assert.Equal(2, result.Lines.Count);
    }

    [Fact]
    public async Task M4_VerifyRollback_WaitsForTheDaemonSetToBeReadyAgain()
    {
        var cluster = TestClusters.Healthy();
        cluster.Api.Mutate(MigrationObjects.KubeProxyDaemonSet, ds =>
        {
            ds["metadata"]!["generation"] = 3;
            ds["status"] = new JsonObject { ["observedGeneration"] = 3, ["desiredNumberScheduled"] = 2, ["numberReady"] = 1 };
        });
        var gets = 0;
        cluster.Api.BeforeCall = (api, call) =>
        {
            if (++gets == 2)
            {
                api.Mutate(MigrationObjects.KubeProxyDaemonSet, ds => ds["status"]!["numberReady"] = 2);
            }
        };

        var result = await Step(cluster, StepId.M4).VerifyRollbackAsync(cluster.Context(), default);

        Assert.True(result.Ok);
        Assert.Equal("kube-proxy runs again: 2/2 pods Ready", result.Summary);
        Assert.Equal(["1/2 kube-proxy pods Ready", "kube-proxy runs again: 2/2 pods Ready"], cluster.Progress);
    }

    [Fact]
    public async Task M5_Operator331_PreviewPatchesTheInstallation()
    {
        var cluster = TestClusters.Operator331();
        var step = Step(cluster, StepId.M5);
        var live = cluster.Api.Peek(MigrationObjects.Installation);

        var check = await step.CheckAsync(cluster.Context(), default);
        var preview = await step.PreviewAsync(cluster.Context(), default);

        Assert.Equal(StepCheck.Pending("installations default: linuxDataplane is Iptables, bpfNetworkBootstrap is not set, kubeProxyManagement is not set"), check);
        MigrationAsserts.Patch(Assert.Single(preview.Changes), MigrationObjects.Installation, PatchKind.Merge,
            """{"spec":{"calicoNetwork":{"linuxDataplane":"BPF","bpfNetworkBootstrap":"Enabled","kubeProxyManagement":"Enabled"}}}""", live);
        Assert.Contains("the operator switches the nodes one by one; NodePorts may be disrupted meanwhile", preview.Notes);
    }

    [Fact]
    public async Task M5_ConfigMapPresent_BlockedByP19_AllSet_Done()
    {
        var cluster = TestClusters.Operator331();
        var step = Step(cluster, StepId.M5);
        var cm = MigrationObjects.ServicesEndpointConfigMap(cluster.Target);
        cluster.Api.Put(cm, Facts.ServicesConfigMap("10.0.0.10", ns: "tigera-operator").Json!);

        var blocked = await step.CheckAsync(cluster.Context(), default);
        cluster.Api.Remove(cm);
        cluster.Api.Mutate(MigrationObjects.Installation, i => i["spec"]!["calicoNetwork"] = new JsonObject
        {
            ["linuxDataplane"] = "BPF", ["bpfNetworkBootstrap"] = "Enabled", ["kubeProxyManagement"] = "Enabled",
        });
        var done = await step.CheckAsync(cluster.Context(), default);

        Assert.Equal(StepCheck.Blocked("configmaps tigera-operator/kubernetes-services-endpoint exists and would conflict with bpfNetworkBootstrap (P19): delete it, or choose the M2/M4/M6 path"), blocked);
        Assert.Equal(StepState.Done, done.State);
    }

    [Fact]
    public async Task M5_Verify_KubeProxyDisabledByTheOperatorAndBpfLogged()
    {
        var cluster = TestClusters.Operator331();
        var begun = cluster.Clock.GetUtcNow();
        cluster.Api.Mutate(MigrationObjects.KubeProxyDaemonSet, ds => ds["spec"]!["template"]!["spec"]!["nodeSelector"]!["operator.tigera.io/disable-kube-proxy"] = "true");
        cluster.CalicoNodePods(begun.AddSeconds(5), null, "BPF enabled, starting BPF endpoint manager and map manager.");

        var result = await Step(cluster, StepId.M5).VerifyAsync(cluster.Context(TestClusters.Journal(TestClusters.Applied(StepId.M5, begun))), default);

        Assert.True(result.Ok, result.Summary);
        Assert.Equal("the operator disabled kube-proxy (nodeSelector operator.tigera.io/disable-kube-proxy); 2/2 calico-node pods Ready with the BPF dataplane", result.Summary);
        Assert.Contains("daemonsets kube-system/kube-proxy: nodeSelector operator.tigera.io/disable-kube-proxy=true", result.Lines);
    }

    [Fact]
    public async Task M5_RollbackPrelude_SwitchesToIptablesWhileTheOperatorStillManagesKubeProxy_ThenWaits()
    {
        var cluster = TestClusters.Operator331();
        var step = Step(cluster, StepId.M5);
        Assert.Empty(await step.RollbackPreludeAsync(cluster.Context(), default)); // not switched: nothing to undo first

        cluster.Api.Mutate(MigrationObjects.Installation, i => i["spec"]!["calicoNetwork"] = new JsonObject
        {
            ["linuxDataplane"] = "BPF", ["bpfNetworkBootstrap"] = "Enabled", ["kubeProxyManagement"] = "Enabled",
        });
        var prelude = await step.RollbackPreludeAsync(cluster.Context(), default);

        var patch = Assert.IsType<ObjectChange>(prelude[0]);
        Assert.Equal("""{"spec":{"calicoNetwork":{"linuxDataplane":"Iptables"}}}""", patch.Body!.ToJsonString());
        Assert.Equal("Enabled", patch.After!["spec"]!["calicoNetwork"]!["kubeProxyManagement"]!.GetValue<string>());
        Assert.Contains("kube-proxy again", Assert.IsType<WaitForCluster>(prelude[1]).What, StringComparison.Ordinal);
    }

    private static MigrationStep Step(TestCluster cluster, StepId id) => MigrationPlan.Find(MigrationPlan.For(cluster.Target), id);
}
