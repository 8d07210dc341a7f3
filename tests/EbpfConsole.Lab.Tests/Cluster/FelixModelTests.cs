using System.Text.Json.Nodes;
using EbpfConsole.Lab.Cluster;

namespace EbpfConsole.Lab.Tests.Cluster;

public sealed class FelixModelTests
{
    private static readonly ServiceEndpoint Override = new("10.99.0.1", "6443");

    private static JsonObject CalicoContainer() =>
        (JsonObject)LabScenario.Load("healthy").Objects.First(o => o["metadata"]!["name"]!.GetValue<string>() == "calico-node")["spec"]!["template"]!["spec"]!["containers"]![0]!.DeepClone();

    private static JsonObject EndpointConfigMap() => (JsonObject)JsonNode.Parse("""{"data":{"KUBERNETES_SERVICE_HOST":"10.99.0.1","KUBERNETES_SERVICE_PORT":"6443"}}""")!;

    [Fact]
    public void Environment_EnvFromConfigMapPresent_GivesTheOverride()
    {
        var env = FelixModel.Environment(CalicoContainer(), name => name == "kubernetes-services-endpoint" ? EndpointConfigMap() : null);

        Assert.Equal(Override, FelixModel.Override(env));
        Assert.Equal("kubernetes", env["DATASTORE_TYPE"]);
    }

    [Fact]
    public void Environment_ConfigMapMissing_NoOverride()
    {
        var env = FelixModel.Environment(CalicoContainer(), _ => null);

        Assert.Null(FelixModel.Override(env));
    }

    [Fact]
    public void Environment_WithoutEnvFrom_IgnoresTheConfigMap_ButAnExplicitEnvCounts()
    {
        var container = CalicoContainer();
        container.Remove("envFrom");
        Assert.Null(FelixModel.Override(FelixModel.Environment(container, _ => EndpointConfigMap())));

        container["env"]!.AsArray().Add(new JsonObject { ["name"] = "KUBERNETES_SERVICE_HOST", ["value"] = "10.99.0.1" });
        Assert.Equal(new ServiceEndpoint("10.99.0.1", "443"), FelixModel.Override(FelixModel.Environment(container, _ => null)));
    }

    [Fact]
    public void Effective_EnvBeatsNodeObjectBeatsDefault()
    {
        var defaults = (JsonObject)JsonNode.Parse("""{"bpfEnabled":true,"bpfExternalServiceMode":"DSR"}""")!;
        var node = (JsonObject)JsonNode.Parse("""{"bpfExternalServiceMode":"Tunnel","bpfKubeProxyIptablesCleanupEnabled":false}""")!;

        Assert.Equal(new FelixSettings(true, "DSR", true), FelixModel.Effective(defaults, null, new Dictionary<string, string>()));
        Assert.Equal(new FelixSettings(true, "Tunnel", false), FelixModel.Effective(defaults, node, new Dictionary<string, string>()));
        Assert.Equal(new FelixSettings(false, "Tunnel", false), FelixModel.Effective(defaults, node, new Dictionary<string, string> { ["FELIX_BPFENABLED"] = "false" }));
        Assert.Equal(FelixSettings.Defaults, FelixModel.Effective(null, null, new Dictionary<string, string>()));
    }

