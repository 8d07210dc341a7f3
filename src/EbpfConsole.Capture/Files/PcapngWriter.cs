using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Files;

/// <summary>
/// Writes pcapng (little-endian): a section header (shb_userappl "ebpf-console", optional comment), one
/// interface block per distinct (point, link type) on first use, named after the point
/// (<c>node-1:eth0</c>, so Wireshark/tshark show frame.interface_name and <see cref="PcapReader"/> gives
/// the points back), nanosecond timestamps, and enhanced packet blocks with an optional comment.
/// </summary>
public sealed class PcapngWriter : CaptureFileWriter
{
    /// <summary>The snap length written in every interface block (libpcap's maximum).</summary>
    public const int SnapLength = 262144;

    /// <summary>What shb_userappl says.</summary>
    public const string Application = "ebpf-console";

    private const ushort OptionComment = 1;
    private const ushort OptionShbUserAppl = 4;
    private const ushort OptionIfName = 2;
    private const ushort OptionIfDescription = 3;
    private const ushort OptionIfTsresol = 9;
    private static readonly byte[] Nanoseconds = [9];

    private readonly BlockBuffer _block = new();
    private readonly Dictionary<(CapturePoint Point, LinkType LinkType), uint> _interfaces = [];

    public PcapngWriter(Stream stream, string? sectionComment = null, bool leaveOpen = false)
        : base(stream, leaveOpen)
    {
        var start = Begin(PcapReader.SectionHeaderBlock);
        _block.U32(PcapReader.ByteOrderMagic);
        _block.U16(1);
        _block.U16(0);
        _block.U64(ulong.MaxValue);
        if (sectionComment is not null)
        {
            _block.Option(OptionComment, sectionComment);
        }

        _block.Option(OptionShbUserAppl, Application);
        End(start, options: true);
    }

    /// <summary>The points of the interface blocks written so far.</summary>
    public IEnumerable<CapturePoint> Points => _interfaces.Keys.Select(k => k.Point).Distinct();

    /// <summary>Writes <paramref name="frame"/> (its interface block first when its point and link type are new).</summary>
    public void Write(in CapturedFrame frame, string? comment = null)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(frame.Point);
        var data = frame.Data ?? [];
        var id = InterfaceFor(frame.Point, frame.LinkType);
        var start = Begin(PcapReader.EnhancedPacketBlock);
        var units = unchecked((ulong)frame.TimestampNs);
        _block.U32(id);
        _block.U32((uint)(units >> 32));
        _block.U32((uint)units);
        _block.U32((uint)data.Length);
        _block.U32((uint)Math.Max(frame.OriginalLength, data.Length));
        _block.Bytes(data);
        _block.Pad();
        if (comment is not null)
        {
            _block.Option(OptionComment, comment);
        }

        End(start, options: comment is not null);
        FramesWritten++;
    }


    private uint InterfaceFor(CapturePoint point, LinkType linkType)
    {
        if (_interfaces.TryGetValue((point, linkType), out var id))
        {
            return id;
        }

        id = (uint)_interfaces.Count;
        var start = Begin(PcapReader.InterfaceDescriptionBlock);
        _block.U16((ushort)linkType);
        _block.U16(0);
        _block.U32(SnapLength);
        _block.Option(OptionIfName, point.Name);
        _block.Option(OptionIfDescription, $"ebpf-console capture point {point.Name} ({DescribeLinkType(linkType)})");
        _block.Option(OptionIfTsresol, Nanoseconds);
        End(start, options: true);
        _interfaces.Add((point, linkType), id);
        return id;
    }

    private static string DescribeLinkType(LinkType linkType) =>
        Enum.IsDefined(linkType) ? linkType.ToString() : "link type " + (int)linkType;

    private int Begin(uint type)
    {
        _block.Clear();
        _block.U32(type);
        _block.U32(0);
        return 0;
    }

    private void End(int start, bool options)
    {
        if (options)
        {
            _block.U32(0);
        }

        var length = (uint)(_block.Length - start + 4);
        _block.U32(length);
        _block.PatchU32(start + 4, length);
        _block.WriteTo(Stream);
    }
}
