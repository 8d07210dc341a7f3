using EbpfConsole.Core.Preflight;
using EbpfConsole.Core.Preflight.Rules;

namespace EbpfConsole.Core.Tests.Preflight;

public sealed class NodeNetworkRuleTests
{
    private static NodeFacts OnInterface(string iface, int mtu = 1500, string extraAddrs = "", string extraLinks = "") => Facts.NodeOutputs(overrides: [
        ("addrs", new ProbeOutput("ip -o -4 addr show", 0, $"1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n3: {iface}    inet 10.0.0.11/24 brd 10.0.0.255 scope global {iface}\\       valid_lft forever preferred_lft forever{extraAddrs}")),
        ("links", new ProbeOutput("ip -o link", 0, $"1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN\n3: {iface}: <BROADCAST,MULTICAST,MASTER,UP,LOWER_UP> mtu {mtu} qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 52:54:00:aa:bb:cc brd ff:ff:ff:ff:ff:ff{extraLinks}"))]);

    private static ClusterFacts WithCalico(string tag) => Facts.Cluster() with { CalicoNodeDaemonSet = Facts.CalicoNode(image: $"docker.io/calico/node:{tag}") };

    [Theory]
    [InlineData("v3.15.1", "ens5", true)]
    [InlineData("v3.15.1", "enp0s3", true)]
    [InlineData("v3.16.1", "enx00e04c", true)]
    [InlineData("v3.16.1", "wlan0", false)]
    [InlineData("v3.17.0", "wlan0", true)]
    [InlineData("v3.24.5", "enP1p0s0", false)]
    [InlineData("v3.25.0", "enP1p0s0", true)]
    [InlineData("v3.28.0", "bond0", false)]
    [InlineData("v3.28.1", "bond0", true)]
    [InlineData("v3.30.0", "bond0", true)]
    [InlineData("v3.29.3", "eth0", true)]
    [InlineData("v3.29.3", "br0", false)]
    public void DefaultPattern_PerVersion_MatchesFelix(string version, string iface, bool expected)
    {
        var pattern = DataIfacePatterns.DefaultFor(CalicoVersion.Parse(version));

        Assert.Equal(expected, DataIfacePatterns.Matches(pattern, iface));
    }

    [Fact]
    public void DefaultPattern_From330_DropsTunnelDevices()
    {
        Assert.Equal(true, DataIfacePatterns.Matches(DataIfacePatterns.DefaultFor(new(3, 29, 3)), "tunl0"));
        Assert.Equal(false, DataIfacePatterns.Matches(DataIfacePatterns.DefaultFor(new(3, 30, 0)), "tunl0"));
    }

