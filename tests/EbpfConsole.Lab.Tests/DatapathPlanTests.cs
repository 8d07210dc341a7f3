using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

public class DatapathPlanTests
{
    private static List<string> Lines(DatapathMode mode, LabHost node) => DatapathPlan.Apply(mode, node).Select(c => c.ToString()).ToList();

    [Fact]
    public void Dsr_BackendNode_HasNoTable200RouteNorReturnRule()
    {
        var lines = Lines(DatapathMode.EbpfDsr, LabTopology.Node2);

        Assert.DoesNotContain(lines, l => l.Contains("table 200", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("fwmark", StringComparison.Ordinal));
    }

    [Fact]
    public void Tunnel_BackendNode_RoutesMarkedRepliesIntoTheTunnel()
    {
        var lines = Lines(DatapathMode.EbpfTunnel, LabTopology.Node2);

        Assert.Contains("ip -n eclab-node-2 route replace default via 169.254.0.1 dev vxlan.calico onlink table 200", lines);
        Assert.Contains("ip -n eclab-node-2 neigh replace 169.254.0.1 lladdr 66:ee:ca:11:c0:01 dev vxlan.calico nud permanent", lines);
        Assert.Contains($"ip -n eclab-node-2 rule add pref 20 fwmark {DatapathPlan.ReturnMark}/{DatapathPlan.ReturnMark} lookup 200", lines);
    }

    [Theory]
    [InlineData(DatapathMode.EbpfTunnel)]
    [InlineData(DatapathMode.EbpfDsr)]
    public void Ebpf_EveryNode_GetsVxlanWithCalicoVniPortAndStaticFdb(DatapathMode mode)
    {
        foreach (var node in LabTopology.Nodes)
        {
            var peer = DatapathPlan.Peer(node);
            var lines = Lines(mode, node);

            Assert.Contains(
                $"ip -n {node.Namespace} link add vxlan.calico address {DatapathPlan.VxlanMac(node)} type vxlan id 13242816 dstport 4789 local {node.Ip} dev eth0 nolearning",
                lines);
            Assert.Contains($"bridge -n {node.Namespace} fdb append {DatapathPlan.VxlanMac(peer)} dev vxlan.calico dst {peer.Ip} self permanent", lines);
        }
    }

    [Theory]
    [InlineData(DatapathMode.EbpfTunnel)]
    [InlineData(DatapathMode.EbpfDsr)]
    public void Ebpf_IngressNode_MovesLocalRuleBehindTheSteeringRule(DatapathMode mode)
    {
        var lines = Lines(mode, LabTopology.Node1);

        var addMoved = lines.IndexOf("ip -n eclab-node-1 rule add pref 100 lookup local");
        var delZero = lines.IndexOf("ip -n eclab-node-1 rule del pref 0 lookup local");
        Assert.True(addMoved >= 0 && delZero > addMoved, "local rule must be added at 100 before pref 0 is removed");
        Assert.Contains("ip -n eclab-node-1 rule add pref 10 iif eth0 ipproto tcp dport 30604 lookup 100", lines);
        Assert.Contains("ip -n eclab-node-1 route replace default via 169.254.0.2 dev vxlan.calico onlink table 100", lines);
        Assert.Contains("ip -n eclab-node-1 neigh replace 169.254.0.2 lladdr 66:ee:ca:11:c0:02 dev vxlan.calico nud permanent", lines);
    }

    [Fact]
    public void Iptables_NoTunnelNoPolicyRouting()
    {
        foreach (var node in LabTopology.Nodes)
        {
            var commands = DatapathPlan.Apply(DatapathMode.Iptables, node);

            var only = Assert.Single(commands);
            Assert.Equal(["netns", "exec", node.Namespace, "iptables-restore"], only.Args);
        }
    }

    [Fact]
    public void Reset_ToleratesAbsentStateAndRestoresTheLocalRule()
    {
        var reset = DatapathPlan.Reset(LabTopology.Node1);

        Assert.False(reset[0].AllowFailure);
        Assert.Equal(IptablesRules.Empty, reset[0].Stdin);
        Assert.All(reset.Skip(1), c => Assert.True(c.AllowFailure, c.ToString()));
        var lines = reset.Select(c => c.ToString()).ToList();
        Assert.Contains("ip -n eclab-node-1 link del vxlan.calico", lines);
        Assert.Contains("ip -n eclab-node-1 rule add pref 0 lookup local protocol kernel", lines);
        Assert.True(lines.IndexOf("ip -n eclab-node-1 rule add pref 0 lookup local protocol kernel") < lines.IndexOf("ip -n eclab-node-1 rule del pref 100 lookup local"));
    }

    [Theory]
    [InlineData(DatapathMode.Iptables)]
    [InlineData(DatapathMode.EbpfTunnel)]
    [InlineData(DatapathMode.EbpfDsr)]
    public void Switch_ResetsBothNodesFirstAndFlushesConntrackLast(DatapathMode mode)
    {
        var plan = DatapathConfigurator.Plan(mode).Select(c => c.ToString()).ToList();

        var lastReset = plan.FindLastIndex(l => l.Contains("link del vxlan.calico", StringComparison.Ordinal));
        var firstApply = plan.FindIndex(lastReset + 1, l => l.Contains("iptables-restore", StringComparison.Ordinal) || l.Contains("link add", StringComparison.Ordinal));
        Assert.True(firstApply > lastReset);
        Assert.Equal(
            ["ip netns exec eclab-node-1 conntrack -F", "ip netns exec eclab-node-2 conntrack -F"],
            plan.TakeLast(2));
    }

    [Fact]
    public void Plan_StaysInsideTheNodeNamespaces()
    {
        foreach (var mode in Enum.GetValues<DatapathMode>())
        {
            Assert.All(DatapathConfigurator.Plan(mode), c =>
                Assert.True(c.Args.Contains("eclab-node-1") || c.Args.Contains("eclab-node-2"), c.ToString()));
        }
    }
}
