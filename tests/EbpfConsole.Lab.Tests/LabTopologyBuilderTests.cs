using System.Text.RegularExpressions;
using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

public partial class LabTopologyBuilderTests
{
    private static readonly IReadOnlyList<LabCommand> Commands = LabTopologyBuilder.Commands();
    private static readonly List<string> Lines = Commands.Select(c => c.ToString()).ToList();

    [Fact]
    public void CreatesEveryLabNamespace_AllPrefixed()
    {
        foreach (var ns in LabTopology.Namespaces)
        {
            Assert.StartsWith(LabTopology.Prefix, ns, StringComparison.Ordinal);
            Assert.Contains($"ip netns add {ns}", Lines);
        }
    }

    [Fact]
    public void RootNamespace_OnlyTheHostLinkIsTouched()
    {
        // Commands that run in the root namespace: not "ip -n …", not "ip netns …".
        var root = Commands.Where(c => !(c.File == "ip" && c.Args[0] is "-n" or "netns")).ToList();

        Assert.NotEmpty(root);
        Assert.All(root, c => Assert.Contains(c.Args, a => a.Contains(LabTopology.HostLink, StringComparison.Ordinal)));
        Assert.DoesNotContain(root, c => c.Args.Contains("route"));
        Assert.Contains("ip addr add 10.99.0.1/24 dev eclab-host", Lines);
    }

    [Fact]
    public void EveryHost_HasEth0OnTheBridgeWithItsAddress()
    {
        foreach (var host in LabTopology.Nodes.Concat(LabTopology.Clients))
        {
            Assert.Contains($"ip -n eclab-net link add v-{host.Name} type veth peer name eth0 netns {host.Namespace}", Lines);
            Assert.Contains($"ip -n eclab-net link set v-{host.Name} master br0 up", Lines);
            Assert.Contains($"ip -n {host.Namespace} addr add {host.Ip}/24 dev eth0", Lines);
        }
    }

    [Fact]
    public void Pod_IsWiredLikeCalico()
    {
        Assert.Matches(CaliName(), LabTopology.PodHostVeth);
        Assert.True(LabTopology.PodHostVeth.Length <= 15);
        Assert.Contains($"ip -n eclab-node-2 link add {LabTopology.PodHostVeth} type veth peer name eth0 netns eclab-pod-nginx", Lines);
        Assert.Contains("ip -n eclab-pod-nginx addr add 10.244.2.5/32 dev eth0", Lines);
        Assert.Contains("ip -n eclab-pod-nginx route add default via 169.254.1.1 dev eth0 onlink", Lines);
        Assert.Contains($"ip netns exec eclab-node-2 sysctl -qw net/ipv4/conf/{LabTopology.PodHostVeth}/proxy_arp=1", Lines);
        Assert.Contains($"ip -n eclab-node-2 route add 10.244.2.5 dev {LabTopology.PodHostVeth} scope link", Lines);
        Assert.DoesNotContain(Lines, l => l.Contains($"addr add", StringComparison.Ordinal) && l.Contains(LabTopology.PodHostVeth, StringComparison.Ordinal));
    }

    [Fact]
    public void Nodes_ForwardAndNode1RoutesThePodNetworkViaNode2()
    {
        Assert.Contains("ip -n eclab-node-1 route add 10.244.2.0/24 via 10.99.0.12", Lines);
        foreach (var node in LabTopology.Nodes)
        {
            Assert.Contains(Lines, l => l.StartsWith($"ip netns exec {node.Namespace} sysctl -qw net/ipv4/ip_forward=1", StringComparison.Ordinal));
        }
    }

    [GeneratedRegex("^cali[0-9a-f]{11}$")]
    private static partial Regex CaliName();
}