    [Fact]
    public void Start_BpfWithOverride_IsReadyAndLogsTheRealFelixLines()
    {
        var start = FelixModel.Start("node-1", new FelixSettings(true, "DSR", true), Override, LabNodeFacts.Default);

        Assert.True(start.Ready);
        Assert.True(start.BpfActive);
        var messages = start.Lines.Select(l => l.Message).ToList();
        Assert.Contains("Kubernetes server override env vars. KUBERNETES_SERVICE_HOST=\"10.99.0.1\" KUBERNETES_SERVICE_PORT=\"6443\"", messages);
        Assert.Contains("BPF enabled, starting BPF endpoint manager and map manager.", messages);
        Assert.Contains("BPF enabled, configuring iptables layer to clean up kube-proxy's rules.", messages);
        Assert.Contains(messages, m => m.Contains("bpfExternalServiceMode=\"DSR\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_BpfWithoutOverride_IsNotReady_WithTheReadinessMessageAndAWarning()
    {
        var start = FelixModel.Start("node-1", new FelixSettings(true, "Tunnel", true), null, LabNodeFacts.Default);

        Assert.False(start.Ready);
        Assert.False(start.BpfActive);
        Assert.Equal("calico/node is not ready: felix is not ready: readiness probe reporting 503", start.NotReadyMessage);
        Assert.Contains("kubernetes-services-endpoint", start.Warning, StringComparison.Ordinal);
        Assert.Contains(start.Lines, l => l.Message.Contains("KUBERNETES_SERVICE_HOST=\"10.96.0.1\"", StringComparison.Ordinal));
        Assert.DoesNotContain(start.Lines, l => l.Message.StartsWith("BPF enabled, starting", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_BpfOnANodeWithoutBpffs_IsNotReady()
    {
        var start = FelixModel.Start("node-2", new FelixSettings(true, "Tunnel", true), Override, new LabNodeFacts(false, []));

        Assert.False(start.Ready);
        Assert.Contains("/sys/fs/bpf", start.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_BpfOff_IsReadyOnIptables_EvenWithoutTheConfigMap()
    {
        var start = FelixModel.Start("node-1", FelixSettings.Defaults, null, LabNodeFacts.Default);

        Assert.True(start.Ready);
        Assert.False(start.BpfActive);
        Assert.DoesNotContain(start.Lines, l => l.Message.Contains("BPF enabled", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_IpvsLinkPresent_LogsFelixIpvsSupport()
    {
        var start = FelixModel.Start("node-1", FelixSettings.Defaults, null, new LabNodeFacts(true, ["kube-ipvs0"]));

        Assert.Contains(start.Lines, l => l.Message == "Kube-proxy in ipvs mode, enabling felix kube-proxy ipvs support.");
    }

    [Fact]
    public void NeedsRestart_OnBpfSettings_NotOnEqualOnes()
    {
        Assert.False(FelixModel.NeedsRestart(FelixSettings.Defaults, FelixSettings.Defaults));
        Assert.True(FelixModel.NeedsRestart(FelixSettings.Defaults, FelixSettings.Defaults with { BpfEnabled = true }));
        Assert.True(FelixModel.NeedsRestart(FelixSettings.Defaults, FelixSettings.Defaults with { ExternalServiceMode = "DSR" }));
        Assert.False(FelixModel.NeedsRestart(FelixSettings.Defaults, FelixSettings.Defaults with { ExternalServiceMode = "tunnel" }));
    }

    [Fact]
    public void LogFormat_Felix_MatchesCalicosLayout()
    {
        var line = LogFormat.Felix(new DateTimeOffset(2026, 11, 27, 12, 0, 0, 123, TimeSpan.Zero), 58, new LogLine("INFO", "felix/int_dataplane.go", 973, "BPF enabled, starting BPF endpoint manager and map manager."));

        Assert.Equal("2026-11-27 12:00:00.123 [INFO][58] felix/int_dataplane.go 973: BPF enabled, starting BPF endpoint manager and map manager.", line);
    }

    [Fact]
    public void LogFormat_Klog_MatchesKubeProxysLayout()
    {
        var line = LogFormat.Klog(new DateTimeOffset(2026, 11, 27, 12, 0, 0, 123, TimeSpan.Zero), new LogLine("INFO", "server_linux.go", 169, "\"Using ipvs Proxier\""));

        Assert.Equal("I1127 12:00:00.123000       1 server_linux.go:169] \"Using ipvs Proxier\"", line);
    }

    [Theory]
    [InlineData("mode: ipvs\n", "ipvs")]
    [InlineData("kind: KubeProxyConfiguration\nmode: \"\"\n", "iptables")]
    [InlineData("kind: KubeProxyConfiguration\n", "iptables")]
    [InlineData(null, "iptables")]
    public void KubeProxyMode_ReadsConfigConf(string? conf, string expected) =>
        Assert.Equal(expected, KubeProxyModel.Mode(conf));

    [Theory]
    [InlineData("docker.io/calico/node:v3.31.0", "v3.31.0")]
    [InlineData("registry.local:5000/calico/node:v3.28.2", "v3.28.2")]
    [InlineData("registry.local:5000/calico/node", FelixModel.DefaultVersion)]
    [InlineData(null, FelixModel.DefaultVersion)]
    public void VersionOf_TakesTheImageTag_NotARegistryPort(string? image, string expected) =>
        Assert.Equal(expected, FelixModel.VersionOf(image));
}
