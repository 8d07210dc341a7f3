using System.Net;
using System.Net.Sockets;

namespace EbpfConsole.Lab;

/// <summary>
/// Network safety for the lab: lab node addresses are private-range addresses that exist only behind the
/// lab's own link. When that link is gone (someone ran `lab down` while the console is open), or the kernel
/// would route the address anywhere else (another route to 10.99.0.0/24 appeared), a connection would reach
/// a host that is not ours, so it is refused. Both are checked before every connection.
/// </summary>
public sealed class LabReachGuard
{
    private static readonly TimeSpan RouteCheckTimeout = TimeSpan.FromSeconds(5);

    private readonly Func<bool> _labLinkIsUp;
    private readonly Func<string, CancellationToken, Task<bool>> _routesViaLab;

    public LabReachGuard(Func<bool>? labLinkIsUp = null)
        : this(labLinkIsUp, null)
    {
    }

    /// <summary>Tests replace the route check (`ip -o route get ADDRESS` says dev eclab-host) too.</summary>
    internal LabReachGuard(Func<bool>? labLinkIsUp, Func<string, CancellationToken, Task<bool>>? routesViaLab)
    {
        _labLinkIsUp = labLinkIsUp ?? HostLinkIsUp;
        _routesViaLab = routesViaLab ?? RoutesViaLabAsync;
    }

    /// <summary>Null when <paramref name="address"/> may be contacted now; otherwise why not (one line).</summary>
    public async Task<string?> RefusalAsync(string address, CancellationToken cancellationToken)
    {
        if (!_labLinkIsUp())
        {
            return $"the lab's link {LabTopology.HostLink} is gone (lab down?): not connecting to {address}; run 'ebpf-console lab up'";
        }

        if (!IPAddress.TryParse(address, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork)
        {
            return $"lab targets are IPv4 addresses behind {LabTopology.HostLink}, not '{address}': not connecting";
        }

        if (!await _routesViaLab(parsed.ToString(), cancellationToken).ConfigureAwait(false))
        {
            return $"{address} is not routed through the lab's link {LabTopology.HostLink} ('ip -o route get {parsed}' does not say dev {LabTopology.HostLink}): not connecting";
        }

        return null;
    }

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
