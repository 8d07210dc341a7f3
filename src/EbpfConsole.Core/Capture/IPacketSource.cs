namespace EbpfConsole.Core.Capture;

/// <summary>Receives frames from a source. Implementations never block: a capture thread calls it.</summary>
public interface IFrameSink
{
    void Accept(in CapturedFrame frame);
}

/// <summary>
/// A producer of frames: a file, a local interface (libpcap) or tcpdump on a remote node. Expected
/// failures (no such interface, no privileges, not a capture file, SSH refused) end
/// <see cref="RunAsync"/> with a <see cref="CaptureSourceException"/> whose message is one line for
/// the user; cancellation ends it quietly and leaves nothing running, locally or remotely.
/// </summary>
public interface IPacketSource : IAsyncDisposable
{
    /// <summary>What this source reads, for messages: "node-1:eth0 (tcpdump over SSH)", "file a.pcap".</summary>
    string Description { get; }

    /// <summary>The points this source produces frames for (a pcapng file may hold several).</summary>
    IReadOnlyList<CapturePoint> Points { get; }

    /// <summary>Counters the source itself keeps (kernel drops from pcap stats, frames skipped as unreadable).</summary>
    SourceStats Stats { get; }

    /// <summary>
    /// Completes once the source really captures (remote: tcpdump wrote its pcap header; local: the device
    /// is open): packets sent before that may be missed. Sources that cannot miss anything need not override it.
    /// </summary>
    Task Ready => Task.CompletedTask;

    Task RunAsync(IFrameSink sink, CancellationToken cancellationToken);
}

/// <summary>What a source counted on its side: frames the kernel dropped and records it could not read.</summary>
public readonly record struct SourceStats(long KernelDropped, long Unreadable);

/// <summary>An expected failure of a capture source; <see cref="Exception.Message"/> is one line for the user.</summary>
public sealed class CaptureSourceException : Exception
{
    public CaptureSourceException()
    {
    }

    public CaptureSourceException(string message)
        : base(message)
    {
    }

    public CaptureSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
