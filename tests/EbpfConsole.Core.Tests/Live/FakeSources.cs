using System.Collections.Concurrent;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Live;

namespace EbpfConsole.Core.Tests.Live;

/// <summary>A live source scripted by a test: frames to deliver, then a failure, an end, or waiting for cancellation.</summary>
internal sealed class FakeSource(CapturePoint point) : IPacketSource
{
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Description => $"{point} (fake)";

    public IReadOnlyList<CapturePoint> Points => [point];

    public SourceStats Stats { get; set; }

    public Task Ready => ReadyGate?.Task ?? Task.CompletedTask;

    /// <summary>When set, the source is not ready until the test completes it.</summary>
    public TaskCompletionSource? ReadyGate { get; init; }

    public IReadOnlyList<CapturedFrame> Frames { get; init; } = [];

    /// <summary>Thrown once the frames were delivered.</summary>
    public Exception? FailWith { get; init; }

    /// <summary>True: RunAsync ends after the frames; false: it waits for cancellation.</summary>
    public bool EndAfterFrames { get; init; }

    public Task Cancelled => _cancelled.Task;

    /// <summary>Completes once every frame was handed to the sink (dropped or not).</summary>
    public Task Delivered => _delivered.Task;

    public bool Disposed { get; private set; }

    public async Task RunAsync(IFrameSink sink, CancellationToken cancellationToken)
    {
        foreach (var frame in Frames)
        {
            sink.Accept(frame);
        }

        _delivered.TrySetResult();
        if (FailWith is not null)
        {
            throw FailWith;
        }

        if (EndAfterFrames)
        {
            return;
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        finally
        {
            _cancelled.TrySetResult();
        }
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}

/// <summary>Opens the source a test prepared for each point (a source that waits for cancellation when none was).</summary>
internal sealed class FakeFactory : ICaptureSourceFactory
{
    private readonly ConcurrentDictionary<CapturePoint, Func<FakeSource>> _scripts = new();

    public ConcurrentQueue<FakeSource> Opened { get; } = new();

    public void Script(CapturePoint point, Func<FakeSource> create) => _scripts[point] = create;

    public Task<IPacketSource> OpenAsync(CapturePoint point, CancellationToken cancellationToken)
    {
        var source = _scripts.TryGetValue(point, out var create) ? create() : new FakeSource(point);
        Opened.Enqueue(source);
        return Task.FromResult<IPacketSource>(source);
    }
}
