using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Core.Tests.Preflight;

namespace EbpfConsole.Core.Tests.Migration;

public sealed class MigrationTargetsTests
{
    [Fact]
    public void From_HealthyManifest_TakesTheOneEndpointAndCrdFelix()
    {
        var target = TestClusters.Healthy().Target;

        Assert.Equal(InstallKind.Manifest, target.Install);
        Assert.Equal("kube-system", target.CalicoNamespace);
        Assert.Equal("v3.29.3", target.CalicoVersion);
        Assert.False(target.OperatorBootstrap);
        Assert.Equal("crd.projectcalico.org/v1", target.FelixDefault.ApiVersion);
        Assert.Equal("iptables", target.KubeProxyMode);
        Assert.False(target.KubeProxyManaged);
        Assert.Equal(new ServiceEndpoint("10.0.0.10", 6443, "endpoints default/kubernetes"), target.Endpoint);
        Assert.Equal(["node-1", "node-2"], target.Nodes);
        Assert.Empty(target.FailedChecks);
        Assert.Equal("test", target.Context);
        Assert.Equal("https://10.0.0.10:6443", target.Server);
    }

    [Fact]
    public void From_V3Served_WritesFelixThroughProjectcalicoV3()
    {
        var facts = Facts.Cluster() with { ServedGroupVersions = new HashSet<string>(["v1", "projectcalico.org/v3", "crd.projectcalico.org/v1"], StringComparer.Ordinal) };

        var target = MigrationTargets.From(facts, [], "c");

        Assert.Equal("projectcalico.org/v3", target.FelixDefault.ApiVersion);
    }

    [Theory]
    [InlineData("v3.29.3", false)]
    [InlineData("v3.30.2", false)]
    [InlineData("v3.31.0", true)]
    [InlineData("v3.32.1", true)]
    public void From_Operator_BootstrapFromV331(string version, bool bootstrap)
    {
        var target = MigrationTargets.From(TestClusters.Operator(version), [], "c");

        Assert.Equal(InstallKind.Operator, target.Install);
        Assert.Equal("calico-system", target.CalicoNamespace);
        Assert.Equal(bootstrap, target.OperatorBootstrap);
        Assert.Equal(version, target.CalicoVersion);
    }

    [Fact]
    public void From_IpvsAndManaged_SayWhatPreflightSaw()
    {
        Assert.Equal("ipvs", TestClusters.Ipvs().Target.KubeProxyMode);
        Assert.True(TestClusters.ManagedKubeProxy().Target.KubeProxyManaged);
    }

    [Fact]
    public void From_FailedChecks_GroupedById()
    {
        var ipvs = TestClusters.Ipvs();

        var p10 = Assert.Contains("P10", ipvs.Target.FailedChecks);
        Assert.Equal(["node-1", "node-2"], p10.Select(r => r.Node));
        Assert.All(ipvs.Target.FailedChecks.Values.SelectMany(v => v), r => Assert.Equal(Verdict.Fail, r.Verdict));
    }

    [Fact]
    public void From_ExistingConfigMap_TakesItsValues()
    {
        var facts = Facts.Cluster() with { ServicesEndpointConfigMap = Facts.ServicesConfigMap("api.example.internal", "8443") };

        var target = MigrationTargets.From(facts, [], "c");

        Assert.Equal(new ServiceEndpoint("api.example.internal", 8443, "configmaps kube-system/kubernetes-services-endpoint"), target.Endpoint);
    }

    [Fact]
    public void From_SeveralEndpointsWithoutLoadBalancer_HasNoEndpoint()
    {
        var facts = Facts.Cluster() with
        {
            KubernetesEndpoints = Facts.Endpoints("10.0.0.10", "10.0.0.20"),
            KubeProxyConfigMap = Facts.KubeProxyConfigMap(server: "https://10.0.0.10:6443"),
        };

        Assert.Null(MigrationTargets.From(facts, [], "c").Endpoint);
    }

    [Fact]
    public void From_SeveralEndpointsBehindTheKubeProxyServer_TakesThatLoadBalancer()
    {
        var facts = Facts.Cluster() with
        {
            KubernetesEndpoints = Facts.Endpoints("10.0.0.10", "10.0.0.20"),
            KubeProxyConfigMap = Facts.KubeProxyConfigMap(server: "https://lb.kubesphere.local:6443"),
        };

        var endpoint = MigrationTargets.From(facts, [], "c").Endpoint;

        Assert.Equal(new ServiceEndpoint("lb.kubesphere.local", 6443, "configmaps kube-system/kube-proxy kubeconfig.conf server"), endpoint);
    }

    [Fact]
    public void From_LoopbackOnOperator_HasNoEndpoint_ButManifestKeepsIt()
    {
        var loopback = Facts.Endpoints("127.0.0.1");

        Assert.Null(MigrationTargets.From(TestClusters.Operator("v3.29.3") with { KubernetesEndpoints = loopback }, [], "c").Endpoint);
        Assert.Equal("127.0.0.1", MigrationTargets.From(Facts.Cluster() with { KubernetesEndpoints = loopback }, [], "c").Endpoint?.Host);
    }

    [Fact]
    public void From_NoEndpointsObject_HasNoEndpoint()
    {
        var facts = Facts.Cluster() with { KubernetesEndpoints = ApiObject.Missing("endpoints default/kubernetes") };

        Assert.Null(MigrationTargets.From(facts, [], "c").Endpoint);
    }

    [Fact]
    public void From_Touched_IncludesTheInstallationOnlyOnOperators()
    {
        Assert.DoesNotContain(MigrationObjects.Installation, TestClusters.Healthy().Target.Touched);
        Assert.Contains(MigrationObjects.Installation, TestClusters.Operator329().Target.Touched);
        Assert.Contains(TestClusters.Operator329().Target.Touched, r => r.Key == "v1 configmaps tigera-operator/kubernetes-services-endpoint");
    }

    [Fact]
    public void From_NodeWithoutName_IsLeftOut()
    {
        var facts = Facts.Cluster() with { Nodes = new ApiList("nodes", [Facts.Node("node-1", "10.0.0.11"), new JsonObject()]) };

        Assert.Equal(["node-1"], MigrationTargets.From(facts, [], "c").Nodes);
    }
}
