using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Tests.Preflight;

public sealed class NodeKubeRuleTests
{
    private static ProbeOutput Tcp(string host, int exit, string output) => new($"timeout 3 bash -c '</dev/tcp/{host}/6443'", exit, output);

    [Fact]
    public void P9_SingleEndpointReachable_PassesWithApiAndTcpEvidence()
    {
        var result = Facts.Node(Facts.Cluster(), Facts.NodeOutputs(), "P9");

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Contains("endpoints default/kubernetes: 10.0.0.10:6443", result.Evidence, StringComparison.Ordinal);
        Assert.Contains("configmaps kube-system/kube-proxy: kubeconfig.conf server: https://10.0.0.10:6443", result.Evidence, StringComparison.Ordinal);
        Assert.Contains("$ timeout 3 bash -c '</dev/tcp/10.0.0.10/6443'\nconnected", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void P9_ConnectTimesOut_Fails()
    {
        var node = Facts.NodeOutputs(overrides: [("api-0", Tcp("10.0.0.10", 124, "timed out after 3 s"))]);

        var result = Facts.Node(Facts.Cluster(), node, "P9");

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal("cannot connect from node-1 to the API server at 10.0.0.10:6443 (timed out after 3 s)", result.Reason);
    }

    [Fact]
    public void P9_SeveralEndpointsNoConfigMap_Warns()
    {
        var cluster = Facts.Cluster() with { KubernetesEndpoints = Facts.Endpoints("10.0.0.10", "10.0.0.20", "10.0.0.30") };
        var node = Facts.NodeOutputs(overrides: [("api-1", Tcp("10.0.0.20", 0, "connected")), ("api-2", Tcp("10.0.0.30", 0, "connected"))]);

        var result = Facts.Node(cluster, node, "P9");

        Assert.Equal(Verdict.Warn, result.Verdict);
        Assert.Contains("3 addresses", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void P9_ConfigMapEndpoint_IsTheOneTested()
    {
        var cluster = Facts.Cluster() with
        {
            KubernetesEndpoints = Facts.Endpoints("10.0.0.10", "10.0.0.20"),
            ServicesEndpointConfigMap = Facts.ServicesConfigMap("10.0.0.100"),
        };
        var node = Facts.NodeOutputs(overrides: [("api-0", Tcp("10.0.0.100", 0, "connected"))]);

        var result = Facts.Node(cluster, node, "P9");

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Contains("10.0.0.100:6443", result.Reason, StringComparison.Ordinal);
        Assert.Contains("configmaps kube-system/kubernetes-services-endpoint: KUBERNETES_SERVICE_HOST = 10.0.0.100, KUBERNETES_SERVICE_PORT = 6443", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void P9_LoopbackConfigMapOnOperatorInstall_Warns9141()
    {
        var cluster = Facts.Cluster() with
        {
            Installation = Facts.Found("installations.operator.tigera.io/default", """{"metadata": {"name": "default"}}"""),
            CalicoNodeDaemonSet = Facts.CalicoNode(ns: "calico-system"),
            ServicesEndpointConfigMap = Facts.ServicesConfigMap("127.0.0.1", ns: "tigera-operator"),
        };
        var node = Facts.NodeOutputs(overrides: [("api-0", Tcp("127.0.0.1", 0, "connected"))]);

        var result = Facts.Node(cluster, node, "P9");

        Assert.Equal(Verdict.Warn, result.Verdict);
        Assert.Contains("#9141", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void P9_HostileConfigMapHost_FailsWithoutTesting()
    {
        var cluster = Facts.Cluster() with { ServicesEndpointConfigMap = Facts.ServicesConfigMap("1.2.3.4;reboot") };

        var result = Facts.Node(cluster, Facts.NodeOutputs(), "P9");

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Contains("'1.2.3.4;reboot' is not an IP address or DNS name", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void P9_EndpointsUnreadable_Unknown()
    {
        var cluster = Facts.Cluster() with { KubernetesEndpoints = ApiObject.Unreadable("endpoints default/kubernetes", "forbidden") };

        var result = Facts.Node(cluster, Facts.NodeOutputs(), "P9");

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Equal("could not read endpoints default/kubernetes: forbidden", result.Reason);
    }

    [Theory]
    [InlineData("iptables", Verdict.Pass)]
    [InlineData("\"\"", Verdict.Pass)]
    [InlineData("ipvs", Verdict.Fail)]
    [InlineData("\"ipvs\"", Verdict.Fail)]
    [InlineData("nftables", Verdict.Warn)]
    public void P10_ConfigMapMode(string mode, Verdict expected)
    {
        var cluster = Facts.Cluster() with { KubeProxyConfigMap = Facts.KubeProxyConfigMap(mode) };

        var result = Facts.Node(cluster, Facts.NodeOutputs(), "P10");

        Assert.Equal(expected, result.Verdict);
        Assert.Contains($"configmaps kube-system/kube-proxy: config.conf mode: {mode.Trim('"')}", result.Evidence, StringComparison.Ordinal);
        Assert.Contains("$ ip link show kube-ipvs0\nDevice \"kube-ipvs0\" does not exist.\n(exit 1)", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void P10_KubeIpvs0OnTheNode_FailsEvenInIptablesMode()
    {
        var link = new ProbeOutput("ip link show kube-ipvs0", 0, "5: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default\n    link/ether 1a:2b:3c:4d:5e:6f brd ff:ff:ff:ff:ff:ff");
        var node = Facts.NodeOutputs(overrides: [("kube-ipvs0", link)]);

        var result = Facts.Node(Facts.Cluster(), node, "P10");

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Contains("kube-ipvs0 exists", result.Reason, StringComparison.Ordinal);
        Assert.Contains("reboot", result.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void P10_KubeProxyAbsent_PassesSayingSo()
    {
        var cluster = Facts.Cluster() with
        {
            KubeProxyDaemonSet = ApiObject.Missing("daemonsets kube-system/kube-proxy"),
            KubeProxyConfigMap = ApiObject.Missing("configmaps kube-system/kube-proxy"),
        };

        var result = Facts.Node(cluster, Facts.NodeOutputs(), "P10");

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Contains("absent", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void P10_KubeProxyAlreadyDisabled_IpvsConfigWithoutKubeIpvs0Passes()
    {
        var ds = Facts.KubeProxyDaemonSet();
        ds.Json!["spec"]!["template"]!["spec"]!["nodeSelector"] = new System.Text.Json.Nodes.JsonObject { ["non-calico"] = "true" };
        var cluster = Facts.Cluster() with { KubeProxyDaemonSet = ds, KubeProxyConfigMap = Facts.KubeProxyConfigMap("ipvs") };

        var result = Facts.Node(cluster, Facts.NodeOutputs(), "P10");

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Contains("disabled (nodeSelector non-calico=true)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void P13_AnnotationPresent_Passes_MissingFails()
    {
        Assert.Equal(Verdict.Pass, Facts.Node(Facts.Cluster(), Facts.NodeOutputs(), "P13").Verdict);

        var cluster = Facts.Cluster() with { Nodes = new ApiList("nodes", [Facts.Node("node-1", "10.0.0.11", calicoAnnotation: false)]) };
        var result = Facts.Node(cluster, Facts.NodeOutputs(), "P13");

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal("nodes node-1: annotation projectcalico.org/IPv4Address = (unset)", result.Evidence);
    }
}
