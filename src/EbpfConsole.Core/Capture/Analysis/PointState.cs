namespace EbpfConsole.Core.Capture.Analysis;

/// <summary>Mutable counters of one capture point; a snapshot copies them into <see cref="PointStats"/>.</summary>
internal sealed class PointState(CapturePoint point)
{
    public CapturePoint Point { get; } = point;

    public long Packets { get; set; }

    public long Malformed { get; set; }

    public long DroppedByUs { get; set; }

    public long DroppedByKernel { get; set; }

    public string? Error { get; set; }

    public bool IsCali => Point.Interface.StartsWith("cali", StringComparison.Ordinal);

    public PointStats ToStats() => new(Point, Packets, Malformed, DroppedByUs, DroppedByKernel, Error);
}
