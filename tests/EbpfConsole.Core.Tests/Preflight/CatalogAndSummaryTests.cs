using System.Text.Json.Nodes;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Core.Preflight.Rules;

namespace EbpfConsole.Core.Tests.Preflight;

public sealed class CatalogAndSummaryTests
{
    [Fact]
    public void Catalog_IsP1ToP20ThenRbac_WithDomainScopes()
    {
        Assert.Equal([.. Enumerable.Range(1, 20).Select(i => $"P{i}"), "RBAC"], CheckCatalog.All.Select(c => c.Id));
        Assert.Equal(["P1", "P4", "P7", "P8", "P11", "P17", "P18", "P19", "RBAC"], CheckCatalog.ClusterChecks.Select(c => c.Id));
        Assert.Equal(["P2", "P3", "P5", "P6", "P9", "P10", "P12", "P13", "P14", "P15", "P16", "P20"], CheckCatalog.NodeChecks.Select(c => c.Id));
        Assert.All(CheckCatalog.All, c =>
        {
            Assert.InRange(c.Title.Length, 1, 24);
            Assert.False(string.IsNullOrWhiteSpace(c.Detect));
            Assert.False(string.IsNullOrWhiteSpace(c.Remediation));
        });
        Assert.Same(CheckCatalog.Find("p5"), CheckCatalog.All[4]);
    }

    [Fact]
    public void EvaluateCluster_ReturnsClusterChecksInCatalogOrder()
    {
        var results = PreflightRules.EvaluateCluster(Facts.Cluster());

        Assert.Equal(CheckCatalog.ClusterChecks.Select(c => c.Id), results.Select(r => r.Id));
        Assert.All(results, r => Assert.Null(r.Node));
        Assert.All(results, r => Assert.Equal(CheckScope.Cluster, r.Scope));
    }

    [Fact]
    public void Summary_ManifestCluster()
    {
        var cluster = Facts.Cluster() with
        {
            FelixConfigurations = new ApiList("felixconfigurations", [Facts.Felix("default", """{"bpfEnabled": true, "bpfExternalServiceMode": "DSR"}""")]),
            KubernetesEndpoints = Facts.Endpoints("10.0.0.10", "10.0.0.20"),
        };

        var summary = ClusterSummaries.From(cluster);

        Assert.Equal("manifest", summary.InstallType);
        Assert.Equal("v3.29.3", summary.CalicoVersion);
        Assert.Equal("kube-system", summary.CalicoNamespace);
        Assert.Equal("iptables", summary.KubeProxy);
        Assert.True(summary.BpfEnabled);
        Assert.Equal("DSR", summary.ExternalServiceMode);
        Assert.Equal("10.0.0.10:6443, 10.0.0.20:6443", summary.KubernetesEndpoints);
        Assert.Equal("crd.projectcalico.org/v1", summary.CalicoApiGroup);
        Assert.Equal(new ClusterNode("node-1", "10.0.0.11", "6.8.0-45-generic", "Ubuntu 24.04 LTS", "amd64", "linux"), summary.Nodes[0]);
    }

    [Fact]
    public void Summary_Defaults_NoCalico_KubeProxyStates()
    {
        var disabled = Facts.KubeProxyDaemonSet();
        disabled.Json!["spec"]!["template"]!["spec"]!["nodeSelector"] = new JsonObject { ["non-calico"] = "true" };
        var cluster = Facts.Cluster() with
        {
            CalicoNodeDaemonSet = ApiObject.Missing(Facts.CalicoNodePath),
            FelixConfigurations = new ApiList("felixconfigurations", []),
            ServedGroupVersions = new HashSet<string>(["v1"]),
            KubeProxyDaemonSet = disabled,
        };

        var summary = ClusterSummaries.From(cluster);

        Assert.Equal("not found", summary.InstallType);
        Assert.Null(summary.CalicoVersion);
        Assert.False(summary.BpfEnabled);
        Assert.Equal("Tunnel", summary.ExternalServiceMode);
        Assert.Equal("none", summary.CalicoApiGroup);
        Assert.Equal("disabled (nodeSelector non-calico=true)", summary.KubeProxy);
        Assert.Equal("ipvs", ClusterSummaries.From(Facts.Cluster() with { KubeProxyConfigMap = Facts.KubeProxyConfigMap("ipvs") }).KubeProxy);
        Assert.Equal("absent", ClusterSummaries.From(Facts.Cluster() with { KubeProxyDaemonSet = ApiObject.Missing("daemonsets kube-system/kube-proxy") }).KubeProxy);
    }

    [Theory]
    [InlineData("kind: KubeProxyConfiguration\nmode: ipvs\n", "ipvs")]
    [InlineData("mode: \"ipvs\" # KubeKey default\n", "ipvs")]
    [InlineData("mode: ''\n", "")]
    [InlineData("mode:\n", "")]
    [InlineData("ipvs:\n  mode: nested\nkind: KubeProxyConfiguration\n", null)]
    [InlineData("mode: nftables\r\n", "nftables")]
    public void KubeProxyMode_TopLevelLineOnly(string configConf, string? expected) => Assert.Equal(expected, KubeProxyConfig.Mode(configConf));

    [Fact]
    public void KubeProxyFlagMode_FromCommand()
    {
        var ds = Facts.Json("""{"spec": {"template": {"spec": {"containers": [{"name": "kube-proxy", "command": ["kube-proxy", "--proxy-mode=ipvs"]}]}}}}""");

        Assert.Equal("ipvs", KubeProxyConfig.FlagMode(ds));
    }

    [Fact]
    public void ApiEndpoints_InvalidAddressesAreSkippedValidOnesTested()
    {
        var cluster = Facts.Cluster() with { KubernetesEndpoints = Facts.Endpoints("10.0.0.10", "10.0.0.11;id", "10.0.0.12") };

        var tested = NodeProbeScript.TestedEndpoints(cluster);

        Assert.Equal(["10.0.0.10", "10.0.0.12"], tested.Select(t => t.Host));
    }

    [Theory]
    [InlineData("v3.29.3", 3, 29, 3)]
    [InlineData("3.28", 3, 28, 0)]
    [InlineData("v3.28.1-amd64", 3, 28, 1)]
    public void CalicoVersion_Parse(string text, int major, int minor, int patch) =>
        Assert.Equal(new CalicoVersion(major, minor, patch), CalicoVersion.Parse(text));

    [Theory]
    [InlineData("docker.io/calico/node:v3.29.3", "v3.29.3")]
    [InlineData("registry.local:5000/calico/node:v3.13.0", "v3.13.0")]
    [InlineData("registry.local:5000/calico/node", null)]
    [InlineData("calico/node@sha256:abc", null)]
    public void ImageTag(string image, string? tag) => Assert.Equal(tag, CalicoVersion.ImageTag(image));
}
