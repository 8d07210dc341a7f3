using EbpfConsole.Core.Capture;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Capture.Sources;

/// <summary>A source that was given its own SSH session: disposing the source closes the session after it.</summary>
internal sealed class SessionOwningSource(IPacketSource inner, SshSession session) : IPacketSource
{
    public string Description => inner.Description;

    public IReadOnlyList<CapturePoint> Points => inner.Points;

    public SourceStats Stats => inner.Stats;

    public Task Ready => inner.Ready;

    public Task RunAsync(IFrameSink sink, CancellationToken cancellationToken) => inner.RunAsync(sink, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await inner.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            session.Dispose();
        }
    }
}
