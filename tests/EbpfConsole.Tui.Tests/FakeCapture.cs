using EbpfConsole.Core.Capture;

namespace EbpfConsole.Tui.Tests;

/// <summary>A capture engine that records what the pane asked of it and serves snapshots the test sets.</summary>
internal sealed class FakeCapture : ICaptureActions
{
    private readonly List<CaptureSnapshot> _pinned = [];
    private CaptureSnapshot _latest;

    public FakeCapture(CaptureSnapshot? latest = null) => _latest = latest ?? CaptureSnapshot.Empty;

    /// <summary>When set, every read of <see cref="Latest"/> asks it for the snapshot (a new one per tick, say).</summary>
    public Func<CaptureSnapshot>? Producer { get; set; }

    public int LatestReads;

    public IReadOnlyList<CapturePoint> DefaultPoints { get; set; } = CaptureSamples.LabPoints;

    public bool IsRunning { get; set; }

    public CaptureSnapshot Latest
    {
        get
        {
            Interlocked.Increment(ref LatestReads);
            return Producer?.Invoke() ?? _latest;
        }
        set => _latest = value;
    }

    public IReadOnlyList<CaptureSnapshot> Pinned
    {
        get
        {
            lock (_pinned)
            {
                return [.. _pinned];
            }
        }
    }

    public List<IReadOnlyList<CapturePoint>> StartCalls { get; } = [];

    public int StopCalls;

    public Task StartAsync(IReadOnlyList<CapturePoint> points, CancellationToken cancellationToken)
    {
        lock (StartCalls)
        {
            StartCalls.Add(points);
        }

        IsRunning = true;
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        Interlocked.Increment(ref StopCalls);
        IsRunning = false;
        return Task.CompletedTask;
    }

    public void Pin(string name)
    {
        lock (_pinned)
        {
            _pinned.RemoveAll(p => p.Name == name);
            _pinned.Add(_latest.Pin(name));
        }
    }

    public void Unpin(string name)
    {
        lock (_pinned)
        {
            _pinned.RemoveAll(p => p.Name == name);
        }
    }

    /// <summary>Pins <paramref name="snapshot"/> under <paramref name="name"/> directly (test setup).</summary>
    public void AddPin(string name, CaptureSnapshot snapshot)
    {
        lock (_pinned)
        {
            _pinned.Add(snapshot.Pin(name));
        }
    }
}
