using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;
using static EbpfConsole.Lab.Tests.Cluster.ClusterBed;

namespace EbpfConsole.Lab.Tests.Cluster;

/// <summary>The lab operator reads the Installation as Calico v3.31 writes it (custom-resources-bpf.yaml: DOMAIN.md M5).</summary>
public sealed class OperatorInstallationTests
{
    private const string DisableKey = "operator.tigera.io/disable-kube-proxy";

    [Fact]
    public async Task CalicoNetworkBpfBootstrapAndKubeProxyManagement_WithoutConfigMap_SetsOverrideEnvAndDisablesKubeProxy()
    {
        using var bed = new ClusterBed("operator");
        await bed.SettleAsync();

        bed.Patch(ResourceCatalog.Installations, null, "default",
            """{"spec":{"calicoNetwork":{"linuxDataplane":"BPF","bpfNetworkBootstrap":"Enabled","kubeProxyManagement":"Enabled"}}}""");
        await bed.SettleAsync();

        Assert.Equal(new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "10.99.0.1", ["KUBERNETES_SERVICE_PORT"] = "6443" }, CalicoNodeEnv(bed));
        Assert.Equal("true", DisableKubeProxySelector(bed));
        Assert.Empty(bed.Pods(selector: "k8s-app=kube-proxy"));
        Assert.All(bed.Pods("calico-system", "k8s-app=calico-node"), p => Assert.Contains("KUBERNETES_SERVICE_HOST=\"10.99.0.1\"", bed.LogOf(p, "calico-node"), StringComparison.Ordinal));
        Assert.True(bed.Store.Get(ResourceCatalog.FelixConfigurations, null, "default")["spec"]!["bpfEnabled"]!.GetValue<bool>());
        Assert.Equal("ebpf-tunnel", bed.Datapath.Current);
    }

    [Fact]
    public async Task BackToIptables_WithBootstrap_RemovesTheOverrideAndBringsKubeProxyBack()
    {
        using var bed = new ClusterBed("operator");
        await bed.SettleAsync();
        bed.Patch(ResourceCatalog.Installations, null, "default",
            """{"spec":{"calicoNetwork":{"linuxDataplane":"BPF","bpfNetworkBootstrap":"Enabled","kubeProxyManagement":"Enabled"}}}""");
        await bed.SettleAsync();

        bed.Patch(ResourceCatalog.Installations, null, "default", """{"spec":{"calicoNetwork":{"linuxDataplane":"Iptables"}}}""");
        await bed.SettleAsync();

        Assert.Empty(CalicoNodeEnv(bed));
        Assert.Null(DisableKubeProxySelector(bed));
        Assert.Equal(2, bed.Pods(selector: "k8s-app=kube-proxy").Count);
        Assert.False(bed.Store.Get(ResourceCatalog.FelixConfigurations, null, "default")["spec"]!["bpfEnabled"]!.GetValue<bool>());
        Assert.Equal("iptables", bed.Datapath.Current);
    }

    [Fact]
    public async Task BpfWithoutBootstrapOrConfigMap_LeavesCalicoNodeWithoutOverride()
    {
        using var bed = new ClusterBed("operator");
        await bed.SettleAsync();

        bed.Patch(ResourceCatalog.Installations, null, "default", """{"spec":{"calicoNetwork":{"linuxDataplane":"BPF","kubeProxyManagement":"Enabled"}}}""");
        await bed.SettleAsync();

        Assert.Empty(CalicoNodeEnv(bed));
        Assert.Equal("true", DisableKubeProxySelector(bed));
    }

    [Fact]
    public async Task ConfigMapPresent_WinsOverBootstrap()
    {
        using var bed = new ClusterBed("operator");
        await bed.SettleAsync();
        bed.Store.Create(ResourceCatalog.ConfigMaps, "tigera-operator", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "kubernetes-services-endpoint", ["namespace"] = "tigera-operator" },
            ["data"] = new JsonObject { ["KUBERNETES_SERVICE_HOST"] = "10.99.0.100", ["KUBERNETES_SERVICE_PORT"] = "8443" },
        });

        bed.Patch(ResourceCatalog.Installations, null, "default", """{"spec":{"calicoNetwork":{"linuxDataplane":"BPF","bpfNetworkBootstrap":"Enabled"}}}""");
        await bed.SettleAsync();

        Assert.Equal(new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "10.99.0.100", ["KUBERNETES_SERVICE_PORT"] = "8443" }, CalicoNodeEnv(bed));
    }

    [Fact]
    public async Task TopLevelKubeProxyManagement_IsStillReadAsAFallback()
    {
        using var bed = new ClusterBed("operator");
        await bed.SettleAsync();

        bed.Patch(ResourceCatalog.Installations, null, "default", """{"spec":{"kubeProxyManagement":"Enabled","calicoNetwork":{"linuxDataplane":"BPF"}}}""");
        await bed.SettleAsync();

        Assert.Equal("true", DisableKubeProxySelector(bed));
    }

    [Fact]
    public async Task KubeProxyManagementDisabledUnderCalicoNetwork_BeatsTheTopLevelField()
    {
        using var bed = new ClusterBed("operator");
        await bed.SettleAsync();

        bed.Patch(ResourceCatalog.Installations, null, "default",
            """{"spec":{"kubeProxyManagement":"Enabled","calicoNetwork":{"linuxDataplane":"BPF","kubeProxyManagement":"Disabled"}}}""");
        await bed.SettleAsync();

        Assert.Null(DisableKubeProxySelector(bed));
    }

    /// <summary>The operator's node selector on kube-proxy (the key has dots, so no dotted path).</summary>
    private static string? DisableKubeProxySelector(ClusterBed bed) =>
        bed.Store.Get(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy")["spec"]!["template"]!["spec"]!["nodeSelector"]?[DisableKey]?.GetValue<string>();

    /// <summary>KUBERNETES_SERVICE_* env entries of the calico-node container in calico-system/calico-node.</summary>
    private static Dictionary<string, string> CalicoNodeEnv(ClusterBed bed)
    {
        var ds = bed.Store.Get(ResourceCatalog.DaemonSets, "calico-system", "calico-node");
        var container = ds["spec"]!["template"]!["spec"]!["containers"]!.AsArray().OfType<JsonObject>().Single(c => c["name"]!.GetValue<string>() == "calico-node");
        return (container["env"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(e => e["name"]!.GetValue<string>().StartsWith("KUBERNETES_SERVICE_", StringComparison.Ordinal))
            .ToDictionary(e => e["name"]!.GetValue<string>(), e => e["value"]!.GetValue<string>());
    }
}
