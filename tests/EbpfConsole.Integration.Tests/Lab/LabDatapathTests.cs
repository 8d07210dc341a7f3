using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab;

namespace EbpfConsole.Integration.Tests.Lab;

/// <summary>
/// Each mode with real packets: 3 requests from each client to node-1, what the pod saw (body and access
/// log), and the reply path as tcpdump saw it leave each node's eth0 (egress-only captures).
/// </summary>
[Collection(LabCollectionDefinition.Name)]
public sealed class LabDatapathTests(LabFixture lab)
{
    private const string Node1 = "10.99.0.11";
    private const string Node2 = "10.99.0.12";
    private const string Vxlan = "udp dst port 4789";
    private const string NodePortReplies = "tcp src port 30604";

    [Fact]
    public async Task Iptables_PodSeesNode1_NoVxlan_ReplyBackThroughNode1()
    {
        var run = await RunAsync(DatapathMode.Iptables);

        Assert.All(run.Results, r => Assert.Equal(Node1, r.PodSaw));
        Assert.All(run.Log, l => Assert.StartsWith(Node1 + " ", l, StringComparison.Ordinal));
        Assert.Equal(0, await run.Node1.CountAsync("udp port 4789"));
        Assert.Equal(0, await run.Node2.CountAsync("udp port 4789"));
        Assert.True(await run.Node1.CountAsync($"src host {Node1} and dst host 10.244.2.5 and tcp dst port 80") > 0, "node-1 forwards the masqueraded request");
        Assert.True(await run.Node2.CountAsync($"src host 10.244.2.5 and dst host {Node1}") > 0, "node-2 replies to node-1, not to the client");
        Assert.Equal(0, await run.Node2.CountAsync(NodePortReplies));
        await AssertRepliesSentByAsync(run.Node1);
    }

    [Fact]
    public async Task EbpfTunnel_PodSeesClient_VxlanBothWays_ReplyLeavesNode1()
    {
        var run = await RunAsync(DatapathMode.EbpfTunnel);

        AssertClientIpKept(run);
        Assert.True(await run.Node1.CountAsync($"src host {Node1} and dst host {Node2} and {Vxlan}") > 0, "request tunnelled node-1 → node-2");
        Assert.True(await run.Node2.CountAsync($"src host {Node2} and dst host {Node1} and {Vxlan}") > 0, "reply tunnelled node-2 → node-1");
        Assert.Contains("vni 13242816", await run.Node2.ReadAsync(Vxlan), StringComparison.Ordinal);
        await AssertRepliesSentByAsync(run.Node1);
        Assert.Equal(0, await run.Node2.CountAsync(NodePortReplies));
    }

    [Fact]
    public async Task EbpfDsr_PodSeesClient_RequestTunnelled_ReplyLeavesNode2WithNode1Source()
    {
        var run = await RunAsync(DatapathMode.EbpfDsr);

        AssertClientIpKept(run);
        Assert.True(await run.Node1.CountAsync($"src host {Node1} and dst host {Node2} and {Vxlan}") > 0, "request tunnelled node-1 → node-2");
        Assert.Contains("vni 13242816", await run.Node1.ReadAsync(Vxlan), StringComparison.Ordinal);
        Assert.Equal(0, await run.Node2.CountAsync("udp port 4789"));
        await AssertRepliesSentByAsync(run.Node2);
        Assert.Equal(0, await run.Node1.CountAsync(NodePortReplies));
    }

    [Theory]
    [InlineData(DatapathMode.Iptables, "client", "10.99.0.12")]
    [InlineData(DatapathMode.EbpfTunnel, "client", "10.99.0.100")]
    [InlineData(DatapathMode.EbpfDsr, "client2", "10.99.0.101")]
    public async Task NodePortOnNode2_AnswersInEveryMode(DatapathMode mode, string from, string podSaw)
    {
        await lab.EnsureUpAsync(mode);

        var results = await lab.Service.CurlAsync(from, "node-2", 2, CancellationToken.None);

        Assert.All(results, r => Assert.Equal((200, podSaw), (r.Status, r.PodSaw)));
    }

    private static void AssertClientIpKept(ModeRun run)
    {
        Assert.All(run.Results, r => Assert.Equal(r.FromIp, r.PodSaw));
        Assert.Equal(3, run.Log.Count(l => l.StartsWith("10.99.0.100 ", StringComparison.Ordinal)));
        Assert.Equal(3, run.Log.Count(l => l.StartsWith("10.99.0.101 ", StringComparison.Ordinal)));
    }

    /// <summary>This node sent unencapsulated replies with source node-1:30604 to each client.</summary>
    private static async Task AssertRepliesSentByAsync(PacketCapture sender)
    {
        foreach (var client in LabTopology.Clients)
        {
            var count = await sender.CountAsync($"src host {Node1} and {NodePortReplies} and dst host {client.Ip}");
            Assert.True(count > 0, $"no replies to {client.Name} in {sender.File}");
        }
    }

    private async Task<ModeRun> RunAsync(DatapathMode mode)
    {
        await lab.EnsureUpAsync(mode);
        var dir = Path.Combine(LabFixture.StateDir, "captures");
        Directory.CreateDirectory(dir);
        var node1 = await PacketCapture.StartEgressAsync(LabTopology.Node1.Namespace, Path.Combine(dir, $"{mode.ToName()}-node-1.pcap"));
        var node2 = await PacketCapture.StartEgressAsync(LabTopology.Node2.Namespace, Path.Combine(dir, $"{mode.ToName()}-node-2.pcap"));
        var results = new List<CurlResult>();
        foreach (var client in LabTopology.Clients)
        {
            results.AddRange(await lab.Service.CurlAsync(client.Name, "node-1", 3, CancellationToken.None));
        }

        await node1.StopAsync();
        await node2.StopAsync();
        Assert.Equal(6, results.Count);
        Assert.All(results, r => Assert.True(r.Status == 200, $"{r.From} → {r.Target}: {r.Status} {r.Error}"));
        var log = await lab.Service.ReadAccessLogAsync(6, CancellationToken.None);
        Assert.Equal(6, log.Count);
        return new ModeRun(results, log, node1, node2);
    }

    private sealed record ModeRun(IReadOnlyList<CurlResult> Results, IReadOnlyList<string> Log, PacketCapture Node1, PacketCapture Node2);
}
