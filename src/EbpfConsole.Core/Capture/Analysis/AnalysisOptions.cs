namespace EbpfConsole.Core.Capture.Analysis;

/// <summary>
/// How <see cref="CaptureAnalyzer"/> works: the node addresses it knows, the NodePort to follow (null:
/// any SYN to 30000-32767, said in the assumptions), and its bounds.
/// </summary>
public sealed record AnalysisOptions(NodeDirectory Nodes, int? NodePort = null)
{
    /// <summary>Lowest port of Kubernetes' default NodePort range.</summary>
    public const int NodePortRangeStart = 30000;

    /// <summary>Highest port of Kubernetes' default NodePort range.</summary>
    public const int NodePortRangeEnd = 32767;

    /// <summary>Packets with the same client ISN further apart than this belong to different connections.</summary>
    public TimeSpan MatchWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A connection whose end was seen (FIN both ways, or RST) keeps only its view once idle this long;
    /// any other connection once idle for twice <see cref="MatchWindow"/>. Capture time, not wall time.
    /// </summary>
    public TimeSpan ClosedLinger { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Packets kept per connection for the packet list; 0 keeps none (CLI analyze).</summary>
    public int MaxPacketsPerConnection { get; init; } = 64;

    /// <summary>Connections kept; beyond, the oldest are forgotten and counted.</summary>
    public int MaxConnections { get; init; } = 200_000;
}
