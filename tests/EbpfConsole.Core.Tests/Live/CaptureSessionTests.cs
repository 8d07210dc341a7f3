using System.Collections.Concurrent;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;
using EbpfConsole.Core.Capture.Live;
using EbpfConsole.Core.Events;
using static EbpfConsole.Core.Tests.Capture.LabShapes;

namespace EbpfConsole.Core.Tests.Live;

/// <summary>The live pipeline on scripted sources, real time, polled (no fixed sleeps).</summary>
public sealed class CaptureSessionTests : IAsyncLifetime
{
    private readonly EventLog _log = new(TimeProvider.System);
    private readonly FakeFactory _factory = new();
    private CaptureSession _session = null!;

    public Task InitializeAsync()
    {
        _session = NewSession();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Start_FramesFromThreePoints_ReachTheAnalyzerMergedInTimeOrder()
    {
        var frames = EbpfDsr();
        foreach (var point in AllPoints)
        {
            var own = frames.Where(f => f.Point == point).ToList();
            _factory.Script(point, () => new FakeSource(point) { Frames = own });
        }

        var tee = new RecordingSink();
        await _session.StartAsync(AllPoints, tee, CancellationToken.None);
        await Eventually(() => _session.Latest.Packets == frames.Count, "all frames analysed");
        await _session.StopAsync();

        Assert.Equal(frames.Select(f => f.TimestampNs).Order(), tee.Timestamps);
        Assert.Equal(DatapathVerdict.EbpfDsr, _session.Latest.Classification.Verdict);
        Assert.All(AllPoints, p => Assert.Equal(frames.Count(f => f.Point == p), _session.Latest.Points.Single(s => s.Point == p).Packets));
    }

    [Fact]
    public async Task Start_SourceFailing_ShowsTheErrorOnItsPointAndTheOthersGoOn()
    {
        var frames = Iptables();
        _factory.Script(Node1Eth0, () => new FakeSource(Node1Eth0) { FailWith = new CaptureSourceException("node-1:eth0: no such interface") });
        _factory.Script(Node2Eth0, () => new FakeSource(Node2Eth0) { Frames = frames.Where(f => f.Point == Node2Eth0).ToList() });

        await _session.StartAsync([Node1Eth0, Node2Eth0], CancellationToken.None);
        await Eventually(() => _session.Latest.Points.Any(p => p.Error is not null) && _session.Latest.Packets == frames.Count(f => f.Point == Node2Eth0),
            "the error and node-2's frames");

        var failed = _session.Latest.Points.Single(p => p.Point == Node1Eth0);
        Assert.Equal("node-1:eth0: no such interface", failed.Error);
        Assert.Null(_session.Latest.Points.Single(p => p.Point == Node2Eth0).Error);
        Assert.True(_session.IsRunning);
        Assert.Contains(_log.Snapshot(), e => e.Level == EventLevel.Error && e.Message == "node-1:eth0: no such interface");
    }

    [Fact]
    public async Task Start_UnexpectedSourceException_IsShownOnItsPointWithoutStackTrace()
    {
        _factory.Script(Node1Eth0, () => new FakeSource(Node1Eth0) { FailWith = new InvalidOperationException("pipe broke") });

        await _session.StartAsync([Node1Eth0], CancellationToken.None);
        await Eventually(() => !_session.IsRunning, "the capture to end");

        Assert.Equal("node-1:eth0: pipe broke", _session.Latest.Points.Single().Error);
    }

    [Fact]
    public async Task Start_FloodBeyondTheBuffer_CountsDropsPerPointWithoutBlockingTheSource()
    {
        var flood = Enumerable.Range(0, 5000).Select(i => new CapturedFrame(Start + i, Node1Eth0, LinkType.Ethernet, new byte[60], 60)).ToList();
        var source = new FakeSource(Node1Eth0) { Frames = flood };
        _factory.Script(Node1Eth0, () => source);
        await _session.DisposeAsync();
        _session = NewSession(o => o with { BufferedFrames = 16 });

        await _session.StartAsync([Node1Eth0, Node2Eth0], CancellationToken.None);
        await source.Delivered.WaitAsync(TimeSpan.FromSeconds(10));
        await _session.StopAsync();

        var point = _session.Latest.Points.Single(p => p.Point == Node1Eth0);
        Assert.True(point.DroppedByUs > 0, "a 16-frame buffer cannot take 5000 frames at once");
        Assert.Equal(flood.Count, point.Packets + point.DroppedByUs);
        Assert.Equal(0, _session.Latest.Points.Single(p => p.Point == Node2Eth0).DroppedByUs);
    }

    [Fact]
    public async Task Stop_CancelsAndDisposesEverySourceAndEndsTheRun()
    {
        await _session.StartAsync(AllPoints, CancellationToken.None);
        await Eventually(() => _factory.Opened.Count == 3, "three sources opened");

        await _session.StopAsync();

        Assert.False(_session.IsRunning);
        Assert.All(_factory.Opened, s => Assert.True(s.Cancelled.IsCompleted && s.Disposed));
        Assert.Contains(_log.Snapshot(), e => e.Message.StartsWith("stopped:", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Snapshot(), e => e.Level == EventLevel.Error);
    }

    [Fact]
    public async Task Start_WhileRunning_ReplacesTheRun()
    {
        await _session.StartAsync([Node1Eth0], CancellationToken.None);
        await Eventually(() => _factory.Opened.Count == 1, "first source opened");
        var first = _factory.Opened.Single();

        await _session.StartAsync([Node2Eth0], CancellationToken.None);
        await Eventually(() => _session.Latest.Points.Count == 1 && _session.Latest.Points[0].Point == Node2Eth0, "the new run's snapshot");

        Assert.True(first.Cancelled.IsCompleted && first.Disposed);
        Assert.True(_session.IsRunning);
    }

    [Fact]
    public async Task Start_NoPoints_UsesTheDefaultPoints()
    {
        await _session.StartAsync([], CancellationToken.None);
        await Eventually(() => _factory.Opened.Count == AllPoints.Length, "the default points opened");

        Assert.Equal(AllPoints, _factory.Opened.SelectMany(s => s.Points).OrderBy(p => Array.IndexOf(AllPoints, p)));
    }

    [Fact]
    public async Task Start_SourceNotReady_LogsCapturingOnlyOnceReady()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new FakeSource(Node1Eth0) { ReadyGate = gate };
        _factory.Script(Node1Eth0, () => source);
        await _session.StartAsync([Node1Eth0], CancellationToken.None);
        await Eventually(() => _factory.Opened.Count == 1 && _session.Latest.Points.Count == 1, "the source opened and a snapshot published");
        await Eventually(() => _session.Latest.FirstPacketNs is null && _session.IsRunning, "running");
        Assert.DoesNotContain(_log.Snapshot(), e => e.Message.Contains("capturing", StringComparison.Ordinal));

        gate.SetResult();

        await Eventually(() => _log.Snapshot().Any(e => e.Message == "node-1:eth0: capturing (node-1:eth0 (fake))"), "the capturing line");
    }

    [Fact]
    public async Task Publish_KernelDropsOfASource_ReachItsPointStats()
    {
        var source = new FakeSource(Node2Eth0) { Stats = new SourceStats(KernelDropped: 7, Unreadable: 0) };
        _factory.Script(Node2Eth0, () => source);

        await _session.StartAsync([Node2Eth0], CancellationToken.None);
        await Eventually(() => _session.Latest.Points.Any(p => p.DroppedByKernel == 7), "7 kernel drops");

        Assert.Equal(7, _session.Latest.Dropped);
    }

    [Fact]
    public void Pin_SameNameInAnotherCase_ReplacesThePin()
    {
        _session.Pin("baseline");
        _session.Pin("after eBPF");

        _session.Pin("Baseline");

        Assert.Equal(["after eBPF", "Baseline"], _session.Pinned.Select(p => p.Name));
    }

    [Fact]
    public void Unpin_NameInAnotherCase_RemovesThePin()
    {
        _session.Pin("after DSR");

        _session.Unpin("AFTER dsr");

        Assert.Empty(_session.Pinned);
    }

    [Fact]
    public void Pinned_ListTakenBeforeAPin_DoesNotChange()
    {
        _session.Pin("baseline");
        var before = _session.Pinned;

        _session.Pin("after eBPF");

        Assert.Single(before);
        Assert.Equal(2, _session.Pinned.Count);
    }

    private CaptureSession NewSession(Func<CaptureSessionOptions, CaptureSessionOptions>? configure = null)
    {
        var options = new CaptureSessionOptions(new AnalysisOptions(EbpfConsole.Core.Tests.Capture.LabShapes.Nodes, NodePort))
        {
            ReorderWindow = TimeSpan.FromMilliseconds(50),
            PublishInterval = TimeSpan.FromMilliseconds(20),
            StopTimeout = TimeSpan.FromSeconds(5),
        };
        return new CaptureSession(AllPoints, _factory, _log, TimeProvider.System, configure?.Invoke(options) ?? options);
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    private sealed class RecordingSink : IFrameSink
    {
        private readonly ConcurrentQueue<long> _timestamps = new();

        public IEnumerable<long> Timestamps => _timestamps;

        public void Accept(in CapturedFrame frame) => _timestamps.Enqueue(frame.TimestampNs);
    }
}