    [Fact]
    public void P12_BondOn328_FailsWithPatternAndNicLine()
    {
        var result = Facts.Node(WithCalico("v3.28.0"), OnInterface("bond0"), "P12");

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Contains("bond0 (holding 10.0.0.11) does not match", result.Reason, StringComparison.Ordinal);
        Assert.Contains("3: bond0    inet 10.0.0.11/24 brd 10.0.0.255 scope global bond0", result.Evidence, StringComparison.Ordinal);
        Assert.Contains("Felix's default in Calico v3.28.0", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void P12_FelixConfigurationPattern_BeatsTheVersionDefault()
    {
        var cluster = WithCalico("v3.28.0") with { FelixConfigurations = new ApiList("felixconfigurations", [Facts.Felix("default", """{"bpfDataIfacePattern": "^(bond.*|eth.*)"}""")]) };

        var result = Facts.Node(cluster, OnInterface("bond0"), "P12");

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Contains("(felixconfigurations default)", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void P12_EnvPattern_BeatsFelixConfiguration()
    {
        var cluster = Facts.Cluster() with
        {
            CalicoNodeDaemonSet = Facts.CalicoNode(env: """[{"name": "FELIX_BPFDATAIFACEPATTERN", "value": "^ens.*"}]"""),
            FelixConfigurations = new ApiList("felixconfigurations", [Facts.Felix("default", """{"bpfDataIfacePattern": "^eth.*"}""")]),
        };

        Assert.Equal(Verdict.Fail, Facts.Node(cluster, OnInterface("eth0"), "P12").Verdict);
    }

    [Fact]
    public void P12_InternalIpOnNoInterface_Unknown()
    {
        var node = Facts.NodeOutputs(overrides: [("addrs", new ProbeOutput("ip -o -4 addr show", 0, "2: eth0    inet 192.168.1.5/24 scope global eth0"))]);

        var result = Facts.Node(Facts.Cluster(), node, "P12");

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Contains("InternalIP 10.0.0.11 is on no interface of node-1", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void P14_VxlanPool_Passes()
    {
        var cluster = Facts.Cluster() with { IpPools = new ApiList("ippools", [Facts.Json("""{"metadata": {"name": "pool-a"}, "spec": {"vxlanMode": "CrossSubnet"}}""")]) };

        Assert.Equal(Verdict.Pass, Facts.Node(cluster, Facts.NodeOutputs(), "P14").Verdict);
    }

    [Fact]
    public void P14_IpipOnlyAndNoBlockingRule_WarnsToOpenUdp4789()
    {
        var result = Facts.Node(Facts.Cluster(), Facts.NodeOutputs(), "P14");

        Assert.Equal(Verdict.Warn, result.Verdict);
        Assert.Contains("UDP 4789", result.Reason, StringComparison.Ordinal);
        Assert.Contains("ippools default-ipv4-ippool: vxlanMode = Never, ipipMode = Always", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void P14_HostFirewallDropsVxlan_Fails()
    {
        var rules = "-A INPUT -p udp -m udp --dport 4789 -j DROP\niptables-save exit 0";
        var node = Facts.NodeOutputs(overrides: [("iptables", new ProbeOutput("iptables-save | grep 4789", 0, rules))]);

        var result = Facts.Node(Facts.Cluster(), node, "P14");

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Contains("-A INPUT -p udp -m udp --dport 4789 -j DROP", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-A cali-INPUT -p udp -m udp --dport 4789 -m addrtype --dst-type LOCAL -j DROP", false)]
    [InlineData("-A INPUT -p udp -m udp --dport 4789 -j ACCEPT", false)]
    [InlineData("-A INPUT -p udp -m multiport --dports 53,4789 -j REJECT --reject-with icmp-port-unreachable", true)]
    [InlineData("-A FORWARD -p udp -m udp --dport 4000:5000 -j DROP", true)]
    [InlineData("-A INPUT -p tcp -m tcp --dport 4789 -j DROP", false)]
    public void IsBlockingVxlanRule(string line, bool expected) => Assert.Equal(expected, NodeNetworkRules.IsBlockingVxlanRule(line));

    [Fact]
    public void P14_SudoRefused_UnknownSayingHowToFixIt()
    {
        var node = Facts.NodeOutputs(overrides: [("iptables", new ProbeOutput("sudo -n iptables-save | grep 4789", 1, "sudo: a password is required\niptables-save exit 1"))]);

        var result = Facts.Node(Facts.Cluster(), node, "P14");

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Equal("sudo -n refused on node-1: sudo: a password is required; connect as root or allow passwordless sudo for iptables-save", result.Reason);
        Assert.Contains("$ sudo -n iptables-save | grep 4789\nsudo: a password is required", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void P14_SudoWarningButIptablesRan_IsNotARefusal()
    {
        var output = "sudo: unable to resolve host node-1: Name or service not known\n-A INPUT -p udp -m udp --dport 4789 -j DROP\niptables-save exit 0";
        var node = Facts.NodeOutputs(overrides: [("iptables", new ProbeOutput("sudo -n iptables-save | grep 4789", 0, output))]);

        Assert.Equal(Verdict.Fail, Facts.Node(Facts.Cluster(), node, "P14").Verdict);
    }

    [Fact]
    public void P14_IptablesSaveMissing_Unknown()
    {
        var node = Facts.NodeOutputs(overrides: [("iptables", new ProbeOutput("iptables-save | grep 4789", 0, "sh: 1: iptables-save: not found\niptables-save exit 127"))]);

        var result = Facts.Node(Facts.Cluster(), node, "P14");

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Contains("iptables-save: not found", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1500, "cali1: <BROADCAST,UP> mtu 1480 qdisc noqueue", Verdict.Warn)]
    [InlineData(1500, "cali1: <BROADCAST,UP> mtu 1450 qdisc noqueue", Verdict.Pass)]
    [InlineData(9001, "cali1: <BROADCAST,UP> mtu 8951 qdisc noqueue", Verdict.Pass)]
    public void P15_CaliMtuAgainstNicMtu(int nicMtu, string caliLink, Verdict expected)
    {
        var node = OnInterface("eth0", nicMtu, extraLinks: $"\n9: {caliLink}");

        var result = Facts.Node(Facts.Cluster(), node, "P15");

        Assert.Equal(expected, result.Verdict);
        Assert.Contains($"mtu {nicMtu}", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void P15_NoPodsYet_UsesVethMtu_ElsePassesWithANote()
    {
        var calicoConfig = new ApiObject("configmaps kube-system/calico-config", Facts.Json("""{"metadata": {"name": "calico-config"}, "data": {"veth_mtu": "1480"}}"""));
        var withVeth = Facts.Cluster() with { CalicoConfigMap = calicoConfig };

        var warned = Facts.Node(withVeth, OnInterface("eth0"), "P15");
        var noted = Facts.Node(Facts.Cluster(), OnInterface("eth0"), "P15");

        Assert.Equal(Verdict.Warn, warned.Verdict);
        Assert.Contains("calico-config veth_mtu", warned.Reason, StringComparison.Ordinal);
        Assert.Equal(Verdict.Pass, noted.Verdict);
        Assert.Contains("no pod interfaces yet", noted.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Amazon EC2", "source/destination check")]
    [InlineData("Google", "IP forwarding")]
    [InlineData("Microsoft Corporation", "Azure")]
    public void P16_CloudVendor_Warns(string vendor, string advice)
    {
        var node = Facts.NodeOutputs(overrides: [("vendor", new ProbeOutput("cat /sys/class/dmi/id/sys_vendor", 0, vendor))]);

        var result = Facts.Node(Facts.Cluster(), node, "P16");

        Assert.Equal(Verdict.Warn, result.Verdict);
        Assert.Contains(advice, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void P16_SecondUplink_WarnsMultiHomed_ButCalicoDevicesDoNotCount()
    {
        var calicoOnly = OnInterface("eth0", extraAddrs: "\n5: vxlan.calico    inet 10.244.1.0/32 scope global vxlan.calico\n6: tunl0    inet 10.244.1.1/32 scope global tunl0");
        var twoNics = OnInterface("eth0", extraAddrs: "\n4: eth1    inet 192.168.50.11/24 brd 192.168.50.255 scope global eth1");

        Assert.Equal(Verdict.Pass, Facts.Node(Facts.Cluster(), calicoOnly, "P16").Verdict);
        var result = Facts.Node(Facts.Cluster(), twoNics, "P16");
        Assert.Equal(Verdict.Warn, result.Verdict);
        Assert.Contains("multi-homed: eth1 192.168.50.11/24", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void P16_NodeOutsideTheSubnet_WarnsDsrNeedsL2()
    {
        var cluster = Facts.Cluster() with { Nodes = new ApiList("nodes", [Facts.Node("node-1", "10.0.0.11"), Facts.Node("node-3", "10.1.0.13")]) };

        var result = Facts.Node(cluster, Facts.NodeOutputs(), "P16");

        Assert.Equal(Verdict.Warn, result.Verdict);
        Assert.Contains("node-3 10.1.0.13", result.Reason, StringComparison.Ordinal);
        Assert.Contains("10.0.0.0/24", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void P20_IdleFlowOverAnHour_Warns9372_OtherwisePassesWithCount()
    {
        const string Ss = "0      0      10.0.0.11:22 10.0.0.99:51515\n\t cubic wscale:7,7 rto:204 lastsnd:120 lastrcv:120 lastack:120\n"
            + "0      0      10.0.0.11:5432 10.244.2.7:40001\n\t cubic wscale:7,7 rto:204 lastsnd:7200000 lastrcv:7300000 lastack:7200000";
        var node = Facts.NodeOutputs(overrides: [("tcp", new ProbeOutput("ss -tniH state established", 0, Ss))]);

        var idle = Facts.Node(Facts.Cluster(), node, "P20");
        var busy = Facts.Node(Facts.Cluster(), Facts.NodeOutputs(), "P20");

        Assert.Equal(Verdict.Warn, idle.Verdict);
        Assert.Contains("1 TCP flow(s) idle", idle.Reason, StringComparison.Ordinal);
        Assert.Contains("10.0.0.11:5432 10.244.2.7:40001  lastsnd:7200000 lastrcv:7300000", idle.Evidence, StringComparison.Ordinal);
        Assert.Equal(Verdict.Pass, busy.Verdict);
        Assert.Equal("1 established TCP flow(s), none idle ≥ 1 h", busy.Reason);
    }

    [Fact]
    public void Flows_ParseSocketAndInfoLines_IgnoreHeader()
    {
        const string Ss = "Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"
            + "0      0      10.0.0.11:22 10.0.0.99:51515\n\t cubic lastrcv:3600000\n"
            + "0      0      [::1]:6443 [::1]:40000\n";

        var flows = NodeNetwork.Flows(Ss);

        Assert.Equal(2, flows.Count);
        Assert.True(flows[0].IdleFor(3_600_000));
        Assert.Null(flows[0].LastSendMs);
        Assert.False(flows[1].IdleFor(3_600_000));
    }
}
