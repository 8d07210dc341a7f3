using System.Collections.Concurrent;
using System.Threading.Channels;
using EbpfConsole.Core.Capture.Analysis;
using EbpfConsole.Core.Events;

namespace EbpfConsole.Core.Capture.Live;

/// <summary>
/// One live capture: its sources write into one bounded channel (never blocking a capture thread; a
/// full channel drops and counts per point); one merge loop orders frames by time, feeds the analyzer
/// and the optional tee (the pcapng writer) in the same order, and publishes snapshots.
/// </summary>
internal sealed class CaptureRun : IAsyncDisposable
{
    private const string LogSource = "capture";
    private readonly IReadOnlyList<CapturePoint> _points;
    private readonly ICaptureSourceFactory _factory;
    private readonly IFrameSink? _tee;
    private readonly EventLog _log;
    private readonly TimeProvider _time;
    private readonly CaptureSessionOptions _options;
    private readonly Action<CaptureSnapshot> _publish;
    private readonly Channel<CapturedFrame> _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<CapturePoint, string> _errors = new();
    private readonly ConcurrentDictionary<CapturePoint, long> _droppedByUs = new();
    private readonly List<(CapturePoint Point, IPacketSource Source)> _sources = [];
    private readonly Lock _sourcesGate = new();
    private readonly TaskCompletionSource _allReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<CapturePoint, bool> _ready = new();
    private int _notReady;
    private Task? _loop;
    private Task? _producers;

    public CaptureRun(
        IReadOnlyList<CapturePoint> points,
        ICaptureSourceFactory factory,
        IFrameSink? tee,
        EventLog log,
        TimeProvider time,
        CaptureSessionOptions options,
        Action<CaptureSnapshot> publish)
    {
        _points = points;
        _factory = factory;
        _tee = tee;
        _log = log;
        _time = time;
        _options = options;
        _publish = publish;
        _channel = Channel.CreateBounded<CapturedFrame>(new BoundedChannelOptions(options.BufferedFrames)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // writers use TryWrite: a full buffer is a counted drop
        });
    }

    /// <summary>Completes when every point's source is capturing, or has failed or ended (proof captures send traffic only then).</summary>
    public Task AllReady => _allReady.Task;

    /// <summary>Completes when every source has ended and the last snapshot is published.</summary>
    public Task Completion => _loop ?? Task.CompletedTask;

    public void Start()
    {
        var analyzer = new CaptureAnalyzer(_options.AnalysisNow());
        foreach (var point in _points)
        {
            analyzer.DeclarePoint(point);
        }

        _notReady = _points.Distinct().Count();
        if (_notReady == 0)
        {
            _allReady.TrySetResult();
        }

        _producers = RunProducersAsync();
        _loop = Task.Factory.StartNew(() => MergeLoopAsync(analyzer), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.WaitAsync(_options.StopTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _log.Warn(LogSource, $"sources did not stop within {_options.StopTimeout.TotalSeconds:0} s; the capture is closed without them");
            _channel.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_producers is not null)
        {
            try
            {
                await _producers.WaitAsync(_options.StopTimeout, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Already said by StopAsync; a source that ignores cancellation must not make stopping throw at the UI.
                return;
            }
        }

        _stop.Dispose();
    }

    private async Task RunProducersAsync()
    {
        try
        {
            await Task.WhenAll(_points.Select(RunSourceAsync)).ConfigureAwait(false);
        }
        finally
        {
            _channel.Writer.TryComplete();
        }
    }

    private async Task RunSourceAsync(CapturePoint point)
    {
        await Task.Yield();
        var sink = new ChannelSink(_channel.Writer, point, _droppedByUs);
        IPacketSource? source = null;
        try
        {
            source = await _factory.OpenAsync(point, _stop.Token).ConfigureAwait(false);
            lock (_sourcesGate)
            {
                _sources.Add((point, source));
            }

            var running = source.RunAsync(sink, _stop.Token);
            if (await Task.WhenAny(source.Ready, running).ConfigureAwait(false) != running || running.IsCompletedSuccessfully)
            {
                _log.Info(LogSource, $"{point}: capturing ({source.Description})");
            }

            MarkReady(point);

            await running.ConfigureAwait(false);
            if (!_stop.IsCancellationRequested)
            {
                _log.Info(LogSource, $"{point}: source ended");
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping is not an error.
        }
        catch (CaptureSourceException e)
        {
            Fail(point, e.Message);
        }
#pragma warning disable CA1031 // A failing source must never take the capture (or the console) down: it is shown on its point.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Fail(point, $"{point}: {e.Message}");
        }
        finally
        {
            MarkReady(point);
            if (source is not null)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Counts a point as ready once (when capturing, or when it failed or ended first).</summary>
    private void MarkReady(CapturePoint point)
    {
        if (_ready.TryAdd(point, true) && Interlocked.Decrement(ref _notReady) == 0)
        {
            _allReady.TrySetResult();
        }
    }

    private void Fail(CapturePoint point, string message)
    {
        _errors[point] = message;
        _log.Error(LogSource, message);
    }

    private async Task MergeLoopAsync(CaptureAnalyzer analyzer)
    {
        var reorder = new ReorderBuffer(_options.ReorderWindow, _options.BufferedFrames);
        var pipeline = new Pipeline(analyzer, _tee);
        var reader = _channel.Reader;
        var lastPublish = _time.GetTimestamp();
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 10, Math.Min(_options.ReorderWindow.Ticks, _options.PublishInterval.Ticks) / 5));
        var completed = false;
        while (!completed)
        {
            while (reader.TryRead(out var frame))
            {
                reorder.Add(frame, _time.GetTimestamp());
            }

            reorder.Release(_time.GetTimestamp(), pipeline, _time.TimestampFrequency);
            if (_time.GetElapsedTime(lastPublish) >= _options.PublishInterval)
            {
                Publish(analyzer);
                lastPublish = _time.GetTimestamp();
            }

            // Poll instead of waiting for each frame: a reader parked in WaitToReadAsync is woken (a thread-pool
            // hand-off) for almost every frame of a busy point, and at 50k packets/s those wake-ups, not the
            // analysis, took most of a core (perf: context switches and sched_yield). Frames wait at most one
            // tick more, well inside the reorder window.
            completed = reader.Completion.IsCompleted;
            if (!completed)
            {
                await Task.Delay(tick, _time).ConfigureAwait(false);
            }
        }

        reorder.Flush(pipeline);
        Publish(analyzer);
    }

    private void Publish(CaptureAnalyzer analyzer)
    {
        foreach (var point in _points)
        {
            long kernel;
            lock (_sourcesGate)
            {
                kernel = _sources.Where(s => s.Point == point).Sum(s => s.Source.Stats.KernelDropped);
            }

            analyzer.ReportDrops(point, _droppedByUs.GetValueOrDefault(point), kernel);
            if (_errors.TryGetValue(point, out var error))
            {
                analyzer.ReportError(point, error);
            }
        }

        _publish(analyzer.Snapshot());
    }

    private sealed class ChannelSink(ChannelWriter<CapturedFrame> writer, CapturePoint point, ConcurrentDictionary<CapturePoint, long> dropped) : IFrameSink
    {
        public void Accept(in CapturedFrame frame)
        {
            if (!writer.TryWrite(frame))
            {
                dropped.AddOrUpdate(point, 1, static (_, n) => n + 1);
            }
        }
    }

    private sealed class Pipeline(CaptureAnalyzer analyzer, IFrameSink? tee) : IFrameSink
    {
        public void Accept(in CapturedFrame frame)
        {
            analyzer.Accept(frame);
            tee?.Accept(frame);
        }
    }
}
