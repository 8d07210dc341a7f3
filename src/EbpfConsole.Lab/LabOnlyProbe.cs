using EbpfConsole.Core.Nodes;

namespace EbpfConsole.Lab;

/// <summary>
/// Network safety for the lab: lab node addresses are private-range addresses that exist only behind the
/// lab's own link. When that link is gone (someone ran `lab down` while the console is open), a probe
/// would follow the machine's default route to a host that is not ours, so it is refused here instead.
/// </summary>
public sealed class LabOnlyProbe(INodeProbe inner, Func<bool>? labLinkIsUp = null) : INodeProbe
{
    private readonly Func<bool> _labLinkIsUp = labLinkIsUp ?? HostLinkIsUp;

    public Task<NodeStatus> ProbeAsync(NodeTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!_labLinkIsUp())
        {
            return Task.FromResult(new NodeStatus(
                target.Name,
                target.Address,
                Reachability.Unreachable,
                Error: $"the lab's link {LabTopology.HostLink} is gone (lab down?): not connecting to {target.Address}; run 'ebpf-console lab up'"));
        }

        return inner.ProbeAsync(target, cancellationToken);
    }

    private static bool HostLinkIsUp()
    {
        var operstate = Path.Combine("/sys/class/net", LabTopology.HostLink, "operstate");
        return File.Exists(operstate) && File.ReadAllText(operstate).Trim() is "up" or "unknown";
    }
}
