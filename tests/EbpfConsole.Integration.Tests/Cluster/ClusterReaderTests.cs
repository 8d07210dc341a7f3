using System.Text.Json.Nodes;
using EbpfConsole.Cluster.Reading;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Integration.Tests.Support;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Integration.Tests.Cluster;

/// <summary>KubernetesClusterReader against the lab API seeded with the healthy scenario (manifest install).</summary>
public sealed class ClusterReaderTests(HealthyClusterApiFixture fixture) : IClassFixture<HealthyClusterApiFixture>
{
    [Fact]
    public async Task ReadAsync_Healthy_FillsTheFactsFromTheApi()
    {
        using var connection = fixture.Open();
        var facts = await new KubernetesClusterReader(connection).ReadAsync(CancellationToken.None);

        Assert.Equal(fixture.Server, facts.Server);
        Assert.Equal("v1.32.4", facts.ServerVersion);
        Assert.Equal("lab-admin", facts.Identity);
        Assert.Null(facts.Nodes.Error);
        Assert.Equal(["node-1", "node-2"], facts.Nodes.Items.Select(n => (string?)n["metadata"]!["name"]).Order());
        Assert.All(facts.Nodes.Items, n => Assert.False(string.IsNullOrEmpty((string?)n["status"]!["nodeInfo"]!["kernelVersion"])));
        Assert.False(facts.Installation.Found);
        Assert.Null(facts.Installation.Error);
        Assert.Equal("daemonsets kube-system/calico-node", facts.CalicoNodeDaemonSet.Path);
        Assert.True(facts.CalicoNodeDaemonSet.Found);
        Assert.True(facts.KubeProxyDaemonSet.Found);
        Assert.Contains("mode: iptables", (string?)facts.KubeProxyConfigMap.Json!["data"]!["config.conf"], StringComparison.Ordinal);
        Assert.Equal("10.99.0.1", (string?)facts.KubernetesEndpoints.Json!["subsets"]![0]!["addresses"]![0]!["ip"]);
        Assert.Equal("configmaps kube-system/kubernetes-services-endpoint", facts.ServicesEndpointConfigMap.Path);
        Assert.False(facts.ServicesEndpointConfigMap.Found);
        Assert.Null(facts.ServicesEndpointConfigMap.Error);
        Assert.False(facts.CalicoConfigMap.Found);
        Assert.Equal(["default"], facts.FelixConfigurations.Items.Select(f => (string?)f["metadata"]!["name"]));
        Assert.Equal("felixconfigurations.crd.projectcalico.org/v1", facts.FelixConfigurations.Path);
        Assert.Null(facts.DiscoveryError);
        Assert.Superset(new HashSet<string> { "v1", "apps/v1", "crd.projectcalico.org/v1", "operator.tigera.io/v1" }, facts.ServedGroupVersions.ToHashSet());
        Assert.DoesNotContain("projectcalico.org/v3", facts.ServedGroupVersions);
    }

    [Fact]
    public async Task ReadAsync_Healthy_ReadsIpPoolsThroughTheCrds()
    {
        using var connection = fixture.Open();
        var facts = await new KubernetesClusterReader(connection).ReadAsync(CancellationToken.None);

        Assert.Null(facts.IpPools.Error);
        Assert.Equal("ippools.crd.projectcalico.org/v1", facts.IpPools.Path);
        Assert.Equal("Always", (string?)Assert.Single(facts.IpPools.Items)["spec"]!["ipipMode"]);
    }

    [Fact]
    public async Task ReadAsync_Admin_MayDoEveryMigrationStep()
    {
        using var connection = fixture.Open();
        var facts = await new KubernetesClusterReader(connection).ReadAsync(CancellationToken.None);

        Assert.Null(facts.PermissionsError);
        Assert.Equal(MigrationPermissions.For(false, "crd.projectcalico.org", "kube-system"), facts.Permissions.Select(p => p.Need));
        Assert.All(facts.Permissions, p => Assert.True(p.Allowed, p.Need.ToString()));
    }

