using EbpfConsole.Core.Preflight;
using EbpfConsole.Core.Preflight.Rules;

namespace EbpfConsole.Core.Tests.Preflight;

public sealed class NodeProbeScriptTests
{
    private const string Output = "@@ebpf-console:probe 1@@\n"
        + "@@ebpf-console:section kernel@@ uname -r\n5.4.0-1045-aws\n\n@@ebpf-console:exit kernel 0@@\n"
        + "@@ebpf-console:section kube-ipvs0@@ ip link show kube-ipvs0\nDevice \"kube-ipvs0\" does not exist.\n\n@@ebpf-console:exit kube-ipvs0 1@@\n"
        + "@@ebpf-console:section iptables@@ sudo -n iptables-save | grep 4789\nsudo: a password is required\niptables-save exit 1\n\n@@ebpf-console:exit iptables 1@@\n"
        + "@@ebpf-console:end@@\n";

    [Fact]
    public void ToFacts_SplitsSectionsWithCommandExitCodeAndVerbatimOutput()
    {
        var facts = NodeProbeScript.ToFacts("node-1", "10.0.0.11", new ShellResult(0, Output, ""));

        Assert.Null(facts.Failure);
        Assert.Equal(new ProbeOutput("uname -r", 0, "5.4.0-1045-aws"), facts.Outputs["kernel"]);
        Assert.Equal(new ProbeOutput("ip link show kube-ipvs0", 1, "Device \"kube-ipvs0\" does not exist."), facts.Outputs["kube-ipvs0"]);
        Assert.Equal("sudo -n iptables-save | grep 4789", facts.Outputs["iptables"].Command);
        Assert.Equal("sudo: a password is required\niptables-save exit 1", facts.Outputs["iptables"].Output);
    }

    [Fact]
    public void ToFacts_TruncatedOutput_KeepsCompleteSectionsOnly()
    {
        var cut = Output.IndexOf("does not exist", StringComparison.Ordinal);

        var facts = NodeProbeScript.ToFacts("node-1", "10.0.0.11", new ShellResult(null, Output[..cut], ""));

        Assert.Null(facts.Failure);
        Assert.Equal(["kernel"], facts.Outputs.Keys);
        var p10 = Facts.Node(Facts.Cluster(), facts, "P10");
        Assert.Equal(Verdict.Unknown, p10.Verdict);
        Assert.Equal("section kube-ipvs0 (ip link show kube-ipvs0) missing from the node's output", p10.Reason);
    }

    [Fact]
    public void ToFacts_MismatchedOrNestedMarkers_DropTheBrokenSection()
    {
        const string Broken = "@@ebpf-console:section kernel@@ uname -r\n6.8.0\n@@ebpf-console:section arch@@ uname -m\nx86_64\n@@ebpf-console:exit arch 0@@\n"
            + "@@ebpf-console:section os@@ cat /proc/version\nLinux\n@@ebpf-console:exit kernel 0@@\n";

        var facts = NodeProbeScript.ToFacts("node-1", "10.0.0.11", new ShellResult(0, Broken, ""));

        Assert.Equal(["arch"], facts.Outputs.Keys);
    }

    [Fact]
    public void ToFacts_CrLfLineEndings_AreTolerated()
    {
        var facts = NodeProbeScript.ToFacts("node-1", "10.0.0.11", new ShellResult(0, Output.Replace("\n", "\r\n", StringComparison.Ordinal), ""));

        Assert.Equal("5.4.0-1045-aws", facts.Outputs["kernel"].Output);
    }

    [Fact]
    public void ToFacts_GarbageOutput_NodeFailedNamingNodeExitAndStderr()
    {
        var facts = NodeProbeScript.ToFacts("node-2", "10.0.0.12", new ShellResult(127, "\u001b[0;31mWelcome to node-2\u001b[0m\nlogin banner", "fish: Unknown command: set\n"));

        Assert.Equal("the probe script on node-2 (10.0.0.12) printed none of its sections (exit 127): fish: Unknown command: set", facts.Failure);
        Assert.Empty(facts.Outputs);
    }

