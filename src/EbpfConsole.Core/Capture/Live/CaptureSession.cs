using EbpfConsole.Core.Events;

namespace EbpfConsole.Core.Capture.Live;

/// <summary>
/// The capture behind the console's Capture pane and the <c>capture</c> command: starts live sources at
/// the chosen points, keeps the latest analysis (<see cref="Latest"/>, cheap to read), and holds pinned
/// snapshots for comparison. One capture runs at a time; starting a new one stops the old one.
/// </summary>
public sealed class CaptureSession : ICaptureActions, IAsyncDisposable
{
    private const string LogSource = "capture";
    private readonly ICaptureSourceFactory _factory;
    private readonly EventLog _log;
    private readonly TimeProvider _time;
    private readonly CaptureSessionOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _pinGate = new();
    private List<CaptureSnapshot> _pinned = [];
    private CaptureRun? _run;
    private volatile CaptureSnapshot _latest = CaptureSnapshot.Empty;

    public CaptureSession(
        IReadOnlyList<CapturePoint> defaultPoints,
        ICaptureSourceFactory factory,
        EventLog log,
        TimeProvider time,
        CaptureSessionOptions options)
    {
        DefaultPoints = defaultPoints;
        _factory = factory;
        _log = log;
        _time = time;
        _options = options;
    }

    public IReadOnlyList<CapturePoint> DefaultPoints { get; }

    /// <summary>The points of the last capture started (none before the first): where proof captures look on a cluster.</summary>
    public IReadOnlyList<CapturePoint> LastPoints { get; private set; } = [];

    public bool IsRunning => _run is { Completion.IsCompleted: false };

    public CaptureSnapshot Latest => _latest;

    public IReadOnlyList<CaptureSnapshot> Pinned
    {
        get
        {
            lock (_pinGate)
            {
                return _pinned;
            }
        }
    }

    /// <summary>Completes when every point of the running capture is capturing (or failed); at once when none runs.</summary>
    public Task Ready => _run?.AllReady ?? Task.CompletedTask;

    /// <summary>Completes when the running capture has ended (all sources ended or it was stopped).</summary>
    public Task Completion => _run?.Completion ?? Task.CompletedTask;

    public Task StartAsync(IReadOnlyList<CapturePoint> points, CancellationToken cancellationToken) =>
        StartAsync(points, tee: null, cancellationToken);

    /// <summary>Starts a capture whose frames also go, in analysis order, to <paramref name="tee"/> (a file writer).</summary>
    public async Task StartAsync(IReadOnlyList<CapturePoint> points, IFrameSink? tee, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(points);
        var chosen = points.Count > 0 ? points.Distinct().ToArray() : DefaultPoints;
        if (chosen.Count == 0)
        {
            _log.Warn(LogSource, "no capture point given and none known");
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StopRunAsync().ConfigureAwait(false);
            LastPoints = chosen;
            _latest = CaptureSnapshot.Empty;
            _log.Info(LogSource, $"starting at {string.Join(", ", chosen)}");
            CaptureRun? run = null;
            run = new CaptureRun(chosen, _factory, tee, _log, _time, _options, snapshot =>
            {
                // A run that outlived its stop (a source ignoring cancellation) must not overwrite the next run's analysis.
                if (ReferenceEquals(Volatile.Read(ref _run), run))
                {
                    _latest = snapshot;
                }
            });
            Volatile.Write(ref _run, run);
            run.Start();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopRunAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Pin(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var pinned = Latest.Pin(name.Trim());
        lock (_pinGate)
        {
            var list = _pinned.Where(s => !string.Equals(s.Name, pinned.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            list.Add(pinned);
            _pinned = list;
        }

        _log.Info(LogSource, $"pinned '{pinned.Name}': {pinned.Classification.Verdict.ToName()}, {pinned.Connections.Count} connections, {pinned.Packets} packets");
    }

    public void Unpin(string name)
    {
        lock (_pinGate)
        {
            _pinned = _pinned.Where(s => !string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private async Task StopRunAsync()
    {
        if (_run is null)
        {
            return;
        }

        var wasRunning = IsRunning;
        await _run.DisposeAsync().ConfigureAwait(false);
        _run = null;
        if (wasRunning)
        {
            var last = _latest;
            _log.Info(LogSource, $"stopped: {last.Packets} packets, {last.Connections.Count} connections, verdict {last.Classification.Verdict.ToName()}");
        }
    }
}
