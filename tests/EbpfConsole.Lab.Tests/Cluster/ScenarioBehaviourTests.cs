using EbpfConsole.Lab.Api;
using static EbpfConsole.Lab.Tests.Cluster.ClusterBed;

namespace EbpfConsole.Lab.Tests.Cluster;

public sealed class ScenarioBehaviourTests
{
    private const string DisableKubeProxy = """{"spec":{"template":{"spec":{"nodeSelector":{"non-calico": "true"}}}}}""";

    [Fact]
    public async Task MissingBpffs_Node2CalicoNodeNotReadyInBpf_SoNoBpfDatapath()
    {
        using var bed = new ClusterBed("missing-bpffs");
        await bed.SettleAsync();
        bed.CreateServicesEndpoint();
        bed.DeletePods("k8s-app=calico-node");
        await bed.SettleAsync();
        bed.Store.Patch(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy", PatchType.StrategicMerge, DisableKubeProxy);
        bed.Patch(ResourceCatalog.FelixConfigurations, null, "default", """{"spec":{"bpfEnabled":true}}""");
        await bed.SettleAsync();

        var node2 = bed.Pods(selector: "k8s-app=calico-node").First(p => Str(p, "spec.nodeName") == "node-2");
        Assert.Contains("/sys/fs/bpf", bed.LogOf(node2, "calico-node"), StringComparison.Ordinal);
        Assert.Equal("none", bed.Datapath.Current);
        Assert.Contains("node-2: not Ready", Str(bed.DatapathRecord()!, "data.reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubekeyDefault_KubeProxyLogsTheIpvsProxier_FelixSeesKubeIpvs0()
    {
        using var bed = new ClusterBed("kubekey-default");
        await bed.SettleAsync();

        var kubeProxy = bed.Pods(selector: "k8s-app=kube-proxy")[0];
        Assert.Contains("\"Using ipvs Proxier\"", bed.LogOf(kubeProxy, "kube-proxy"), StringComparison.Ordinal);
        var calico = bed.Pods(selector: "k8s-app=calico-node")[0];
        Assert.Contains("Kube-proxy in ipvs mode, enabling felix kube-proxy ipvs support.", bed.LogOf(calico, "calico-node"), StringComparison.Ordinal);
        Assert.Equal("iptables", bed.Datapath.Current);
        Assert.Equal(string.Empty, bed.Store.Get(ResourceCatalog.Nodes, null, "node-2")["metadata"]!["labels"]!["node-role.kubernetes.io/worker"]!.GetValue<string>());
    }

    [Fact]
    public async Task Operator_ConfigMapInTigeraOperator_RollsCalicoNodeWithTheOverride_InstallationBpfSwitchesFelix()
    {
        using var bed = new ClusterBed("operator");
        await bed.SettleAsync();
        Assert.Equal(2, bed.Pods("calico-system", "k8s-app=calico-node").Count);
        Assert.Equal("Calico", Str(bed.Store.Get(ResourceCatalog.Installations, null, "default"), "status.variant"));
        var before = bed.Pods("calico-system", "k8s-app=calico-node").Select(Name).ToList();

        bed.CreateServicesEndpoint("tigera-operator");
        await bed.SettleAsync();
        var rolled = bed.Pods("calico-system", "k8s-app=calico-node");
        Assert.Empty(rolled.Select(Name).Intersect(before));
        Assert.All(rolled, p => Assert.Contains("KUBERNETES_SERVICE_HOST=\"10.99.0.1\"", bed.LogOf(p, "calico-node"), StringComparison.Ordinal));

        bed.Store.Patch(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy", PatchType.StrategicMerge, DisableKubeProxy);
        bed.Patch(ResourceCatalog.Installations, null, "default", """{"spec":{"calicoNetwork":{"linuxDataplane":"BPF"}}}""");
        await bed.SettleAsync();

        Assert.True(bed.Store.Get(ResourceCatalog.FelixConfigurations, null, "default")["spec"]!["bpfEnabled"]!.GetValue<bool>());
        Assert.Equal("ebpf-tunnel", bed.Datapath.Current);
    }

    [Fact]
    public async Task RunAsync_ReconcilesOnChangesUntilCancelled()
    {
        using var bed = new ClusterBed();
        var controller = new EbpfConsole.Lab.Cluster.LabController(bed.Paths, bed.Store, bed.Datapath)
        {
            Interval = TimeSpan.FromMilliseconds(100),
            StartDelay = TimeSpan.FromMilliseconds(100),
        };
        using var cts = new CancellationTokenSource();

        var run = controller.RunAsync(cts.Token);
        await Until(() => bed.Pods(selector: "k8s-app=kube-proxy").Count(p => Str(p, "status.phase") == "Running") == 2);
        bed.DeletePods("k8s-app=kube-proxy");
        await Until(() => bed.Pods(selector: "k8s-app=kube-proxy").Count(p => Str(p, "status.phase") == "Running") == 2);
        await cts.CancelAsync();

        await run.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("iptables", bed.Datapath.Current);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(50);
        }
    }
}
