namespace EbpfConsole.Capture.Files;

/// <summary>What the pcap and pcapng writers share: the stream, whether they own it, flush and dispose.</summary>
public abstract class CaptureFileWriter : IDisposable
{
    private readonly bool _leaveOpen;
    private bool _disposed;

    protected CaptureFileWriter(Stream stream, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Frames written so far.</summary>
    public long FramesWritten { get; protected set; }

    protected Stream Stream { get; }

    public void Flush()
    {
        ThrowIfDisposed();
        Stream.Flush();
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        if (_leaveOpen)
        {
            Stream.Flush();
        }
        else
        {
            Stream.Dispose();
        }
    }
}
