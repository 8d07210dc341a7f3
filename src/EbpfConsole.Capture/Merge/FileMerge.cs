using EbpfConsole.Capture.Files;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;

namespace EbpfConsole.Capture.Merge;

/// <summary>
/// What one file contributed to a merged analysis: frames read, records skipped, whether its end was cut,
/// the problem that stopped it early (a corrupt record; frames before it are kept) and its points.
/// </summary>
public sealed record FileReadResult(
    string Path,
    long Frames,
    long Skipped,
    bool TruncatedAtEnd,
    string? StoppedBy,
    IReadOnlyList<CapturePoint> Points,
    IReadOnlyDictionary<LinkType, long> UndecodedLinkTypes);

/// <summary>
/// Reads several capture files as one capture: a streaming k-way merge by timestamp (each file is
/// already in time order), so memory does not grow with the files' size. Each file's frames carry its
/// point(s): from <c>FILE@NODE:IFACE</c>, from a pcapng interface named like a point, or the file's name.
/// </summary>
public static class FileMerge
{
    /// <summary>
    /// Feeds every frame of <paramref name="targets"/> to <paramref name="sink"/> in timestamp order. Throws
    /// <see cref="CaptureSourceException"/> (one line naming the file) when a file cannot be opened or is
    /// not a capture; a cut or corrupt record later in a file ends that file and is reported in the result.
    /// </summary>
    public static IReadOnlyList<FileReadResult> Read(IReadOnlyList<FileTarget> targets, IFrameSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(sink);
        var inputs = new List<Input>(targets.Count);
        try
        {
            foreach (var target in targets)
            {
                inputs.Add(new Input(target, FileSource.OpenReader(target)));
            }

            Merge(inputs, sink, cancellationToken);
            return inputs.Select(i => i.Result()).ToList();
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Reader.Dispose();
            }
        }
    }

    private static void Merge(List<Input> inputs, IFrameSink sink, CancellationToken cancellationToken)
    {
        // Ties keep file order, so equal timestamps come out in the order the files were given.
        var heads = new PriorityQueue<(CapturedFrame Frame, int Input), (long, int)>();
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].TryRead(out var first))
            {
                heads.Enqueue((first, i), (first.TimestampNs, i));
            }
        }

        var count = 0;
        while (heads.TryDequeue(out var head, out _))
        {
            var input = inputs[head.Input];
            sink.Accept(head.Frame);

            // The common single-file case (and a file whose next frame is still the earliest) skips the queue.
            while (input.TryRead(out var next))
            {
                if ((++count & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (heads.Count == 0 || next.TimestampNs < heads.Peek().Frame.TimestampNs)
                {
                    sink.Accept(next);
                    continue;
                }

                heads.Enqueue((next, head.Input), (next.TimestampNs, head.Input));
                break;
            }
        }
    }

    private sealed class Input(FileTarget target, PcapReader reader)
    {
        private readonly Dictionary<LinkType, long> _undecoded = [];
        private LinkType _lastDecodable = LinkType.Ethernet;
        private string? _stoppedBy;

        public PcapReader Reader { get; } = reader;

        public bool TryRead(out CapturedFrame frame)
        {
            frame = default;
            if (_stoppedBy is not null)
            {
                return false;
            }

            try
            {
                if (!Reader.TryRead(out frame))
                {
                    return false;
                }

                if (frame.LinkType != _lastDecodable)
                {
                    Note(frame.LinkType);
                }

                return true;
            }
            catch (CaptureFormatException e)
            {
                _stoppedBy = e.Message;
                return false;
            }
            catch (IOException e)
            {
                _stoppedBy = $"{target.Path}: read failed ({e.Message.ReplaceLineEndings(" ")})";
                return false;
            }
        }

        private void Note(LinkType linkType)
        {
            if (FrameDecoder.Supports(linkType))
            {
                _lastDecodable = linkType;
                return;
            }

            _undecoded[linkType] = _undecoded.GetValueOrDefault(linkType) + 1;
        }

        public FileReadResult Result() => new(
            target.Path,
            Reader.FramesRead,
            Reader.Skipped,
            Reader.TruncatedAtEnd,
            _stoppedBy,
            Reader.Points.Count > 0 ? Reader.Points : [target.DefaultPoint],
            _undecoded);
    }
}
