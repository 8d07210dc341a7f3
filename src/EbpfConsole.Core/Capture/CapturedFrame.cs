namespace EbpfConsole.Core.Capture;

/// <summary>
/// One frame as a source delivered it: when (nanoseconds since the Unix epoch, UTC), where, its link
/// type and the captured bytes (owned by the frame; <paramref name="OriginalLength"/> is the length on
/// the wire, larger when the snap length cut it).
/// </summary>
public readonly record struct CapturedFrame(long TimestampNs, CapturePoint Point, LinkType LinkType, byte[] Data, int OriginalLength)
{
    public DateTimeOffset Timestamp => DateTimeOffset.UnixEpoch.AddTicks(TimestampNs / 100);

    public bool Truncated => Data.Length < OriginalLength;
}
