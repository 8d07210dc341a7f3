using EbpfConsole.Capture.Local;
using EbpfConsole.Capture.Remote;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Live;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Capture.Sources;

/// <summary>
/// Opens the live source for a point: <c>local:IFACE</c> captures here with libpcap; any other node is
/// reached over SSH (its address from <paramref name="nodes"/>, else the node name itself as the host)
/// and captured with tcpdump there. <paramref name="guard"/> may refuse an address first (the lab's
/// network-safety check); its reason becomes the point's error.
/// </summary>
public sealed class CaptureSourceFactory(
    SshConnector connector,
    IReadOnlyDictionary<string, NodeTarget> nodes,
    string filter,
    Func<string, CancellationToken, Task<string?>>? guard = null) : ICaptureSourceFactory
{
    /// <summary>The node name of points captured on this machine.</summary>
    public const string LocalNode = "local";

    public async Task<IPacketSource> OpenAsync(CapturePoint point, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (string.Equals(point.Node, LocalNode, StringComparison.Ordinal))
        {
            return new LocalLiveSource(point, filter);
        }

        var target = nodes.TryGetValue(point.Node, out var known) ? known : new NodeTarget(point.Node, point.Node, 22, Environment.UserName);
        if (guard is not null && await guard(target.Address, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            throw new CaptureSourceException($"{point}: {refusal}");
        }

        var connected = await connector.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
        if (connected.Session is null)
        {
            throw new CaptureSourceException($"{point}: {connected.Failure?.Message ?? "SSH connection failed"}");
        }

        return new SessionOwningSource(new RemoteTcpdumpSource(connected.Session, point, filter), connected.Session);
    }
}
