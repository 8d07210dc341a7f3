using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Live;

namespace EbpfConsole.Core.Tests.Live;

public sealed class ReorderBufferTests
{
    private const long TicksPerSecond = 1000; // the buffer's clock in these tests: milliseconds
    private static readonly CapturePoint A = new("node-1", "eth0");
    private static readonly CapturePoint B = new("node-2", "eth0");

    [Fact]
    public void Release_BeforeTheWindow_HoldsFrames()
    {
        var buffer = new ReorderBuffer(TimeSpan.FromMilliseconds(100), 100);
        var sink = new RecordingSink();
        buffer.Add(Frame(20, A), arrivedAt: 0);

        buffer.Release(99, sink, TicksPerSecond);

        Assert.Empty(sink.Timestamps);
        Assert.Equal(1, buffer.Count);
    }

    [Fact]
    public void Release_AfterTheWindow_ReleasesInTimestampOrderAcrossPoints()
    {
        var buffer = new ReorderBuffer(TimeSpan.FromMilliseconds(100), 100);
        var sink = new RecordingSink();
        buffer.Add(Frame(30, A), arrivedAt: 0);
        buffer.Add(Frame(10, B), arrivedAt: 5);
        buffer.Add(Frame(20, A), arrivedAt: 10);

        buffer.Release(110, sink, TicksPerSecond);

        Assert.Equal([10L, 20, 30], sink.Timestamps);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void Release_OnlyTheHeadsThatWaitedLongEnough()
    {
        var buffer = new ReorderBuffer(TimeSpan.FromMilliseconds(100), 100);
        var sink = new RecordingSink();
        buffer.Add(Frame(10, A), arrivedAt: 0);
        buffer.Add(Frame(20, B), arrivedAt: 50);

        buffer.Release(100, sink, TicksPerSecond);

        Assert.Equal([10L], sink.Timestamps);
        Assert.Equal(1, buffer.Count);
    }

    [Fact]
    public void Release_BeyondCapacity_ReleasesTheOldestEarly()
    {
        var buffer = new ReorderBuffer(TimeSpan.FromSeconds(10), 3);
        var sink = new RecordingSink();
        foreach (var ns in new long[] { 50, 10, 40, 20, 30 })
        {
            buffer.Add(Frame(ns, A), arrivedAt: 0);
        }

        buffer.Release(1, sink, TicksPerSecond);

        Assert.Equal([10L, 20], sink.Timestamps);
        Assert.Equal(3, buffer.Count);
    }

    [Fact]
    public void Flush_ReleasesEverythingInTimestampOrderWithTiesInArrivalOrder()
    {
        var buffer = new ReorderBuffer(TimeSpan.FromSeconds(10), 100);
        var sink = new RecordingSink();
        buffer.Add(Frame(20, B), arrivedAt: 0);
        buffer.Add(Frame(10, A), arrivedAt: 0);
        buffer.Add(Frame(20, A), arrivedAt: 0);

        buffer.Flush(sink);

        Assert.Equal([10L, 20, 20], sink.Timestamps);
        Assert.Equal([A, B, A], sink.Points);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void Create_WithNoCapacity_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReorderBuffer(TimeSpan.FromSeconds(1), 0));
    }

    private static CapturedFrame Frame(long ns, CapturePoint point) => new(ns, point, LinkType.Ethernet, [], 0);

    private sealed class RecordingSink : IFrameSink
    {
        public List<long> Timestamps { get; } = [];

        public List<CapturePoint> Points { get; } = [];

        public void Accept(in CapturedFrame frame)
        {
            Timestamps.Add(frame.TimestampNs);
            Points.Add(frame.Point);
        }
    }
}
