using System.Net;
using System.Net.Sockets;
using EbpfConsole.Core.Nodes;

namespace EbpfConsole.Lab;

/// <summary>
/// Network safety for the lab: lab node addresses are private-range addresses that exist only behind the
/// lab's own link. When that link is gone (someone ran `lab down` while the console is open), or the kernel
/// would route the address anywhere else (another route to 10.99.0.0/24 appeared), a probe would reach a
/// host that is not ours, so it is refused here instead. Both are checked before every probe.
/// </summary>
public sealed class LabOnlyProbe : INodeProbe
{
    private static readonly TimeSpan RouteCheckTimeout = TimeSpan.FromSeconds(5);

    private readonly INodeProbe _inner;
    private readonly Func<bool> _labLinkIsUp;
    private readonly Func<string, CancellationToken, Task<bool>> _routesViaLab;

    public LabOnlyProbe(INodeProbe inner, Func<bool>? labLinkIsUp = null)
        : this(inner, labLinkIsUp, null)
    {
    }

    /// <summary>Tests replace the route check (`ip -o route get ADDRESS` says dev eclab-host) too.</summary>
    internal LabOnlyProbe(INodeProbe inner, Func<bool>? labLinkIsUp, Func<string, CancellationToken, Task<bool>>? routesViaLab)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _labLinkIsUp = labLinkIsUp ?? HostLinkIsUp;
        _routesViaLab = routesViaLab ?? RoutesViaLabAsync;
    }

    public async Task<NodeStatus> ProbeAsync(NodeTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!_labLinkIsUp())
        {
            return Refused(target, $"the lab's link {LabTopology.HostLink} is gone (lab down?): not connecting to {target.Address}; run 'ebpf-console lab up'");
        }

        if (!IPAddress.TryParse(target.Address, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return Refused(target, $"lab targets are IPv4 addresses behind {LabTopology.HostLink}, not '{target.Address}': not connecting");
        }

        if (!await _routesViaLab(address.ToString(), cancellationToken).ConfigureAwait(false))
        {
            return Refused(target,
                $"{target.Address} is not routed through the lab's link {LabTopology.HostLink} ('ip -o route get {address}' does not say dev {LabTopology.HostLink}): not connecting");
        }

        return await _inner.ProbeAsync(target, cancellationToken).ConfigureAwait(false);
    }

    private static NodeStatus Refused(NodeTarget target, string error) =>
        new(target.Name, target.Address, Reachability.Unreachable, Error: error);

    private static bool HostLinkIsUp()
    {
        var operstate = Path.Combine("/sys/class/net", LabTopology.HostLink, "operstate");
        return File.Exists(operstate) && File.ReadAllText(operstate).Trim() is "up" or "unknown";
    }

    private static async Task<bool> RoutesViaLabAsync(string address, CancellationToken ct)
    {
        var shell = new LabShell(new ProcessRunner()) { DefaultTimeout = RouteCheckTimeout };
        try
        {
            return await LabRoutes.RoutesViaLabAsync(shell, address, ct).ConfigureAwait(false);
        }
        catch (LabException)
        {
            // `ip` missing or hung: not proven to be the lab's route, so not ours to connect to.
            return false;
        }
    }
}
