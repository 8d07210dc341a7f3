using System.Text.Json.Nodes;
using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab.Api;
using static EbpfConsole.Lab.Tests.Cluster.ClusterBed;

namespace EbpfConsole.Lab.Tests.Cluster;

public sealed class LabControllerTests : IDisposable
{
    private readonly ClusterBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void EnsureSeeded_NodesCarryAddressesLabelsAndNodeInfo()
    {
        var node = _bed.Store.Get(ResourceCatalog.Nodes, null, "node-1");

        Assert.Equal("10.99.0.11", node["status"]!["addresses"]![0]!["address"]!.GetValue<string>());
        Assert.Equal("v1.32.4", Str(node, "status.nodeInfo.kubeletVersion"));
        Assert.Equal("6.1.0-test", Str(node, "status.nodeInfo.kernelVersion"));
        Assert.Equal("10.99.0.11/24", node["metadata"]!["annotations"]!["projectcalico.org/IPv4Address"]!.GetValue<string>());
        Assert.Equal(string.Empty, node["metadata"]!["labels"]!["node-role.kubernetes.io/control-plane"]!.GetValue<string>());
        Assert.Null(_bed.Store.Get(ResourceCatalog.Nodes, null, "node-2")["metadata"]!["labels"]!["node-role.kubernetes.io/control-plane"]);
        Assert.Equal("10.244.2.0/24", Str(_bed.Store.Get(ResourceCatalog.Nodes, null, "node-2"), "spec.podCIDR"));
        Assert.NotNull(_bed.Store.TryGet(ResourceCatalog.FelixConfigurations, null, "default"));
    }

    [Fact]
    public void EnsureSeeded_AStoreWithObjects_IsLeftAlone()
    {
        _bed.Store.Delete(ResourceCatalog.ConfigMaps, "kube-system", "kube-proxy");

        _bed.Controller.EnsureSeeded("healthy");

        Assert.Null(_bed.Store.TryGet(ResourceCatalog.ConfigMaps, "kube-system", "kube-proxy"));
    }

