namespace EbpfConsole.Core.Capture;

/// <summary>
/// What the capture pane can ask for: start and stop a live capture at some points, read the latest
/// analysis (cheap, pulled by the UI about ten times a second), and pin snapshots to compare.
/// Outcomes and failures go to the event log and to <see cref="PointStats.Error"/>; nothing throws at the UI.
/// </summary>
public interface ICaptureActions
{
    /// <summary>The points a capture uses when none are chosen (on the lab: node-1 and node-2 uplinks, the pod's cali interface).</summary>
    IReadOnlyList<CapturePoint> DefaultPoints { get; }

    /// <summary>True from start until every source of the capture has ended.</summary>
    bool IsRunning { get; }

    /// <summary>The running (or last) capture's analysis; the same instance until something changed.</summary>
    CaptureSnapshot Latest { get; }

    /// <summary>Pinned snapshots, in the order they were pinned.</summary>
    IReadOnlyList<CaptureSnapshot> Pinned { get; }

    /// <summary>Starts a new capture (stopping a running one first); an empty list means <see cref="DefaultPoints"/>.</summary>
    Task StartAsync(IReadOnlyList<CapturePoint> points, CancellationToken cancellationToken);

    /// <summary>Stops the running capture; its sources leave nothing running, here or on the nodes.</summary>
    Task StopAsync();

    /// <summary>Pins <see cref="Latest"/> under <paramref name="name"/>, replacing a pin of the same name.</summary>
    void Pin(string name);

    void Unpin(string name);
}
