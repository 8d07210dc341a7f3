using EbpfConsole.Lab;
using EbpfConsole.Lab.Cluster;

namespace EbpfConsole.Lab.Tests;

/// <summary>`lab up --nodes N`: node names, addresses and namespaces for 2–50 nodes, and the commands that build them.</summary>
public sealed class LabNodeCountTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(51)]
    [InlineData(1000)]
    public void NodeCountError_OutsideTwoToFifty_NamesTheRange(int count)
    {
        Assert.Equal($"--nodes must be between 2 and 50, not {count}", LabTopology.NodeCountError(count));
        Assert.Equal(LabTopology.NodeCountError(count), Assert.Throws<LabException>(() => LabTopology.NodesFor(count)).Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(50)]
    public void NodeCountError_TwoToFifty_None(int count) => Assert.Null(LabTopology.NodeCountError(count));

    [Fact]
    public void NodesFor_Fifty_AddressesTenPlusKClearOfHostAndClients()
    {
        var nodes = LabTopology.NodesFor(50);

        Assert.Equal(50, nodes.Count);
        Assert.Equal(new LabHost("node-1", "eclab-node-1", "10.99.0.11"), nodes[0]);
        Assert.Equal(new LabHost("node-50", "eclab-node-50", "10.99.0.60"), nodes[^1]);
        var addresses = nodes.Select(n => n.Ip).Concat(LabTopology.Clients.Select(c => c.Ip)).Append(LabTopology.HostIp).ToList();
        Assert.Equal(addresses.Count, addresses.Distinct(StringComparer.Ordinal).Count());
        Assert.All(nodes, n => Assert.True(LabTopology.BridgePort(n).Length <= 15, LabTopology.BridgePort(n)));
    }

    [Fact]
    public void NodesFor_Two_IsTheDatapathNodes()
    {
        Assert.Equal(LabTopology.Nodes, LabTopology.NodesFor(2));
        Assert.Equal(LabTopology.Namespaces, LabTopology.NamespacesFor(2));
    }

    [Theory]
    [InlineData("node-1", 1)]
    [InlineData("node-50", 50)]
    [InlineData("node-51", null)]
    [InlineData("node-0", null)]
    [InlineData("node-07", null)]
    [InlineData("node-", null)]
    [InlineData("client", null)]
    [InlineData(null, null)]
    public void NodeIndex_OnlyLabNodeNames(string? name, int? index) => Assert.Equal(index, LabTopology.NodeIndex(name));

    [Fact]
    public void Commands_FiveNodes_EachExtraNodeOnTheBridgeWithItsAddressAndForwarding()
    {
        var lines = LabTopologyBuilder.Commands(5).Select(c => c.ToString()).ToList();

        foreach (var node in LabTopology.NodesFor(5))
        {
            Assert.Contains($"ip netns add {node.Namespace}", lines);
            Assert.Contains($"ip -n eclab-net link add v-{node.Name} type veth peer name eth0 netns {node.Namespace}", lines);
            Assert.Contains($"ip -n {node.Namespace} addr add {node.Ip}/24 dev eth0", lines);
            Assert.Contains(lines, l => l.StartsWith($"ip netns exec {node.Namespace} sysctl -qw net/ipv4/ip_forward=1", StringComparison.Ordinal));
        }

        Assert.Contains("ip -n eclab-node-5 addr add 10.99.0.15/24 dev eth0", lines);
        Assert.DoesNotContain(lines, l => l.Contains("eclab-node-6", StringComparison.Ordinal));
    }

    [Fact]
    public void Commands_FiveNodes_DatapathStaysOnNodeOneAndTwo()
    {
        var lines = LabTopologyBuilder.Commands(5).Select(c => c.ToString()).ToList();

        Assert.Contains(lines, l => l.Contains(LabTopology.PodHostVeth, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(LabTopology.PodHostVeth, StringComparison.Ordinal) && !l.Contains("eclab-node-2", StringComparison.Ordinal) && !l.Contains("eclab-pod-nginx", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("ip -n eclab-node-3 route", StringComparison.Ordinal));
    }

    [Fact]
    public void Commands_ScenarioLinksOnAnExtraNode_GoWithItsNamespace()
    {
        var scenario = new LabScenario("t", "t", "v1.32.4", new Dictionary<string, LabNodeFacts> { ["node-4"] = new(true, ["kube-ipvs0"]) }, []);

        var lines = LabTopologyBuilder.Commands(scenario, 4).Select(c => c.ToString()).ToList();

        Assert.Contains(lines, l => l.Contains("extra-link eclab-node-4 kube-ipvs0", StringComparison.Ordinal));
    }

    [Fact]
    public void HealthKeys_AnSshdKeyPerNode()
    {
        var keys = LabHealth.KeysFor(4);

        Assert.Equal(["sshd:node-1", "sshd:node-2", "sshd:node-3", "sshd:node-4"], keys.Where(k => k.StartsWith("sshd:", StringComparison.Ordinal)));
        Assert.Equal(LabHealth.Keys, LabHealth.KeysFor(2));
    }

    [Fact]
    public void ApiServerConfig_RemembersTheNodeCount_OlderFilesMeanTwo()
    {
        var dir = Directory.CreateTempSubdirectory("eclab-config-");
        try
        {
            var path = Path.Combine(dir.FullName, "apiserver.json");
            File.WriteAllText(path, new LabApiServerConfig("healthy", LabApiServerConfig.DefaultListen, "v1.32.4") { Nodes = 17 }.ToJson());
            Assert.Equal(17, LabApiServerConfig.Read(path)!.Nodes);

            File.WriteAllText(path, """{"scenario":"healthy","listen":["127.0.0.1:6443"],"kubernetesVersion":"v1.32.4"}""");
            Assert.Equal(2, LabApiServerConfig.Read(path)!.Nodes);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Daemons_CoverAnSshdForEveryPossibleNode()
    {
        var names = LabDaemon.All(new LabPaths("/var/lib/x")).Select(d => d.Name).ToList();

        Assert.Contains("sshd node-1", names);
        Assert.Contains("sshd node-50", names);
        Assert.Contains("apiserver", names);
    }
}
