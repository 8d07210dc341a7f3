using EbpfConsole.Core.Capture.Analysis;

namespace EbpfConsole.Core.Capture.Live;

/// <summary>
/// How a live capture buffers and publishes: frames wait <see cref="ReorderWindow"/> so points merge in
/// time order; at most <see cref="BufferedFrames"/> wait between the sources and the analyzer (beyond
/// that, frames are dropped and counted per point); a snapshot is published every
/// <see cref="PublishInterval"/>.
/// </summary>
public sealed record CaptureSessionOptions(AnalysisOptions Analysis)
{
    public TimeSpan ReorderWindow { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan PublishInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    public int BufferedFrames { get; init; } = 100_000;

    /// <summary>
    /// The node addresses to analyse each capture with, read when it starts (the console on a cluster learns them from
    /// preflight, after the session was made); null keeps <see cref="AnalysisOptions.Nodes"/>.
    /// </summary>
    public Func<NodeDirectory>? NodesAtStart { get; init; }

    /// <summary>The analysis options for a capture starting now.</summary>
    public AnalysisOptions AnalysisNow() => NodesAtStart is { } nodes ? Analysis with { Nodes = nodes() } : Analysis;

    /// <summary>How long a stop waits for sources to end (and remote tcpdumps to be killed).</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
