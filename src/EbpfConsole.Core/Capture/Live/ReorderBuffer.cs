namespace EbpfConsole.Core.Capture.Live;

/// <summary>
/// Merges frames of several live points into time order. Each point delivers in its own order, but
/// points arrive interleaved and a little late (tcpdump over SSH, ~10–20 ms with --immediate-mode):
/// a frame is held until it has waited <see cref="Window"/> since it arrived, then released in
/// capture-timestamp order. Bounded: beyond <see cref="Capacity"/> the oldest frame is released early.
/// Single-threaded (the session's merge loop owns it).
/// </summary>
public sealed class ReorderBuffer
{
    private readonly PriorityQueue<Entry, (long Timestamp, long Sequence)> _queue = new();
    private long _sequence;

    public ReorderBuffer(TimeSpan window, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(window.Ticks);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Window = window;
        Capacity = capacity;
    }

    public TimeSpan Window { get; }

    public int Capacity { get; }

    public int Count => _queue.Count;

    /// <summary>Adds a frame that arrived at <paramref name="arrivedAt"/> (the merge loop's clock).</summary>
    public void Add(in CapturedFrame frame, long arrivedAt) =>
        _queue.Enqueue(new Entry(frame, arrivedAt), (frame.TimestampNs, _sequence++));

    /// <summary>
    /// Releases, in timestamp order, every frame at the head that has waited long enough at
    /// <paramref name="now"/> (same clock as <see cref="Add"/>, in <see cref="TimeProvider"/> ticks), and
    /// whatever exceeds the capacity.
    /// </summary>
    public void Release(long now, IFrameSink sink, long ticksPerSecond)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var window = (long)(Window.TotalSeconds * ticksPerSecond);
        while (_queue.TryPeek(out var head, out _) && (_queue.Count > Capacity || now - head.ArrivedAt >= window))
        {
            _queue.Dequeue();
            sink.Accept(head.Frame);
        }
    }

    /// <summary>Releases everything, in timestamp order (the capture stopped).</summary>
    public void Flush(IFrameSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        while (_queue.TryDequeue(out var entry, out _))
        {
            sink.Accept(entry.Frame);
        }
    }

    private readonly record struct Entry(CapturedFrame Frame, long ArrivedAt);
}
