namespace EbpfConsole.Core.Capture.Live;

/// <summary>
/// Opens a live source for a capture point (tcpdump over SSH on a node, libpcap here). Expected failures
/// (unreachable node, refused host key, no such interface) throw <see cref="CaptureSourceException"/>.
/// </summary>
public interface ICaptureSourceFactory
{
    Task<IPacketSource> OpenAsync(CapturePoint point, CancellationToken cancellationToken);
}
