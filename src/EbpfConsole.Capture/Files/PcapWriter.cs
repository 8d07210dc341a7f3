using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Files;

/// <summary>
/// Writes classic pcap (little-endian, nanosecond magic) of one link type. Classic pcap has no place
/// for capture points or comments: use <see cref="PcapngWriter"/> for those.
/// </summary>
public sealed class PcapWriter : CaptureFileWriter
{
    private const uint NanosecondMagic = 0xA1B23C4D;

    private readonly LinkType _linkType;
    private readonly BlockBuffer _block = new();

    public PcapWriter(Stream stream, LinkType linkType, bool leaveOpen = false)
        : base(stream, leaveOpen)
    {
        _linkType = linkType;
        _block.U32(NanosecondMagic);
        _block.U16(2);
        _block.U16(4);
        _block.U32(0);
        _block.U32(0);
        _block.U32(PcapngWriter.SnapLength);
        _block.U32((uint)linkType);
        _block.WriteTo(Stream);
    }

    /// <exception cref="CaptureFormatException">The frame's link type is not the file's.</exception>
    public void Write(in CapturedFrame frame)
    {
        ThrowIfDisposed();
        if (frame.LinkType != _linkType)
        {
            throw new CaptureFormatException(
                $"classic pcap holds one link type; use pcapng (the file is {_linkType}, a frame from {frame.Point} is {frame.LinkType})");
        }

        var data = frame.Data ?? [];
        var seconds = Math.DivRem(frame.TimestampNs, 1_000_000_000L, out var nanoseconds);
        if (nanoseconds < 0)
        {
            seconds--;
            nanoseconds += 1_000_000_000L;
        }

        _block.Clear();
        _block.U32(unchecked((uint)seconds));
        _block.U32((uint)nanoseconds);
        _block.U32((uint)data.Length);
        _block.U32((uint)Math.Max(frame.OriginalLength, data.Length));
        _block.Bytes(data);
        _block.WriteTo(Stream);
        FramesWritten++;
    }
}
