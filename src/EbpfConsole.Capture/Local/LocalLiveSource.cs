using EbpfConsole.Core.Capture;
using SharpPcap;
using SharpPcap.LibPcap;

namespace EbpfConsole.Capture.Local;

/// <summary>
/// Live capture on an interface of this machine with libpcap (SharpPcap), for an engineer logged into a node:
/// immediate mode, a BPF filter, a snap length. Each packet is copied into a <see cref="CapturedFrame"/> of
/// <see cref="Point"/> and handed to the sink on libpcap's capture thread; the kernel's drops are read from pcap
/// statistics while it runs. Cancelling stops the capture and closes the device.
/// </summary>
public sealed class LocalLiveSource : IPacketSource
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _filter;
    private readonly int _snapLength;
    private readonly TimeSpan _statsInterval;
    private long _kernelDropped;
    private long _frames;
    private int _started;

    /// <param name="point">The point frames are tagged with; its interface is the local device ("local:lo").</param>
    /// <param name="filter">A BPF filter, or null for everything.</param>
    /// <param name="snapLength">Bytes kept per packet.</param>
    /// <param name="statsInterval">How often kernel drops are read (default 1 s).</param>
    public LocalLiveSource(CapturePoint point, string? filter = null, int snapLength = Remote.TcpdumpCommand.DefaultSnapLength, TimeSpan? statsInterval = null)
    {
        ArgumentNullException.ThrowIfNull(point);
        Point = point;
        _filter = string.IsNullOrWhiteSpace(filter) ? null : filter.Trim();
        _snapLength = snapLength;
        _statsInterval = statsInterval ?? TimeSpan.FromSeconds(1);
    }

    public CapturePoint Point { get; }

    public string Description => $"{Point} (local libpcap)";

    public IReadOnlyList<CapturePoint> Points => [Point];

    public SourceStats Stats => new(Interlocked.Read(ref _kernelDropped), 0);

    /// <summary>Frames handed to the sink so far.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>True once the device is open and capturing (for callers that wait before generating traffic).</summary>
    public bool Capturing { get; private set; }

    /// <summary>Completes when <see cref="Capturing"/> first becomes true.</summary>
    public Task Ready => _ready.Task;

    public async Task RunAsync(IFrameSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"{Description} runs only once");
        }

        Validate();
        cancellationToken.ThrowIfCancellationRequested();
        using var device = LocalDevices.Open(Point.Interface, _snapLength);
        var stopped = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            if (_filter is not null)
            {
                device.Filter = _filter;
            }

            var linkType = (LinkType)(int)device.LinkType;
            device.OnPacketArrival += (_, e) => Deliver(sink, linkType, e);
            device.OnCaptureStopped += (_, status) =>
                stopped.TrySetResult(status == CaptureStoppedEventStatus.ErrorWhileCapturing ? device.LastError : null);
            device.StartCapture();
            Capturing = true;
            _ready.TrySetResult();
            await WaitAsync(device, stopped.Task, cancellationToken).ConfigureAwait(false);
        }
        catch (PcapException ex)
        {
            throw new CaptureSourceException($"{Point}: {LocalDevices.OneLine(ex.Message)}", ex);
        }
        finally
        {
            Capturing = false;
            ReadStats(device);
            device.StopCapture();
            device.Close();
        }

        if (stopped.Task.IsCompleted && await stopped.Task.ConfigureAwait(false) is { } error)
        {
            throw new CaptureSourceException($"{Point}: capture failed ({LocalDevices.OneLine(error)})");
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Validate()
    {
        if (!CapturePoint.IsInterfaceName(Point.Interface))
        {
            throw new CaptureSourceException($"{Point}: '{Point.Interface}' is not a Linux interface name");
        }

        if (_snapLength is < 1 or > Remote.TcpdumpCommand.MaxSnapLength)
        {
            throw new CaptureSourceException($"{Point}: snap length {_snapLength} is outside 1..{Remote.TcpdumpCommand.MaxSnapLength}");
        }

        if (Remote.TcpdumpCommand.FilterProblem(_filter) is { } bad)
        {
            throw new CaptureSourceException(bad);
        }

        if (LibPcapFilter.Problem(_filter, out var missing) is { } problem)
        {
            throw new CaptureSourceException(problem);
        }

        if (missing)
        {
            throw new CaptureSourceException(LocalDevices.LibpcapMissing);
        }
    }

    private async Task WaitAsync(LibPcapLiveDevice device, Task<string?> stopped, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_statsInterval);
        var tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
        while (!cancellationToken.IsCancellationRequested && !stopped.IsCompleted)
        {
            var done = await Task.WhenAny(tick, stopped).ConfigureAwait(false);
            if (done != tick)
            {
                return;
            }

            if (tick.IsCanceled || !await tick.ConfigureAwait(false))
            {
                return;
            }

            ReadStats(device);
            tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
        }
    }

    private void Deliver(IFrameSink sink, LinkType linkType, PacketCapture e)
    {
        var data = e.Data.ToArray();
        var original = e.Header is PcapHeader header ? (int)header.PacketLength : data.Length;
        var timestampNs = (long)(e.Header.Timeval.Value * 1_000_000_000m);
        var frame = new CapturedFrame(timestampNs, Point, linkType, data, Math.Max(original, data.Length));
        Interlocked.Increment(ref _frames);
        sink.Accept(in frame);
    }

    private void ReadStats(LibPcapLiveDevice device)
    {
        if (!device.Opened)
        {
            return;
        }

        try
        {
            if (device.Statistics is { } stats)
            {
                Interlocked.Exchange(ref _kernelDropped, stats.DroppedPackets);
            }
        }
        catch (PcapException)
        {
            // Statistics are best effort: a device that went away has none; the capture's own end reports the cause.
        }
    }
}
