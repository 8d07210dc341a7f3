using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

public class IptablesRulesTests
{
    public static TheoryData<string> NodeNames => new() { "node-1", "node-2" };

    [Theory]
    [MemberData(nameof(NodeNames))]
    public void Iptables_OnEveryNode_HasKubeProxyNodePortChainsWithMasquerade(string nodeName)
    {
        var rules = IptablesRules.For(DatapathMode.Iptables, LabTopology.Find(nodeName)!);

        Assert.Contains("-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS", rules, StringComparison.Ordinal);
        Assert.Contains("--dport 30604 -j KUBE-MARK-MASQ", rules, StringComparison.Ordinal);
        Assert.Contains("-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000", rules, StringComparison.Ordinal);
        Assert.Contains("DNAT --to-destination 10.244.2.5:80", rules, StringComparison.Ordinal);
        Assert.Contains("-j MASQUERADE", rules, StringComparison.Ordinal);
        Assert.Contains($":{IptablesRules.ServiceChain} - [0:0]", rules, StringComparison.Ordinal);
        Assert.Contains($":{IptablesRules.EndpointChain} - [0:0]", rules, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatapathMode.EbpfTunnel, "node-1")]
    [InlineData(DatapathMode.EbpfTunnel, "node-2")]
    [InlineData(DatapathMode.EbpfDsr, "node-1")]
    [InlineData(DatapathMode.EbpfDsr, "node-2")]
    public void Ebpf_OnAnyNode_NeverMasquerades(DatapathMode mode, string nodeName)
    {
        var rules = IptablesRules.For(mode, LabTopology.Find(nodeName)!);

        Assert.DoesNotContain("MASQUERADE", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("SNAT", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("KUBE-", rules, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatapathMode.EbpfTunnel)]
    [InlineData(DatapathMode.EbpfDsr)]
    public void Ebpf_IngressNode_NotracksSteeredRequestsAndTunnelledReplies(DatapathMode mode)
    {
        var rules = IptablesRules.For(mode, LabTopology.Node1);

        Assert.Contains("-A PREROUTING -i eth0 -d 10.99.0.11/32 -p tcp -m tcp --dport 30604 -j NOTRACK", rules, StringComparison.Ordinal);
        Assert.Contains("-A PREROUTING -i vxlan.calico -s 10.99.0.11/32 -p tcp -m tcp --sport 30604 -j NOTRACK", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("DNAT", rules, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatapathMode.EbpfTunnel)]
    [InlineData(DatapathMode.EbpfDsr)]
    public void Ebpf_BackendNode_DnatsTunnelledAndLocalNodePortToPod(DatapathMode mode)
    {
        var rules = IptablesRules.For(mode, LabTopology.Node2);

        Assert.Contains("-i vxlan.calico -d 10.99.0.11/32 -p tcp -m tcp --dport 30604 -j DNAT --to-destination 10.244.2.5:80", rules, StringComparison.Ordinal);
        Assert.Contains("-i eth0 -d 10.99.0.12/32 -p tcp -m tcp --dport 30604 -j DNAT --to-destination 10.244.2.5:80", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void Tunnel_BackendNode_MarksTunnelledConnectionsAndRestoresMarkOnPodReplies()
    {
        var rules = IptablesRules.For(DatapathMode.EbpfTunnel, LabTopology.Node2);

        Assert.Contains($"-i vxlan.calico -d 10.99.0.11/32 -p tcp -m tcp --dport 30604 -j CONNMARK --set-xmark {DatapathPlan.ReturnMark}/{DatapathPlan.ReturnMark}", rules, StringComparison.Ordinal);
        Assert.Contains("-A PREROUTING -i cali+ -j CONNMARK --restore-mark", rules, StringComparison.Ordinal);
        Assert.Contains($"-A POSTROUTING -o vxlan.calico -j MARK --set-xmark 0x0/{DatapathPlan.ReturnMark}", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void Dsr_BackendNode_HasNoConnectionMarking()
    {
        Assert.DoesNotContain("CONNMARK", IptablesRules.For(DatapathMode.EbpfDsr, LabTopology.Node2), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatapathMode.Iptables)]
    [InlineData(DatapathMode.EbpfTunnel)]
    [InlineData(DatapathMode.EbpfDsr)]
    public void EveryDocument_NamesNatMangleAndRaw_SoApplyingReplacesThePreviousMode(DatapathMode mode)
    {
        foreach (var node in LabTopology.Nodes)
        {
            var rules = IptablesRules.For(mode, node);
            Assert.Contains("*nat\n", rules, StringComparison.Ordinal);
            Assert.Contains("*mangle\n", rules, StringComparison.Ordinal);
            Assert.Contains("*raw\n", rules, StringComparison.Ordinal);
            Assert.Equal(3, rules.Split("COMMIT\n").Length - 1);
        }
    }

    [Fact]
    public void Empty_HasOnlyBuiltinChains()
    {
        var lines = IptablesRules.Empty.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.All(lines, l => Assert.True(l.StartsWith('*') || l.StartsWith(':') || l == "COMMIT", l));
        Assert.DoesNotContain(lines, l => l.StartsWith(":KUBE", StringComparison.Ordinal));
    }
}