    [Fact]
    public async Task ReadAsync_ObjectsAreExactlyAsServed_SameJsonAsTheStore()
    {
        using var connection = fixture.Open();
        var facts = await new KubernetesClusterReader(connection).ReadAsync(CancellationToken.None);

        var stored = fixture.Store.TryGet(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy")!;
        Assert.True(JsonNode.DeepEquals(stored, facts.KubeProxyDaemonSet.Json), facts.KubeProxyDaemonSet.Json!.ToJsonString());
        Assert.Contains("\"nodeSelector\"", facts.KubeProxyDaemonSet.Json!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ObjectsMatchWhatKubectlPrints()
    {
        var kubectl = Requirements.Tool("kubectl");
        var info = ToolProcess.StartInfo(kubectl, ["--kubeconfig", fixture.KubeconfigPath, "--cache-dir", Path.Combine(fixture.StateDir, "kubectl-cache"),
            "get", "daemonset", "-n", "kube-system", "calico-node", "-o", "json"]);
        info.Environment["HOME"] = fixture.StateDir;
        var (exit, stdout, stderr) = await ToolProcess.RunAsync(info, null);
        Assert.True(exit == 0, stderr);

        using var connection = fixture.Open();
        var facts = await new KubernetesClusterReader(connection).ReadAsync(CancellationToken.None);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(stdout), facts.CalicoNodeDaemonSet.Json), stdout);
    }

    [Fact]
    public async Task ReadAsync_ReaderOpenedFromOptions_ReadsTheSameServer()
    {
        using var reader = new KubernetesClusterReader(new EbpfConsole.Cluster.Config.KubeconfigOptions(fixture.KubeconfigPath), fixture.KubeEnvironment);

        var facts = await reader.ReadAsync(CancellationToken.None);

        Assert.Equal(fixture.Server, facts.Server);
        Assert.Equal(2, facts.Nodes.Items.Count);
    }
}

/// <summary>The operator scenario: Installation default, calico-node in calico-system, the ConfigMap in tigera-operator.</summary>
public sealed class ClusterReaderOperatorTests(OperatorClusterApiFixture fixture) : IClassFixture<OperatorClusterApiFixture>
{
    [Fact]
    public async Task ReadAsync_Operator_FindsInstallationAndCalicoSystem()
    {
        using var connection = fixture.Open();
        var facts = await new KubernetesClusterReader(connection).ReadAsync(CancellationToken.None);

        Assert.True(facts.Installation.Found);
        Assert.Equal("default", (string?)facts.Installation.Json!["metadata"]!["name"]);
        Assert.Equal("daemonsets calico-system/calico-node", facts.CalicoNodeDaemonSet.Path);
        Assert.True(facts.CalicoNodeDaemonSet.Found);
        Assert.Equal("configmaps tigera-operator/kubernetes-services-endpoint", facts.ServicesEndpointConfigMap.Path);
    }

    [Fact]
    public async Task ReadAsync_Operator_ReviewsTheOperatorVariantOfThePermissions()
    {
        using var connection = fixture.Open();
        var facts = await new KubernetesClusterReader(connection).ReadAsync(CancellationToken.None);

        Assert.Null(facts.PermissionsError);
        Assert.Equal(MigrationPermissions.For(true, "crd.projectcalico.org", "calico-system"), facts.Permissions.Select(p => p.Need));
    }
}

/// <summary>Objects that are not there: each field says Missing, the rest of the read goes on.</summary>
public sealed class ClusterReaderMissingObjectsTests(HealthyClusterApiFixture fixture) : IClassFixture<HealthyClusterApiFixture>
{
    [Fact]
    public async Task ReadAsync_DeletedObjects_AreMissingNotErrors()
    {
        fixture.Store.Delete(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy");
        fixture.Store.Delete(ResourceCatalog.ConfigMaps, "kube-system", "kube-proxy");
        fixture.Store.Delete(ResourceCatalog.DaemonSets, "kube-system", "calico-node");
        fixture.Store.Delete(ResourceCatalog.FelixConfigurations, null, "default");
        using var connection = fixture.Open();

        var facts = await new KubernetesClusterReader(connection).ReadAsync(CancellationToken.None);

        Assert.False(facts.KubeProxyDaemonSet.Found);
        Assert.Null(facts.KubeProxyDaemonSet.Error);
        Assert.False(facts.KubeProxyConfigMap.Found);
        Assert.Null(facts.KubeProxyConfigMap.Error);
        Assert.False(facts.CalicoNodeDaemonSet.Found);
        Assert.Null(facts.CalicoNodeDaemonSet.Error);
        Assert.Equal("daemonsets kube-system/calico-node or calico-system/calico-node", facts.CalicoNodeDaemonSet.Path);
        Assert.Null(facts.FelixConfigurations.Error);
        Assert.Empty(facts.FelixConfigurations.Items);
        Assert.Equal(2, facts.Nodes.Items.Count);
    }
}
