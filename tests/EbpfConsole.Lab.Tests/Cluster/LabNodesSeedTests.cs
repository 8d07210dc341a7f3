using EbpfConsole.Lab.Api;
using static EbpfConsole.Lab.Tests.Cluster.ClusterBed;

namespace EbpfConsole.Lab.Tests.Cluster;

/// <summary>A lab of N nodes has N Node objects, and the DaemonSets put a pod on each of them.</summary>
public sealed class LabNodesSeedTests : IDisposable
{
    private readonly ClusterBed _bed = new("healthy", nodes: 5);

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void Seed_FiveNodes_NodeObjectPerNodeWithItsAddressAndPodCidr()
    {
        var nodes = Items(_bed.Store.List(ResourceCatalog.Nodes, null, ListOptions.None));

        Assert.Equal(["node-1", "node-2", "node-3", "node-4", "node-5"], nodes.Select(Name).Order(StringComparer.Ordinal));
        var node5 = nodes.Single(n => Name(n) == "node-5");
        Assert.Equal("10.99.0.15", node5["status"]!["addresses"]![0]!["address"]!.GetValue<string>());
        Assert.Equal("10.244.5.0/24", Str(node5, "spec.podCIDR"));
        Assert.Equal("10.99.0.15/24", node5["metadata"]!["annotations"]!["projectcalico.org/IPv4Address"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reconcile_FiveNodes_KubeProxyAndCalicoNodeRunOnEveryNode()
    {
        await _bed.SettleAsync();

        foreach (var app in new[] { "kube-proxy", "calico-node" })
        {
            var pods = _bed.Pods(selector: "k8s-app=" + app);
            Assert.Equal(["node-1", "node-2", "node-3", "node-4", "node-5"], pods.Select(p => Str(p, "spec.nodeName")).Order(StringComparer.Ordinal));
            Assert.All(pods, p => Assert.Equal("Running", Str(p, "status.phase")));
            Assert.Equal("10.99.0.15", Str(pods.Single(p => Str(p, "spec.nodeName") == "node-5"), "status.hostIP"));
        }
    }

    [Fact]
    public void Seed_Healthy_HasTheManifestInstallsDefaultIpPool()
    {
        var pool = _bed.Store.Get(ResourceCatalog.IPPools, null, "default-ipv4-ippool");

        Assert.Equal("10.244.0.0/16", Str(pool, "spec.cidr"));
        Assert.Equal("Always", Str(pool, "spec.ipipMode"));
        Assert.Equal("Never", Str(pool, "spec.vxlanMode"));
        Assert.True(pool["spec"]!["natOutgoing"]!.GetValue<bool>());
    }
}
