using EbpfConsole.Core.Nodes;

namespace EbpfConsole.Lab.Tests;

public sealed class LabOnlyProbeTests
{
    private static readonly NodeTarget Node = new("node-1", "10.99.0.11");

    private static Func<string, CancellationToken, Task<bool>> Routes(bool viaLab, List<string>? asked = null) => (address, _) =>
    {
        asked?.Add(address);
        return Task.FromResult(viaLab);
    };

    [Fact]
    public async Task Probe_LabLinkGone_RefusesWithoutCallingTheInnerProbe()
    {
        var inner = new CountingProbe();
        var probe = new LabOnlyProbe(inner, () => false);

        var status = await probe.ProbeAsync(Node, CancellationToken.None);

        Assert.Equal(0, inner.Calls);
        Assert.Equal(Reachability.Unreachable, status.Reachability);
        Assert.Contains("eclab-host is gone", status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_LabLinkUpAndRoutedThroughIt_DelegatesToTheInnerProbe()
    {
        var inner = new CountingProbe();
        var asked = new List<string>();
        var probe = new LabOnlyProbe(inner, () => true, Routes(true, asked));

        var status = await probe.ProbeAsync(Node, CancellationToken.None);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(Reachability.Reachable, status.Reachability);
        Assert.Equal(["10.99.0.11"], asked);
    }

    [Fact]
    public async Task Probe_LinkUpButTheAddressIsRoutedElsewhere_Refuses()
    {
        var inner = new CountingProbe();
        var probe = new LabOnlyProbe(inner, () => true, Routes(false));

        var status = await probe.ProbeAsync(Node, CancellationToken.None);

        Assert.Equal(0, inner.Calls);
        Assert.Equal(Reachability.Unreachable, status.Reachability);
        Assert.Equal("10.99.0.11 is not routed through the lab's link eclab-host ('ip -o route get 10.99.0.11' does not say dev eclab-host): not connecting", status.Error);
    }

    [Theory]
    [InlineData("node-1.example.com")]
    [InlineData("fd00::11")]
    public async Task Probe_NotAnIPv4Address_Refuses(string address)
    {
        var inner = new CountingProbe();
        var probe = new LabOnlyProbe(inner, () => true, Routes(true));

        var status = await probe.ProbeAsync(Node with { Address = address }, CancellationToken.None);

        Assert.Equal(0, inner.Calls);
        Assert.Contains("not connecting", status.Error, StringComparison.Ordinal);
    }

    private sealed class CountingProbe : INodeProbe
    {
        public int Calls { get; private set; }

        public Task<NodeStatus> ProbeAsync(NodeTarget target, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(new NodeStatus(target.Name, target.Address, Reachability.Reachable));
        }
    }
}