    [Fact]
    public async Task DaemonSets_GetAPodPerNode_PendingFirstThenRunningAndReady()
    {
        await _bed.Controller.ReconcileOnceAsync(CancellationToken.None);
        var pending = _bed.Pods(selector: "k8s-app=kube-proxy");
        Assert.Equal(2, pending.Count);
        Assert.All(pending, p => Assert.Equal("Pending", Str(p, "status.phase")));
        Assert.All(pending, p => Assert.Matches("^kube-proxy-[bcdfghjklmnpqrstvwxz2456789]{5}$", Name(p)));

        await _bed.SettleAsync();

        var pods = _bed.Pods(selector: "k8s-app=kube-proxy");
        Assert.Equal(["node-1", "node-2"], pods.Select(p => Str(p, "spec.nodeName")).Order());
        Assert.All(pods, p => Assert.Equal("Running", Str(p, "status.phase")));
        Assert.All(pods, p => Assert.Equal(Str(p, "status.hostIP"), Str(p, "status.podIP")));
        var ds = _bed.Store.Get(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy");
        Assert.Equal(2, ds["status"]!["numberReady"]!.GetValue<int>());
        Assert.Equal(2, ds["status"]!["desiredNumberScheduled"]!.GetValue<int>());
        Assert.Equal(2, ds["status"]!["updatedNumberScheduled"]!.GetValue<int>());
        Assert.Contains(_bed.Events(), e => Str(e, "reason") == "SuccessfulCreate" && Str(e, "involvedObject.name") == "kube-proxy");
    }

    [Fact]
    public async Task PodsStartedInOnePass_GetDistinctPodIps()
    {
        await _bed.SettleAsync();

        var ips = _bed.Pods(ns: null).Where(p => p["spec"]!["hostNetwork"]?.GetValue<bool>() != true)
            .Select(p => Str(p, "status.podIP")).ToList();

        Assert.True(ips.Count >= 3, $"expected coredns and calico-kube-controllers pods, got {ips.Count}");
        Assert.All(ips, ip => Assert.StartsWith("10.244.", ip, StringComparison.Ordinal));
        Assert.Equal(ips.Count, ips.Distinct().Count());
    }

    [Fact]
    public async Task BarePod_IsScheduledToTheBackendNodeAndRuns_OrToNode1WhenNode2IsCordoned()
    {
        await _bed.SettleAsync();
        _bed.Store.Create(ResourceCatalog.Pods, "default", BarePod("busy"));
        await _bed.SettleAsync();
        _bed.Patch(ResourceCatalog.Nodes, null, "node-2", """{"spec":{"unschedulable":true}}""");
        _bed.Store.Create(ResourceCatalog.Pods, "default", BarePod("busy2"));
        await _bed.SettleAsync();

        var pods = _bed.Pods("default");
        Assert.Equal(("node-2", "Running"), (Str(pods.Single(p => Name(p) == "busy"), "spec.nodeName"), Str(pods.Single(p => Name(p) == "busy"), "status.phase")));
        Assert.Equal(("node-1", "Running"), (Str(pods.Single(p => Name(p) == "busy2"), "spec.nodeName"), Str(pods.Single(p => Name(p) == "busy2"), "status.phase")));
    }

    [Fact]
    public async Task BarePod_NoNodeMatches_StaysPendingUnschedulableWithAnEvent()
    {
        await _bed.SettleAsync();
        var pod = BarePod("nowhere");
        pod["spec"]!["nodeSelector"] = new JsonObject { ["disk"] = "ssd" };
        _bed.Store.Create(ResourceCatalog.Pods, "default", pod);
        await _bed.SettleAsync();

        var stored = _bed.Pods("default").Single();
        Assert.Null(Str(stored, "spec.nodeName"));
        Assert.Equal("Pending", Str(stored, "status.phase"));
        Assert.Equal("Unschedulable", Str(stored["status"]!["conditions"]![0]!.AsObject(), "reason"));
        Assert.Contains(_bed.Events(), e => Str(e, "reason") == "FailedScheduling" && Str(e, "involvedObject.name") == "nowhere");
    }

    private static JsonObject BarePod(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["run"] = name } },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = name, ["image"] = "busybox" }) },
    };

    [Fact]
    public async Task Settled_APassWritesNothing()
    {
        await _bed.SettleAsync();
        var version = _bed.Store.ResourceVersion;

        await _bed.Controller.ReconcileOnceAsync(CancellationToken.None);
        _bed.Time.Advance(TimeSpan.FromSeconds(10));
        await _bed.Controller.ReconcileOnceAsync(CancellationToken.None);

        Assert.Equal(version, _bed.Store.ResourceVersion);
        Assert.Empty(_bed.Diagnostics);
    }

    [Fact]
    public async Task KubeProxyNodeSelectorPatch_RemovesItsPods_AndNodePortsStopBeingServed()
    {
        await _bed.SettleAsync();
        Assert.Equal("iptables", _bed.Datapath.Current);

        _bed.Store.Patch(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy", PatchType.StrategicMerge, """{"spec":{"template":{"spec":{"nodeSelector":{"non-calico": "true"}}}}}""");
        await _bed.SettleAsync();

        Assert.Empty(_bed.Pods(selector: "k8s-app=kube-proxy"));
        Assert.Equal("none", _bed.Datapath.Current);
        Assert.Equal(0, _bed.Store.Get(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy")["status"]!["desiredNumberScheduled"]!.GetValue<int>());
        Assert.Equal("none", Str(_bed.DatapathRecord()!, "data.mode"));
        Assert.Equal("api", Str(_bed.DatapathRecord()!, "data.source"));
    }

    [Fact]
    public async Task DeletingAPod_RecreatesItUnderANewName()
    {
        await _bed.SettleAsync();
        var before = _bed.Pods(selector: "k8s-app=calico-node").Select(Name).ToList();

        _bed.DeletePods("k8s-app=calico-node");
        await _bed.SettleAsync();

        var after = _bed.Pods(selector: "k8s-app=calico-node");
        Assert.Equal(2, after.Count);
        Assert.Empty(after.Select(Name).Intersect(before));
        Assert.All(after, p => Assert.Equal("Running", Str(p, "status.phase")));
    }

    [Fact]
    public async Task TemplateChange_RollsThePodsWithTheOldHash()
    {
        await _bed.SettleAsync();
        var before = _bed.Pods(selector: "k8s-app=kube-proxy").Select(Name).ToList();

        _bed.Store.Patch(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy", PatchType.Json, """[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"registry.k8s.io/kube-proxy:v1.32.5"}]""");
        await _bed.SettleAsync();

        var after = _bed.Pods(selector: "k8s-app=kube-proxy");
        Assert.Equal(2, after.Count);
        Assert.Empty(after.Select(Name).Intersect(before));
        Assert.All(after, p => Assert.Equal("registry.k8s.io/kube-proxy:v1.32.5", Str((JsonObject)p["spec"]!["containers"]![0]!, "image")));
        Assert.Contains(_bed.Events(), e => Str(e, "reason") == "Killing");
    }

    [Fact]
    public async Task Walkthrough_IptablesThenNoneThenEbpfTunnelThenDsr()
    {
        await _bed.SettleAsync();
        _bed.CreateServicesEndpoint();
        _bed.DeletePods("k8s-app=calico-node");
        _bed.DeletePods("k8s-app=calico-kube-controllers");
        await _bed.SettleAsync();
        var calico = _bed.Pods(selector: "k8s-app=calico-node");
        Assert.All(calico, p => Assert.Contains("KUBERNETES_SERVICE_HOST=\"10.99.0.1\" KUBERNETES_SERVICE_PORT=\"6443\"", _bed.LogOf(p, "calico-node"), StringComparison.Ordinal));

        _bed.Store.Patch(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy", PatchType.StrategicMerge, """{"spec":{"template":{"spec":{"nodeSelector":{"non-calico": "true"}}}}}""");
        await _bed.SettleAsync();
        _bed.Patch(ResourceCatalog.FelixConfigurations, null, "default", """{"spec":{"bpfEnabled":true}}""");
        await _bed.SettleAsync();

        calico = _bed.Pods(selector: "k8s-app=calico-node");
        Assert.All(calico, p => Assert.Equal(1, p["status"]!["containerStatuses"]![0]!["restartCount"]!.GetValue<int>()));
        Assert.All(calico, p => Assert.Contains("Felix configuration changed. Need to restart.", _bed.LogOf(p, "calico-node"), StringComparison.Ordinal));
        Assert.All(calico, p => Assert.Contains("[INFO][158] felix/int_dataplane.go 973: BPF enabled, starting BPF endpoint manager and map manager.", _bed.LogOf(p, "calico-node"), StringComparison.Ordinal));
        Assert.Equal("ebpf-tunnel", _bed.Datapath.Current);

        _bed.Patch(ResourceCatalog.FelixConfigurations, null, "default", """{"spec":{"bpfExternalServiceMode":"DSR"}}""");
        await _bed.SettleAsync();

        Assert.Equal(["iptables", "none", "ebpf-tunnel", "ebpf-dsr"], _bed.Datapath.Applied);
        Assert.Equal("ebpf-dsr", Str(_bed.DatapathRecord()!, "data.mode"));
        Assert.Contains("DSR", Str(_bed.DatapathRecord()!, "data.reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BpfWithoutTheConfigMap_CalicoNodeNotReady_NoBpfMode_WarningEvent()
    {
        await _bed.SettleAsync();

        _bed.Patch(ResourceCatalog.FelixConfigurations, null, "default", """{"spec":{"bpfEnabled":true}}""");
        await _bed.SettleAsync();

        var calico = _bed.Pods(selector: "k8s-app=calico-node");
        Assert.All(calico, p => Assert.Equal("Running", Str(p, "status.phase")));
        Assert.All(calico, p => Assert.Contains(p["status"]!["conditions"]!.AsArray(), c => Str((JsonObject)c!, "type") == "Ready" && Str((JsonObject)c!, "status") == "False"
            && Str((JsonObject)c!, "message") == "calico/node is not ready: felix is not ready: readiness probe reporting 503"));
        Assert.Equal("iptables", _bed.Datapath.Current);
        Assert.Contains(_bed.Events(), e => Str(e, "type") == "Warning" && (Str(e, "message") ?? string.Empty).Contains("kubernetes-services-endpoint", StringComparison.Ordinal));

        _bed.Store.Patch(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy", PatchType.StrategicMerge, """{"spec":{"template":{"spec":{"nodeSelector":{"non-calico": "true"}}}}}""");
        await _bed.SettleAsync();
        Assert.Equal("none", _bed.Datapath.Current);
        Assert.Equal(0, _bed.Store.Get(ResourceCatalog.DaemonSets, "kube-system", "calico-node")["status"]!["numberReady"]!.GetValue<int>());
    }

    [Fact]
    public async Task ConfigMapCreatedAfterThePodsStarted_DoesNotCountUntilTheyRestart()
    {
        await _bed.SettleAsync();
        _bed.CreateServicesEndpoint();
        _bed.Patch(ResourceCatalog.FelixConfigurations, null, "default", """{"spec":{"bpfEnabled":true}}""");
        await _bed.SettleAsync();
        Assert.Equal("iptables", _bed.Datapath.Current);

        _bed.DeletePods("k8s-app=calico-node");
        await _bed.SettleAsync();

        Assert.Equal("ebpf-tunnel", _bed.Datapath.Current);
    }

    [Fact]
    public async Task BpfWithKubeProxyStillRunning_FelixAndKubeProxyFight_RepeatedlyWithWarnings()
    {
        await _bed.SettleAsync();
        _bed.CreateServicesEndpoint();
        _bed.DeletePods("k8s-app=calico-node");
        await _bed.SettleAsync();
        _bed.Patch(ResourceCatalog.FelixConfigurations, null, "default", """{"spec":{"bpfEnabled":true}}""");
        await _bed.SettleAsync();
        _bed.Time.Advance(TimeSpan.FromSeconds(6));
        await _bed.Controller.ReconcileOnceAsync(CancellationToken.None);

        Assert.Equal("ebpf-tunnel", _bed.Datapath.Current);
        var felix = _bed.Pods(selector: "k8s-app=calico-node").First(p => Str(p, "spec.nodeName") == "node-1");
        var kubeProxy = _bed.Pods(selector: "k8s-app=kube-proxy").First(p => Str(p, "spec.nodeName") == "node-1");
        Assert.True(CountOf(_bed.LogOf(felix, "calico-node"), "Removing kube-proxy's iptables rules") >= 2);
        Assert.True(CountOf(_bed.LogOf(kubeProxy, "kube-proxy"), "\"Syncing iptables rules\"") >= 2);
        var warning = _bed.Events().First(e => Str(e, "reason") == "KubeProxyConflict" && Str(e, "involvedObject.name") == Name(felix));
        Assert.True(warning["count"]!.GetValue<int>() >= 2);
        Assert.Contains("ebpf-tunnel", Str(_bed.DatapathRecord()!, "data.mode"), StringComparison.Ordinal);
        Assert.Contains("fights Felix", Str(_bed.DatapathRecord()!, "data.reason"), StringComparison.Ordinal);

        _bed.Patch(ResourceCatalog.FelixConfigurations, null, "default", """{"spec":{"bpfKubeProxyIptablesCleanupEnabled":false}}""");
        await _bed.SettleAsync();
        var count = CountOf(_bed.LogOf(felix, "calico-node"), "Removing kube-proxy's iptables rules");
        _bed.Time.Advance(TimeSpan.FromSeconds(6));
        await _bed.Controller.ReconcileOnceAsync(CancellationToken.None);
        Assert.Equal(count, CountOf(_bed.LogOf(felix, "calico-node"), "Removing kube-proxy's iptables rules"));
    }

    [Fact]
    public async Task ManualOverride_LeavesTheDatapathAlone_AndRecordsIt()
    {
        _bed.Datapath.ManualOverride = DatapathMode.EbpfDsr;

        await _bed.SettleAsync();

        Assert.Empty(_bed.Datapath.Applied);
        var record = _bed.DatapathRecord()!;
        Assert.Equal("ebpf-dsr", Str(record, "data.mode"));
        Assert.Equal("manual: ebpf-console lab mode", Str(record, "data.source"));
        Assert.Contains("iptables", Str(record, "data.reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NginxDeployment_RunsOnNode2AsTheRealPod_WithEndpointsAndStatus()
    {
        await _bed.SettleAsync();
        _bed.Store.Create(ResourceCatalog.Deployments, "default", WorkloadPlannerTests.Nginx());
        _bed.Store.Create(ResourceCatalog.Services, "default", (JsonObject)JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"nginx","namespace":"default"},
             "spec":{"type":"NodePort","selector":{"app":"nginx"},"ports":[{"port":80,"targetPort":80,"nodePort":30604}]}}
            """)!);
        await _bed.SettleAsync();

        var pod = Assert.Single(_bed.Pods("default", "app=nginx"));
        Assert.Equal("node-2", Str(pod, "spec.nodeName"));
        Assert.Equal("10.244.2.5", Str(pod, "status.podIP"));
        Assert.Matches("^nginx-[a-z0-9]{10}-[a-z0-9]{5}$", Name(pod));
        var endpoints = _bed.Store.Get(ResourceCatalog.Endpoints, "default", "nginx");
        Assert.Equal("10.244.2.5", endpoints["subsets"]![0]!["addresses"]![0]!["ip"]!.GetValue<string>());
        Assert.Equal(80, endpoints["subsets"]![0]!["ports"]![0]!["port"]!.GetValue<int>());
        var deployment = _bed.Store.Get(ResourceCatalog.Deployments, "default", "nginx");
        Assert.Equal(1, deployment["status"]!["availableReplicas"]!.GetValue<int>());
        Assert.Contains(deployment["status"]!["conditions"]!.AsArray(), c => Str((JsonObject)c!, "type") == "Available" && Str((JsonObject)c!, "status") == "True");

        _bed.Store.Delete(ResourceCatalog.Deployments, "default", "nginx");
        await _bed.SettleAsync();
        Assert.Empty(_bed.Pods("default", "app=nginx"));
        Assert.Empty(Items(_bed.Store.List(ResourceCatalog.ReplicaSets, "default", ListOptions.None)));
    }

    [Fact]
    public async Task DaemonRestart_KeepsEveryObjectAndWhatFelixStartedWith()
    {
        await _bed.SettleAsync();
        _bed.CreateServicesEndpoint();
        _bed.DeletePods("k8s-app=calico-node");
        await _bed.SettleAsync();
        _bed.Store.Patch(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy", PatchType.StrategicMerge, """{"spec":{"template":{"spec":{"nodeSelector":{"non-calico": "true"}}}}}""");
        _bed.Patch(ResourceCatalog.FelixConfigurations, null, "default", """{"spec":{"bpfEnabled":true}}""");
        await _bed.SettleAsync();
        var pods = _bed.Pods(null).Select(Name).Order().ToList();

        _bed.Restart();
        await _bed.SettleAsync();

        Assert.Equal(pods, _bed.Pods(null).Select(Name).Order());
        Assert.All(_bed.Pods(selector: "k8s-app=calico-node"), p => Assert.Equal(1, p["status"]!["containerStatuses"]![0]!["restartCount"]!.GetValue<int>()));
        Assert.Equal("ebpf-tunnel", _bed.Datapath.Current);
    }

    private static int CountOf(string text, string part) => text.Split('\n').Count(l => l.Contains(part, StringComparison.Ordinal));
}