    [Fact]
    public void ToFacts_ShellFailure_IsNodeFailed()
    {
        const string Failure = "ssh root@10.0.0.12:22: host key for 10.0.0.12 has CHANGED (SHA256:abc): refusing to connect";

        var facts = NodeProbeScript.ToFacts("node-2", "10.0.0.12", new ShellResult(null, "", "", Failure));

        Assert.Equal(Failure, facts.Failure);
    }

    [Fact]
    public void Build_HasEverySectionAndTheApiEndpointQuoted()
    {
        var script = NodeProbeScript.Build(Facts.Cluster(), "node-1");

        Assert.StartsWith("# ebpf-console preflight probe", script, StringComparison.Ordinal);
        Assert.Contains("set +e", script, StringComparison.Ordinal);
        foreach (var key in new[] { "kernel", "os", "arch", "bpffs", "links", "addrs", "kube-ipvs0", "cgroup", "vendor", "tcp", "iptables", "api-0" })
        {
            Assert.Contains($"ec_run {key} ", script, StringComparison.Ordinal);
        }

        Assert.Contains("ec_tcp '10.0.0.10' '6443'", script, StringComparison.Ordinal);
        Assert.Contains("head -c", script, StringComparison.Ordinal);
        Assert.Contains("$SUDO iptables-save", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.2.3.4;reboot")]
    [InlineData("$(reboot)")]
    [InlineData("10.0.0.1' ; reboot ; '")]
    [InlineData("`reboot`")]
    [InlineData("10.0.0.1\nreboot")]
    public void Build_HostileApiValues_AreRefusedAndNeverReachTheScript(string host)
    {
        var cluster = Facts.Cluster() with
        {
            ServicesEndpointConfigMap = Facts.ServicesConfigMap(host),
            KubernetesEndpoints = Facts.Endpoints(host),
        };

        var script = NodeProbeScript.Build(cluster, "node-1");

        Assert.DoesNotContain("reboot", script, StringComparison.Ordinal);
        Assert.DoesNotContain("ec_run api-", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_HostilePort_IsRefused()
    {
        var cluster = Facts.Cluster() with { ServicesEndpointConfigMap = Facts.ServicesConfigMap("10.0.0.10", "6443;reboot") };

        Assert.DoesNotContain("reboot", NodeProbeScript.Build(cluster, "node-1"), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_DnsNameEndpoint_IsTestedSingleQuoted()
    {
        var cluster = Facts.Cluster() with { ServicesEndpointConfigMap = Facts.ServicesConfigMap("lb.kubesphere.local") };

        var script = NodeProbeScript.Build(cluster, "node-1");

        Assert.Contains("ec_tcp 'lb.kubesphere.local' '6443'", script, StringComparison.Ordinal);
        Assert.Contains("ec_show='timeout 3 bash -c '\\''</dev/tcp/lb.kubesphere.local/6443'\\'''", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("lb.kubesphere.local", true)]
    [InlineData("api-server", true)]
    [InlineData("1", false)]
    [InlineData("999.1.1.1", false)]
    [InlineData("-rf", false)]
    [InlineData("a b", false)]
    [InlineData("host;id", false)]
    [InlineData("", false)]
    public void IsHost_AcceptsIpLiteralsAndDnsNamesOnly(string host, bool expected) => Assert.Equal(expected, ShellText.IsHost(host));

    [Theory]
    [InlineData("443", 443)]
    [InlineData("65535", 65535)]
    [InlineData("0", null)]
    [InlineData("65536", null)]
    [InlineData("+443", null)]
    [InlineData("443 ", null)]
    public void Port_AcceptsDecimalPortsOnly(string text, int? expected) => Assert.Equal(expected, ShellText.Port(text));

    [Fact]
    public void Quote_EscapesSingleQuotes() => Assert.Equal("'it'\\''s'", ShellText.Quote("it's"));
}
