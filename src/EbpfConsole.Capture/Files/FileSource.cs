using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Files;

/// <summary>
/// A pcap or pcapng file as a packet source. <see cref="RunAsync"/> reads the whole file into the sink
/// on the calling thread, without per-frame async. Expected problems (missing file, a directory,
/// permission denied, empty, not a capture, unsupported version) end it with a one-line
/// <see cref="CaptureSourceException"/>. A cut or corrupt tail is not an error: the frames before it are
/// delivered, <see cref="SourceStats.Unreadable"/> counts it, <see cref="Truncated"/> is set and
/// <see cref="Warning"/> says what happened.
/// </summary>
public sealed class FileSource : IPacketSource
{
    private const int CancellationCheckInterval = 4096;

    private IReadOnlyList<CapturePoint> _points = [];
    private long _unreadable;

    public FileSource(FileTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
    }

    public FileTarget Target { get; }

    public string Description => "file " + Target.Path;

    /// <summary>The points of the frames read so far; complete once <see cref="RunAsync"/> has finished.</summary>
    public IReadOnlyList<CapturePoint> Points => Volatile.Read(ref _points);

    public SourceStats Stats => new(0, Interlocked.Read(ref _unreadable));

    /// <summary>True when the file ended inside a record or a record was corrupt: what came before it was read.</summary>
    public bool Truncated { get; private set; }

    /// <summary>One line on the file's tail when <see cref="Truncated"/> is set.</summary>
    public string? Warning { get; private set; }

    /// <summary>Frames delivered to the sink.</summary>
    public long FramesRead { get; private set; }

    public Task RunAsync(IFrameSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        try
        {
            Run(sink, cancellationToken);
            return Task.CompletedTask;
        }
        catch (CaptureSourceException error)
        {
            return Task.FromException(error);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Opens <paramref name="target"/> for reading; failures become one-line <see cref="CaptureSourceException"/>s.</summary>
    public static PcapReader OpenReader(FileTarget target)
    {
        var path = target.Path;
        if (Directory.Exists(path))
        {
            throw new CaptureSourceException($"{path}: is a directory, not a capture file");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new CaptureSourceException(DescribeOpenFailure(path, error), error);
        }

        try
        {
            return new PcapReader(stream, path, target.DefaultPoint);
        }
        catch (CaptureFormatException error)
        {
            stream.Dispose();
            throw new CaptureSourceException(error.Message, error);
        }
        catch (IOException error)
        {
            stream.Dispose();
            throw new CaptureSourceException($"{path}: read failed ({OneLine(error.Message)})", error);
        }
    }

    internal static string DescribeOpenFailure(string path, Exception error) => error switch
    {
        FileNotFoundException or DirectoryNotFoundException => $"{path}: no such file",
        UnauthorizedAccessException => $"{path}: permission denied",
        PathTooLongException => $"{path}: path too long",
        _ => $"{path}: cannot open ({OneLine(error.Message)})",
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private void Run(IFrameSink sink, CancellationToken cancellationToken)
    {
        Truncated = false;
        Warning = null;
        FramesRead = 0;
        Interlocked.Exchange(ref _unreadable, 0);
        using var reader = OpenReader(Target);
        var pointCount = reader.Points.Count;
        Volatile.Write(ref _points, reader.Points.ToArray());
        try
        {
            while (reader.TryRead(out var frame))
            {
                sink.Accept(frame);
                FramesRead++;
                if (reader.Points.Count != pointCount)
                {
                    pointCount = reader.Points.Count;
                    Volatile.Write(ref _points, reader.Points.ToArray());
                }

                if (FramesRead % CancellationCheckInterval == 0)
                {
                    Interlocked.Exchange(ref _unreadable, reader.Skipped);
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }
                }
            }

            if (reader.TruncatedAtEnd)
            {
                Cut($"{Target.Path}: the last record is cut short (file truncated); {FramesRead} frames read");
            }
        }
        catch (CaptureFormatException error)
        {
            Cut(error.Message + $"; {FramesRead} frames before it read");
        }
        catch (IOException error)
        {
            Cut($"{Target.Path}: read failed after {FramesRead} frames ({OneLine(error.Message)})");
        }
        finally
        {
            Interlocked.Exchange(ref _unreadable, reader.Skipped + (Truncated ? 1 : 0));
            Volatile.Write(ref _points, reader.Points.ToArray());
        }
    }

    private void Cut(string warning)
    {
        Truncated = true;
        Warning = warning;
    }
}
