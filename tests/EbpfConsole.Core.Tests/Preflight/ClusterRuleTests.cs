using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Tests.Preflight;

public sealed class ClusterRuleTests
{
    [Theory]
    [InlineData("docker.io/calico/node:v3.29.3", Verdict.Pass, "manifest install of Calico v3.29.3")]
    [InlineData("docker.io/calico/node:v3.24.0", Verdict.Pass, "manifest install of Calico v3.24.0")]
    [InlineData("docker.io/calico/node:v3.23.5", Verdict.Warn, "manifest install of Calico v3.23.5 is older than v3.24")]
    [InlineData("calico/node:v3.16.0", Verdict.Warn, "manifest install of Calico v3.16.0 is older than v3.24")]
    [InlineData("calico/node:v3.15.1", Verdict.Fail, "manifest install of Calico v3.15.1: eBPF is a tech preview up to v3.15")]
    [InlineData("registry.local:5000/calico/node:v3.13.0", Verdict.Fail, "manifest install of Calico v3.13.0: eBPF is a tech preview up to v3.15")]
    public void P1_ManifestVersion_FromImageTag(string image, Verdict expected, string reason)
    {
        var cluster = Facts.Cluster() with { CalicoNodeDaemonSet = Facts.CalicoNode(image: image) };

        var result = Facts.ClusterCheck(cluster, "P1");

        Assert.Equal(expected, result.Verdict);
        Assert.Equal(reason, result.Reason);
        Assert.Contains($"daemonsets kube-system/calico-node: image {image}", result.Evidence, StringComparison.Ordinal);
        Assert.Contains("installations.operator.tigera.io/default: not found", result.Evidence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docker.io/calico/node:latest")]
    [InlineData("docker.io/calico/node@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("docker.io/calico/node")]
    public void P1_UnparseableTag_WarnsSayingSo(string image)
    {
        var cluster = Facts.Cluster() with { CalicoNodeDaemonSet = Facts.CalicoNode(image: image) };

        var result = Facts.ClusterCheck(cluster, "P1");

        Assert.Equal(Verdict.Warn, result.Verdict);
        Assert.Contains("is not a version", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void P1_InstallationFound_IsOperator_VersionFromCalicoSystemImage()
    {
        var cluster = Facts.Cluster() with
        {
            Installation = Facts.Found("installations.operator.tigera.io/default", """{"metadata": {"name": "default"}, "spec": {"variant": "Calico"}, "status": {"calicoVersion": "v3.30.2"}}"""),
            CalicoNodeDaemonSet = Facts.CalicoNode(image: "quay.io/calico/node:v3.30.2", ns: "calico-system"),
        };

        var result = Facts.ClusterCheck(cluster, "P1");

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Equal("operator install of Calico v3.30.2", result.Reason);
        Assert.Null(result.Remediation);
    }

    [Fact]
    public void P1_OperatorWithoutDaemonSetYet_VersionFromInstallationStatus()
    {
        var cluster = Facts.Cluster() with
        {
            Installation = Facts.Found("installations.operator.tigera.io/default", """{"metadata": {"name": "default"}, "status": {"calicoVersion": "v3.22.1"}}"""),
            CalicoNodeDaemonSet = ApiObject.Missing("daemonsets calico-system/calico-node"),
        };

        var result = Facts.ClusterCheck(cluster, "P1");

        Assert.Equal(Verdict.Warn, result.Verdict);
        Assert.Equal("operator install of Calico v3.22.1 is older than v3.24", result.Reason);
    }

    [Fact]
    public void P1_NoCalico_Fails()
    {
        var cluster = Facts.Cluster() with { CalicoNodeDaemonSet = ApiObject.Missing(Facts.CalicoNodePath) };

        var result = Facts.ClusterCheck(cluster, "P1");

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Contains("Calico not found", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void P1_DaemonSetUnreadable_UnknownWithPathAndError()
    {
        var cluster = Facts.Cluster() with { CalicoNodeDaemonSet = ApiObject.Unreadable(Facts.CalicoNodePath, "forbidden: User \"dev\" cannot get resource \"daemonsets\"") };

        var result = Facts.ClusterCheck(cluster, "P1");

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Equal("could not read daemonsets kube-system/calico-node: forbidden: User \"dev\" cannot get resource \"daemonsets\"", result.Reason);
    }

    [Fact]
    public void P4_WindowsNodeByLabelOrNodeInfo_Fails()
    {
        var cluster = Facts.Cluster() with { Nodes = new ApiList("nodes", [Facts.Node("node-1", "10.0.0.11"), Facts.Node("win-1", "10.0.0.21", os: "windows")]) };

        var result = Facts.ClusterCheck(cluster, "P4");

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal("Windows node(s): win-1", result.Reason);
        Assert.Contains("win-1: label kubernetes.io/os = windows", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void P4_AllLinux_PassesAndUnreadableNodes_Unknown()
    {
        Assert.Equal(Verdict.Pass, Facts.ClusterCheck(Facts.Cluster(), "P4").Verdict);
        var unreadable = Facts.Cluster() with { Nodes = ApiList.Unreadable("nodes", "Unauthorized") };
        Assert.Equal("could not read nodes: Unauthorized", Facts.ClusterCheck(unreadable, "P4").Reason);
    }

    [Theory]
    [InlineData("""[{"name": "DATASTORE_TYPE", "value": "kubernetes"}]""", Verdict.Pass)]
    [InlineData("""[]""", Verdict.Pass)]
    [InlineData("""[{"name": "DATASTORE_TYPE", "value": "etcdv3"}]""", Verdict.Fail)]
    [InlineData("""[{"name": "ETCD_ENDPOINTS", "valueFrom": {"configMapKeyRef": {"name": "calico-config", "key": "etcd_endpoints"}}}]""", Verdict.Fail)]
    public void P7_Datastore(string env, Verdict expected)
    {
        var cluster = Facts.Cluster() with { CalicoNodeDaemonSet = Facts.CalicoNode(env: env) };

        var result = Facts.ClusterCheck(cluster, "P7");

        Assert.Equal(expected, result.Verdict);
        Assert.Contains("daemonsets kube-system/calico-node: env ", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void P8_ManifestWithoutEnvFrom_FailsLikeKubeKey315()
    {
        var cluster = Facts.Cluster() with { CalicoNodeDaemonSet = Facts.CalicoNode(image: "calico/node:v3.15.1", envFrom: "[]") };

        var result = Facts.ClusterCheck(cluster, "P8");

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Contains("envFrom configMapRef = (none)", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void P8_ExplicitServiceHostEnv_Warns5979()
    {
        var env = """[{"name": "DATASTORE_TYPE", "value": "kubernetes"}, {"name": "KUBERNETES_SERVICE_HOST", "value": "10.0.0.10"}]""";
        var cluster = Facts.Cluster() with { CalicoNodeDaemonSet = Facts.CalicoNode(env: env) };

        var result = Facts.ClusterCheck(cluster, "P8");

        Assert.Equal(Verdict.Warn, result.Verdict);
        Assert.Contains("#5979", result.Reason, StringComparison.Ordinal);
        Assert.Contains("env KUBERNETES_SERVICE_HOST=10.0.0.10", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void P8_EnvFromPresent_PassesAndOperatorInstall_PassesWithoutIt()
    {
        Assert.Equal(Verdict.Pass, Facts.ClusterCheck(Facts.Cluster(), "P8").Verdict);
        var operatorCluster = Facts.Cluster() with
        {
            Installation = Facts.Found("installations.operator.tigera.io/default", """{"metadata": {"name": "default"}}"""),
            CalicoNodeDaemonSet = Facts.CalicoNode(envFrom: "[]", ns: "calico-system"),
        };
        var result = Facts.ClusterCheck(operatorCluster, "P8");
        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Contains("operator", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"k8s-app": "kube-proxy", "app.kubernetes.io/managed-by": "Helm"}""", "{}", "Helm")]
    [InlineData("""{"k8s-app": "kube-proxy"}""", """{"meta.helm.sh/release-name": "kube-proxy"}""", "Helm")]
    [InlineData("""{"k8s-app": "kube-proxy", "app.kubernetes.io/instance": "infra"}""", """{"argocd.argoproj.io/tracking-id": "infra:apps/DaemonSet:kube-system/kube-proxy"}""", "Argo CD")]
    [InlineData("""{"k8s-app": "kube-proxy", "addonmanager.kubernetes.io/mode": "Reconcile"}""", "{}", "addon manager")]
    [InlineData("""{"k8s-app": "kube-proxy", "eks.amazonaws.com/component": "kube-proxy"}""", "{}", "EKS add-on")]
    public void P11_ManagedKubeProxy_Warns(string labels, string annotations, string manager)
    {
        var cluster = Facts.Cluster() with { KubeProxyDaemonSet = Facts.KubeProxyDaemonSet(labels, annotations) };

        var result = Facts.ClusterCheck(cluster, "P11");

        Assert.Equal(Verdict.Warn, result.Verdict);
        Assert.Contains(manager, result.Reason, StringComparison.Ordinal);
        Assert.Contains("bpfKubeProxyIptablesCleanupEnabled: false", result.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void P11_PlainOrAbsentKubeProxy_Passes()
    {
        Assert.Equal(Verdict.Pass, Facts.ClusterCheck(Facts.Cluster(), "P11").Verdict);
        var absent = Facts.Cluster() with { KubeProxyDaemonSet = ApiObject.Missing("daemonsets kube-system/kube-proxy") };
        var result = Facts.ClusterCheck(absent, "P11");
        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Contains("absent", result.Reason, StringComparison.Ordinal);
    }
}
