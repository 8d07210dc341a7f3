using EbpfConsole.Core.Nodes;

namespace EbpfConsole.Lab.Tests;

public sealed class LabOnlyProbeTests
{
    private static readonly NodeTarget Node = new("node-1", "10.99.0.11");

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
    public async Task Probe_LabLinkUp_DelegatesToTheInnerProbe()
    {
        var inner = new CountingProbe();
        var probe = new LabOnlyProbe(inner, () => true);

        var status = await probe.ProbeAsync(Node, CancellationToken.None);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(Reachability.Reachable, status.Reachability);
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
