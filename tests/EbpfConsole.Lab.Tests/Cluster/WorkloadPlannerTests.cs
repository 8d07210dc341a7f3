using System.Text.Json.Nodes;
using EbpfConsole.Lab.Cluster;

namespace EbpfConsole.Lab.Tests.Cluster;

public sealed class WorkloadPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static readonly HostFacts Host = new("6.1.0", "Debian");

    private static List<JsonObject> Nodes() =>
        LabTopology.Nodes.Select(n => LabNodeFactory.Build(n, LabScenario.Load("healthy"), Host, Now)).ToList();

    private static JsonObject KubeProxy() =>
        (JsonObject)LabScenario.Load("healthy").Objects.First(o => o["kind"]!.GetValue<string>() == "DaemonSet" && o["metadata"]!["name"]!.GetValue<string>() == "kube-proxy").DeepClone();

    private static JsonObject WithUid(JsonObject obj, string uid)
    {
        obj["metadata"]!["uid"] = uid;
        return obj;
    }

    private static JsonObject PodOf(JsonObject ds, string name, string node) =>
        WithUid(PodBuilder.FromTemplate(ds, ds["spec"]!["template"]!.AsObject(), name, node, WorkloadPlanner.RevisionHashLabel, WorkloadPlanner.DaemonSetHash(ds), Now), "pod-" + name);

    [Fact]
    public void PlanDaemonSet_NoPods_CreatesOnePerLinuxNode()
    {
        var plan = WorkloadPlanner.PlanDaemonSet(WithUid(KubeProxy(), "ds"), Nodes(), []);

        Assert.Equal(["node-1", "node-2"], plan.CreateOnNodes);
        Assert.Empty(plan.Delete);
    }

    [Fact]
    public void PlanDaemonSet_PodsOnEveryNode_IsSettled()
    {
        var ds = WithUid(KubeProxy(), "ds");

        var plan = WorkloadPlanner.PlanDaemonSet(ds, Nodes(), [PodOf(ds, "kube-proxy-a", "node-1"), PodOf(ds, "kube-proxy-b", "node-2")]);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void PlanDaemonSet_NodeSelectorNonCalico_DeletesEveryPod()
    {
        var ds = WithUid(KubeProxy(), "ds");
        var pods = new[] { PodOf(ds, "kube-proxy-a", "node-1"), PodOf(ds, "kube-proxy-b", "node-2") };
        ds["spec"]!["template"]!["spec"]!["nodeSelector"]!["non-calico"] = "true";

        var plan = WorkloadPlanner.PlanDaemonSet(ds, Nodes(), pods);

        Assert.Empty(plan.CreateOnNodes);
        Assert.Equal(["kube-proxy-a", "kube-proxy-b"], plan.Delete.Select(d => d.Pod).Order());
        Assert.All(plan.Delete, d => Assert.Contains("no longer matches", d.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void PlanDaemonSet_TemplateChanged_ReplacesPodsWithTheOldHash()
    {
        var ds = WithUid(KubeProxy(), "ds");
        var pods = new[] { PodOf(ds, "kube-proxy-a", "node-1"), PodOf(ds, "kube-proxy-b", "node-2") };
        ds["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "registry.k8s.io/kube-proxy:v1.32.5";

        var plan = WorkloadPlanner.PlanDaemonSet(ds, Nodes(), pods);

        Assert.Equal(["node-1", "node-2"], plan.CreateOnNodes);
        Assert.All(plan.Delete, d => Assert.Equal("the pod template changed", d.Reason));
        Assert.Equal(2, plan.Delete.Count);
    }

    [Fact]
    public void PlanDaemonSet_NodeSelectorMatchingOnlyTheControlPlane_KeepsNode1Only()
    {
        var ds = WithUid(KubeProxy(), "ds");
        ds["spec"]!["template"]!["spec"]!["nodeSelector"] = new JsonObject { ["node-role.kubernetes.io/control-plane"] = string.Empty };

        var plan = WorkloadPlanner.PlanDaemonSet(ds, Nodes(), []);

        Assert.Equal(["node-1"], plan.CreateOnNodes);
    }

    [Fact]
    public void TemplateHash_IsStableAndTenCharactersFromTheKubernetesAlphabet()
    {
        var ds = KubeProxy();

        var hash = WorkloadPlanner.DaemonSetHash(ds);

        Assert.Equal(hash, WorkloadPlanner.DaemonSetHash((JsonObject)ds.DeepClone()));
        Assert.Equal(10, hash.Length);
        Assert.All(hash, c => Assert.Contains(c, LabNames.Alphabet));
    }

    [Fact]
    public void DesiredReplicaSet_IsNamedAfterTheTemplateHash_AndSelectsIt()
    {
        var deployment = WithUid(Nginx(), "deploy");

        var rs = WorkloadPlanner.DesiredReplicaSet(deployment);

        var hash = rs["spec"]!["template"]!["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>();
        Assert.Equal($"nginx-{hash}", rs["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(hash, rs["spec"]!["selector"]!["matchLabels"]!["pod-template-hash"]!.GetValue<string>());
        Assert.Equal("deploy", rs["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public void PlanReplicaSet_CreatesTheMissingReplicas_AndDeletesSurplusNewestFirst()
    {
        var rs = WithUid(WorkloadPlanner.DesiredReplicaSet(WithUid(Nginx(), "deploy")), "rs");
        rs["spec"]!["replicas"] = 2;

        var create = WorkloadPlanner.PlanReplicaSet(rs, [], t => WorkloadPlanner.Place(t, Nodes()));
        Assert.Equal(["node-2", "node-2"], create.CreateOnNodes);

        var older = WithUid(PodBuilder.FromTemplate(rs, rs["spec"]!["template"]!.AsObject(), "nginx-x-a", "node-2", "pod-template-hash", "h", Now), "a");
        older["metadata"]!["creationTimestamp"] = "2026-11-27T12:00:00Z";
        var newer = WithUid(PodBuilder.FromTemplate(rs, rs["spec"]!["template"]!.AsObject(), "nginx-x-b", "node-2", "pod-template-hash", "h", Now), "b");
        newer["metadata"]!["creationTimestamp"] = "2026-11-27T12:00:05Z";
        var third = WithUid(PodBuilder.FromTemplate(rs, rs["spec"]!["template"]!.AsObject(), "nginx-x-c", "node-2", "pod-template-hash", "h", Now), "c");
        third["metadata"]!["creationTimestamp"] = "2026-11-27T12:00:09Z";
        var shrink = WorkloadPlanner.PlanReplicaSet(rs, [older, newer, third], _ => "node-2");
        Assert.Equal(["nginx-x-c"], shrink.Delete.Select(d => d.Pod));
    }

    [Fact]
    public void Place_PodNetworkPodsGoToTheBackendNode_HostNetworkPodsToTheFirstEligible()
    {
        var template = Nginx()["spec"]!["template"]!.AsObject();
        Assert.Equal("node-2", WorkloadPlanner.Place(template, Nodes()));

        template["spec"]!["hostNetwork"] = true;
        Assert.Equal("node-1", WorkloadPlanner.Place(template, Nodes()));

        template["spec"]!["nodeSelector"] = new JsonObject { ["disktype"] = "ssd" };
        Assert.Null(WorkloadPlanner.Place(template, Nodes()));
    }

    [Fact]
    public void FromTemplate_CopiesLabelsAndSpec_AddsHashNodeNameAndControllerOwner()
    {
        var ds = WithUid(KubeProxy(), "ds-uid");

        var pod = PodOf(ds, "kube-proxy-abcde", "node-2");

        Assert.Equal("node-2", pod["spec"]!["nodeName"]!.GetValue<string>());
        Assert.Equal("kube-proxy", pod["metadata"]!["labels"]!["k8s-app"]!.GetValue<string>());
        Assert.Equal(WorkloadPlanner.DaemonSetHash(ds), pod["metadata"]!["labels"]!["controller-revision-hash"]!.GetValue<string>());
        Assert.Equal(("DaemonSet", "kube-proxy", "ds-uid"), ClusterJson.ControllerOf(pod));
        Assert.True(PodBuilder.HostNetwork(pod));
    }

    internal static JsonObject Nginx() => (JsonObject)JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","namespace":"default","labels":{"app":"nginx"}},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"nginx"}},
                 "template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"name":"nginx","image":"nginx","ports":[{"containerPort":80}]}]}}}}
        """)!;
}
