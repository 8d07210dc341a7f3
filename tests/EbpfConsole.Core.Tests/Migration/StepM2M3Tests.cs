using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Tests.Preflight;

namespace EbpfConsole.Core.Tests.Migration;

public sealed class StepM2M3Tests
{
    private static readonly ObjectRef ManifestConfigMap = new("v1", "configmaps", "kube-system", "kubernetes-services-endpoint", "ConfigMap");

    [Fact]
    public async Task M2_Absent_PendingAndPreviewCreatesTheFullObject()
    {
        var cluster = TestClusters.Healthy();
        var step = Step(cluster, StepId.M2);

        var check = await step.CheckAsync(cluster.Context(), default);
        var preview = await step.PreviewAsync(cluster.Context(), default);

        Assert.Equal(StepCheck.Pending("configmaps kube-system/kubernetes-services-endpoint does not exist; it will say KUBERNETES_SERVICE_HOST=10.0.0.10 KUBERNETES_SERVICE_PORT=6443"), check);
        MigrationAsserts.Create(Assert.Single(preview.Changes), ManifestConfigMap,
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"kubernetes-services-endpoint","namespace":"kube-system"},"data":{"KUBERNETES_SERVICE_HOST":"10.0.0.10","KUBERNETES_SERVICE_PORT":"6443"}}""");
        Assert.Equal(["wait about 60 s after M2 before restarting calico-node (M3)"], preview.Notes);
    }

    [Fact]
    public async Task M2_SameValues_DoneAndNothingToChange()
    {
        var cluster = TestClusters.Healthy();
        cluster.Api.Put(ManifestConfigMap, Facts.ServicesConfigMap("10.0.0.10").Json!);
        var step = Step(cluster, StepId.M2);

        Assert.Equal(StepState.Done, (await step.CheckAsync(cluster.Context(), default)).State);
        Assert.True((await step.PreviewAsync(cluster.Context(), default)).IsEmpty);
    }

    [Fact]
    public async Task M2_DifferentValues_PendingAndMergePatchOfTheData()
    {
        var cluster = TestClusters.Healthy();
        cluster.Api.Put(ManifestConfigMap, Facts.ServicesConfigMap("10.0.0.99", "443").Json!);
        var step = Step(cluster, StepId.M2);
        var live = cluster.Api.Peek(ManifestConfigMap);

        var check = await step.CheckAsync(cluster.Context(), default);
        var preview = await step.PreviewAsync(cluster.Context(), default);

        Assert.Equal(StepCheck.Pending("configmaps kube-system/kubernetes-services-endpoint says KUBERNETES_SERVICE_HOST=10.0.0.99 KUBERNETES_SERVICE_PORT=443; the chosen endpoint is KUBERNETES_SERVICE_HOST=10.0.0.10 KUBERNETES_SERVICE_PORT=6443"), check);
        MigrationAsserts.Patch(Assert.Single(preview.Changes), ManifestConfigMap, PatchKind.Merge,
            """{"data":{"KUBERNETES_SERVICE_HOST":"10.0.0.10","KUBERNETES_SERVICE_PORT":"6443"}}""", live);
    }

    [Fact]
    public async Task M2_NoEndpoint_BlockedSayingWhy()
    {
        var cluster = TestClusters.Healthy();
        cluster.Api.Put(TestCluster.KubernetesEndpoints, Facts.Endpoints("10.0.0.10", "10.0.0.20").Json!);
        var target = cluster.Target with { Endpoint = null };
        var step = Step(cluster, StepId.M2);

        var check = await step.CheckAsync(cluster.Context(target: target), default);
        var preview = await step.PreviewAsync(cluster.Context(target: target), default);

        Assert.Equal(StepState.Blocked, check.State);
        Assert.Equal("endpoints default/kubernetes lists 10.0.0.10:6443, 10.0.0.20:6443 and no load balancer is known (P9): create ConfigMap kubernetes-services-endpoint by hand with your LB/VIP, then check again", check.Reason);
        Assert.True(preview.IsEmpty);
        Assert.StartsWith("nothing to write: endpoints default/kubernetes lists", Assert.Single(preview.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task M2_Operator_WritesToTigeraOperatorAndVerifyWaitsForTheRolledPods()
    {
        var cluster = TestClusters.Operator329();
        var step = Step(cluster, StepId.M2);
        var cmRef = MigrationObjects.ServicesEndpointConfigMap(cluster.Target);
        var preview = await step.PreviewAsync(cluster.Context(), default);
        Assert.Equal("tigera-operator", Assert.IsType<ObjectChange>(Assert.Single(preview.Changes)).Target.Namespace);
        cluster.Api.Put(cmRef, Facts.ServicesConfigMap("10.0.0.10", ns: "tigera-operator").Json!);
        var gets = 0;
        var env = new JsonArray(new JsonObject { ["name"] = "KUBERNETES_SERVICE_HOST", ["value"] = "10.0.0.10" });
        cluster.Api.BeforeCall = (api, call) =>
        {
            if (!call.StartsWith("GET", StringComparison.Ordinal))
            {
                return;
            }

            gets++;
            if (gets == 4)
            {
                // The operator copies the values into calico-node's template …
                api.Mutate(MigrationObjects.CalicoNodeDaemonSet(cluster.Target), ds => ds["spec"]!["template"]!["spec"]!["containers"]![0]!["env"] = env.DeepClone());
            }
            else if (gets == 6)
            {
                // … and rolls the pods.
                foreach (var (pod, _) in api.All("v1", "pods").Where(p => p.Ref.Namespace == "calico-system"))
                {
                    api.Mutate(pod, p => p["spec"]!["containers"]![0]!["env"] = env.DeepClone());
                }
            }
        };

        var result = await step.VerifyAsync(cluster.Context(), default);

        Assert.True(result.Ok, result.Summary);
        Assert.Equal("configmaps tigera-operator/kubernetes-services-endpoint says KUBERNETES_SERVICE_HOST=10.0.0.10 KUBERNETES_SERVICE_PORT=6443; 2/2 calico-node pods Ready", result.Summary);
        Assert.Equal(
            ["the operator has not set KUBERNETES_SERVICE_HOST=10.0.0.10 on daemonsets calico-system/calico-node yet",
             "node-1's pod calico-node-a00 still runs without KUBERNETES_SERVICE_HOST=10.0.0.10 (the operator rolls calico-node one by one)",
             result.Summary],
            cluster.Progress);
    }

    [Fact]
    public async Task M2_RollbackExtras_RestartCalicoNodeOnlyAfterM3OnManifest()
    {
        var manifest = TestClusters.Healthy();
        var op = TestClusters.Operator329();
        var m3Applied = TestClusters.Journal(TestClusters.Applied(StepId.M3, manifest.Clock.GetUtcNow()));

        Assert.Empty(await Step(manifest, StepId.M2).RollbackExtrasAsync(manifest.Context(), default));
        MigrationAsserts.Restart(Assert.Single(await Step(manifest, StepId.M2).RollbackExtrasAsync(manifest.Context(m3Applied), default)),
            "kube-system", "k8s-app=calico-node", "calico-node-a00", "calico-node-b00");
        Assert.Empty(await Step(op, StepId.M2).RollbackExtrasAsync(op.Context(m3Applied), default));
    }

    [Fact]
    public async Task M3_Check_PodsOlderThanTheConfigMap_Pending_RestartedAndReady_Done()
    {
        var cluster = TestClusters.Healthy();
        var step = Step(cluster, StepId.M3);
        Assert.Equal(StepCheck.Pending("configmaps kube-system/kubernetes-services-endpoint does not exist yet (M2)"), await step.CheckAsync(cluster.Context(), default));

        cluster.Api.Put(ManifestConfigMap, Facts.ServicesConfigMap("10.0.0.10").Json!);
        var old = await step.CheckAsync(cluster.Context(), default);
        Assert.Equal(StepState.Pending, old.State);
        Assert.StartsWith("node-1's pod calico-node-a00 started before configmaps kube-system/kubernetes-services-endpoint was created", old.Reason, StringComparison.Ordinal);

        cluster.CalicoNodePods(cluster.Clock.GetUtcNow().AddSeconds(70));
        Restart(cluster, "calico-kube-controllers-1", "k8s-app=calico-kube-controllers", cluster.Clock.GetUtcNow().AddSeconds(70));
        Assert.Equal(StepCheck.Done("every calico-node, calico-kube-controllers pod started after configmaps kube-system/kubernetes-services-endpoint and is Ready"),
            await step.CheckAsync(cluster.Context(), default));
    }

    [Fact]
    public async Task M3_Preview_RestartsEachSelectorThatHasPods()
    {
        var cluster = TestClusters.Healthy();
        cluster.Api.Put(ManifestConfigMap, Facts.ServicesConfigMap("10.0.0.10").Json!);
        var step = Step(cluster, StepId.M3);

        var preview = await step.PreviewAsync(cluster.Context(), default);

        Assert.Equal(2, preview.Changes.Count); // no calico-typha pods
        MigrationAsserts.Restart(preview.Changes[0], "kube-system", "k8s-app=calico-node", "calico-node-a00", "calico-node-b00");
        MigrationAsserts.Restart(preview.Changes[1], "kube-system", "k8s-app=calico-kube-controllers", "calico-kube-controllers-1");
        Assert.Contains("configmaps kube-system/kubernetes-services-endpoint was created 0 s ago: wait about 60 s after M2 before restarting calico-node (M3)", preview.Notes);
    }

    [Fact]
    public async Task M3_Verify_RestartedPodsLoggedTheOverride_PassesQuotingTheLines()
    {
        var cluster = TestClusters.Healthy();
        var begun = cluster.Clock.GetUtcNow();
        cluster.CalicoNodePods(begun.AddSeconds(3), null, TestCluster.OverrideLine("10.0.0.10", "6443"));
        Restart(cluster, "calico-kube-controllers-1", "k8s-app=calico-kube-controllers", begun.AddSeconds(3));

        var result = await Step(cluster, StepId.M3).VerifyAsync(cluster.Context(TestClusters.Journal(TestClusters.Applied(StepId.M3, begun))), default);

        Assert.True(result.Ok, result.Summary);
        Assert.EndsWith("2/2 calico-node pods logged \"Kubernetes server override env vars\"", result.Summary, StringComparison.Ordinal);
        Assert.Contains("calico-node-a03: 2026-11-27 12:00:04.000 [INFO][58] felix/daemon.go 375: Kubernetes server override env vars. KUBERNETES_SERVICE_HOST=\"10.0.0.10\" KUBERNETES_SERVICE_PORT=\"6443\"", result.Lines);
    }

    [Fact]
    public async Task M3_Verify_PodStartedWithoutTheConfigMap_TimesOutSayingSo()
    {
        var cluster = TestClusters.Healthy();
        var begun = cluster.Clock.GetUtcNow();
        cluster.CalicoNodePods(begun.AddSeconds(3), null, TestCluster.OverrideLine("10.96.0.1", "443"));
        Restart(cluster, "calico-kube-controllers-1", "k8s-app=calico-kube-controllers", begun.AddSeconds(3));

        var result = await Step(cluster, StepId.M3).VerifyAsync(cluster.Context(TestClusters.Journal(TestClusters.Applied(StepId.M3, begun))), default);

        Assert.False(result.Ok);
        Assert.StartsWith("timed out after 180s: node-1's pod calico-node-a03 started without the ConfigMap's 10.0.0.10 (it logged: ", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task M3_Verify_OldPodsDoNotCount()
    {
        var cluster = TestClusters.Healthy();
        var begun = cluster.Clock.GetUtcNow();

        var result = await Step(cluster, StepId.M3).VerifyAsync(cluster.Context(TestClusters.Journal(TestClusters.Applied(StepId.M3, begun))), default);

        Assert.False(result.Ok);
        Assert.StartsWith("timed out after 180s: 0/2 calico-node pods Ready; node-1's pod calico-node-a00 is still the old one (created 2026-11-27 11:00:00Z, before the restart at 2026-11-27 12:00:00Z)", result.Summary, StringComparison.Ordinal);
    }

    private static MigrationStep Step(TestCluster cluster, StepId id) => MigrationPlan.Find(MigrationPlan.For(cluster.Target), id);

    private static void Restart(TestCluster cluster, string name, string labels, DateTimeOffset at)
    {
        cluster.Api.Remove(FakeMigrationApi.PodRef("kube-system", name));
        cluster.Api.AddPod("kube-system", name, labels, "node-2", at);
    }
}
