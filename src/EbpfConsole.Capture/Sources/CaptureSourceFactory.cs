using EbpfConsole.Capture.Local;
using EbpfConsole.Capture.Remote;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Live;

namespace EbpfConsole.Capture.Sources;

/// <summary>
/// Opens the live source for a point: <c>local:IFACE</c> captures here with libpcap; any other node is reached through
/// <paramref name="connector"/> (for the CLI and the console: <see cref="RouteNodeConnector"/>, so flags, ~/.ssh/config,
/// ProxyJump and known_hosts apply as for preflight; on the lab its key, known_hosts and reach guard only) and captured
/// with tcpdump there. A node that cannot be reached fails the point with the connector's one-line reason.
/// </summary>
public sealed class CaptureSourceFactory(INodeConnector connector, string filter) : ICaptureSourceFactory
{
    /// <summary>The node name of points captured on this machine.</summary>
    public const string LocalNode = "local";

    /// <summary>The BPF filter every source applies.</summary>
    public string Filter => filter;

    public async Task<IPacketSource> OpenAsync(CapturePoint point, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (string.Equals(point.Node, LocalNode, StringComparison.Ordinal))
        {
            return new LocalLiveSource(point, filter);
        }

        var connected = await connector.ConnectAsync(point.Node, cancellationToken).ConfigureAwait(false);
        if (connected.Session is null)
        {
            throw new CaptureSourceException($"{point}: {connected.Failure?.Message ?? "SSH connection failed"}");
        }

        return new SessionOwningSource(new RemoteTcpdumpSource(connected.Session, point, filter), connected.Session);
    }
}
