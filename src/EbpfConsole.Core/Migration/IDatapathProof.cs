using EbpfConsole.Core.Capture;

namespace EbpfConsole.Core.Migration;

/// <summary>A short capture taken around a datapath change, pinned under <see cref="Name"/>.</summary>
/// <param name="Name">The pin's name, after the state: "before M6", "after M6 (ebpf-tunnel)".</param>
/// <param name="Verdict">What the capture saw.</param>
/// <param name="Connections">NodePort connections analysed.</param>
/// <param name="Summary">One line: verdict, what the pod saw, who replied.</param>
/// <param name="Error">Why no capture could be taken (no points, capture failed), else null.</param>
public sealed record ProofCapture(string Name, DatapathVerdict Verdict, int Connections, string Summary, string? Error = null);

/// <summary>
/// Proof by capture (issue 6): around each datapath-changing step the engine captures on the configured points
/// while traffic flows (on the lab the console sends it; on a cluster it waits for NodePort traffic) and pins
/// the result, so the Capture pane can compare before and after.
/// </summary>
public interface IDatapathProof
{
    /// <summary>False when no capture points are configured: the engine then skips proof (and says so).</summary>
    bool Available { get; }

    /// <summary>True when the proof sends its own NodePort traffic (the lab): a capture without connections then means it must look again.</summary>
    bool SendsTraffic => false;

    /// <summary>Captures for a short while, pins the snapshot under <paramref name="name"/> and returns its verdict. Never throws for capture failures (they are <see cref="ProofCapture.Error"/>).</summary>
    Task<ProofCapture> CaptureAsync(string name, CancellationToken cancellationToken);
}
