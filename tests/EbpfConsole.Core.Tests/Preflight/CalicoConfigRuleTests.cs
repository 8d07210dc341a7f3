using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Tests.Preflight;

public sealed class CalicoConfigRuleTests
{
    private const string Dataplane = """{"name": "DATASTORE_TYPE", "value": "kubernetes"}""";

    [Fact]
    public void P17_EnvThatFelixConfigurationDoesNotSet_Passes()
    {
        var cluster = Facts.Cluster() with { CalicoNodeDaemonSet = Facts.CalicoNode(env: $$"""[{{Dataplane}}, {"name": "FELIX_DEFAULTENDPOINTTOHOSTACTION", "value": "ACCEPT"}]""") };

        var result = Facts.ClusterCheck(cluster, "P17");

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Contains("env FELIX_DEFAULTENDPOINTTOHOSTACTION=ACCEPT", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void P17_EnvOverridesFelixConfigurationWithAnotherValue_Warns7252()
    {
        var cluster = Facts.Cluster() with
        {
            CalicoNodeDaemonSet = Facts.CalicoNode(env: $$"""[{{Dataplane}}, {"name": "FELIX_BPFEXTERNALSERVICEMODE", "value": "Tunnel"}]"""),
            FelixConfigurations = new ApiList("felixconfigurations", [Facts.Felix("default", """{"bpfExternalServiceMode": "DSR"}""")]),
        };

        var result = Facts.ClusterCheck(cluster, "P17");

        Assert.Equal(Verdict.Warn, result.Verdict);
        Assert.Contains("env FELIX_BPFEXTERNALSERVICEMODE=Tunnel overrides FelixConfiguration default bpfExternalServiceMode=DSR", result.Reason, StringComparison.Ordinal);
        Assert.Contains("felixconfigurations default: spec.bpfExternalServiceMode = DSR", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void P17_SameValueDifferentCase_IsNoConflict()
    {
        var cluster = Facts.Cluster() with
        {
            CalicoNodeDaemonSet = Facts.CalicoNode(env: $$"""[{{Dataplane}}, {"name": "FELIX_DEFAULTENDPOINTTOHOSTACTION", "value": "ACCEPT"}]"""),
            FelixConfigurations = new ApiList("felixconfigurations", [Facts.Felix("default", """{"defaultEndpointToHostAction": "Accept"}""")]),
        };

        Assert.Equal(Verdict.Pass, Facts.ClusterCheck(cluster, "P17").Verdict);
    }

    [Fact]
    public void P17_BpfEnabledEnv_WarnsEvenWithoutConflict()
    {
        var cluster = Facts.Cluster() with { CalicoNodeDaemonSet = Facts.CalicoNode(env: $$"""[{{Dataplane}}, {"name": "FELIX_BPFENABLED", "value": "false"}]""") };

        var result = Facts.ClusterCheck(cluster, "P17");

        Assert.Equal(Verdict.Warn, result.Verdict);
        Assert.Contains("FELIX_BPFENABLED=false beats FelixConfiguration bpfEnabled", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void P17_NodeConfigurationOverridesDefault_Warns()
    {
        var cluster = Facts.Cluster() with
        {
            FelixConfigurations = new ApiList("felixconfigurations", [
                Facts.Felix("default", """{"bpfEnabled": false}"""),
                Facts.Felix("node.node-2", """{"bpfEnabled": true}""")]),
        };

        var result = Facts.ClusterCheck(cluster, "P17");

        Assert.Equal(Verdict.Warn, result.Verdict);
        Assert.Contains("node.node-2 sets bpfEnabled=true over default's false", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void P17_FelixConfigurationsUnreadable_Unknown()
    {
        var cluster = Facts.Cluster() with { FelixConfigurations = ApiList.Unreadable("felixconfigurations.crd.projectcalico.org", "the server could not find the requested resource") };

        var result = Facts.ClusterCheck(cluster, "P17");

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Equal("could not read felixconfigurations.crd.projectcalico.org: the server could not find the requested resource", result.Reason);
    }

    [Theory]
    [InlineData(new[] { "v1", "projectcalico.org/v3", "crd.projectcalico.org/v1" }, Verdict.Pass, "projectcalico.org/v3")]
    [InlineData(new[] { "v1", "crd.projectcalico.org/v1" }, Verdict.Pass, "crd.projectcalico.org/v1")]
    [InlineData(new[] { "v1", "apps/v1" }, Verdict.Fail, "neither")]
    public void P18_ServedCalicoGroup(string[] served, Verdict expected, string inReason)
    {
        var cluster = Facts.Cluster() with { ServedGroupVersions = new HashSet<string>(served, StringComparer.Ordinal) };

        var result = Facts.ClusterCheck(cluster, "P18");

        Assert.Equal(expected, result.Verdict);
        Assert.Contains(inReason, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void P18_DiscoveryFailed_Unknown()
    {
        var cluster = Facts.Cluster() with { ServedGroupVersions = new HashSet<string>(), DiscoveryError = "GET /apis: 503 Service Unavailable" };

        Assert.Equal(Verdict.Unknown, Facts.ClusterCheck(cluster, "P18").Verdict);
    }

    [Theory]
    [InlineData("Enabled", true, Verdict.Fail)]
    [InlineData("Enabled", false, Verdict.Pass)]
    [InlineData("Disabled", true, Verdict.Pass)]
    public void P19_BootstrapTogetherWithConfigMap_Fails(string bootstrap, bool configMap, Verdict expected)
    {
        var cluster = Facts.Cluster() with
        {
            Installation = Facts.Found("installations.operator.tigera.io/default", Facts.Fill("""{"metadata": {"name": "default"}, "spec": {"calicoNetwork": {"linuxDataplane": "BPF", "bpfNetworkBootstrap": "@b"}}}""", ("@b", bootstrap))),
            ServicesEndpointConfigMap = configMap
                ? Facts.ServicesConfigMap("10.0.0.10", ns: "tigera-operator")
                : ApiObject.Missing("configmaps tigera-operator/kubernetes-services-endpoint"),
        };

        var result = Facts.ClusterCheck(cluster, "P19");

        Assert.Equal(expected, result.Verdict);
        Assert.Contains($"spec.calicoNetwork.bpfNetworkBootstrap = {bootstrap}", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void P19_ManifestInstall_PassesAsNotApplicable()
    {
        var result = Facts.ClusterCheck(Facts.Cluster(), "P19");

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Contains("not applicable", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rbac_AllAllowed_Passes_DeniedWarnsNamingTheStep()
    {
        var needs = MigrationPermissions.For(false, "crd.projectcalico.org", "kube-system");
        var allowed = Facts.Cluster() with { Permissions = needs.Select(n => new PermissionResult(n, true, null)).ToList() };
        Assert.Equal(Verdict.Pass, Facts.ClusterCheck(allowed, "RBAC").Verdict);

        var denied = Facts.Cluster() with
        {
            Permissions = needs.Select(n => new PermissionResult(n, n.Step != "M4", n.Step == "M4" ? "no RBAC policy matched" : null)).ToList(),
        };
        var result = Facts.ClusterCheck(denied, "RBAC");

        Assert.Equal(Verdict.Warn, result.Verdict);
        Assert.Contains("M4 disable kube-proxy (patch its DaemonSet) (patch daemonsets.apps kube-system/kube-proxy)", result.Reason, StringComparison.Ordinal);
        Assert.Contains("selfsubjectaccessreview patch daemonsets.apps kube-system/kube-proxy: denied (no RBAC policy matched)", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Rbac_ReviewFailed_Unknown()
    {
        var cluster = Facts.Cluster() with { PermissionsError = "selfsubjectaccessreviews.authorization.k8s.io is forbidden" };

        var result = Facts.ClusterCheck(cluster, "RBAC");

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Contains("selfsubjectaccessreviews.authorization.k8s.io is forbidden", result.Reason, StringComparison.Ordinal);
    }
}
