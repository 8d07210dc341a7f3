using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Files;

/// <summary>The pcapng half of the reader: sections, interfaces and packet blocks.</summary>
public sealed partial class PcapReader
{
    internal const uint SectionHeaderBlock = 0x0A0D0D0A;
    internal const uint InterfaceDescriptionBlock = 1;
    internal const uint ObsoletePacketBlock = 2;
    internal const uint SimplePacketBlock = 3;
    internal const uint EnhancedPacketBlock = 6;
    internal const uint ByteOrderMagic = 0x1A2B3C4D;

    /// <summary>Blocks we use are held whole: at most a full packet plus generous room for options.</summary>
    private const int MaxUsedBlockLength = 1 << 20;

    /// <summary>Blocks we skip are streamed past, but a length beyond this is corruption, not data.</summary>
    private const uint MaxSkippedBlockLength = 64u << 20;

    private const ushort OptionIfName = 2;
    private const ushort OptionIfTsresol = 9;
    private const ushort OptionIfTsoffset = 14;

    private readonly List<Interface> _interfaces = [];
    private long _lastTimestampNs;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryReadBlock(out CapturedFrame frame)
    {
        frame = default;
        while (true)
        {
            if (!_window.Fill(8))
            {
                TruncatedAtEnd = _window.Available > 0;
                return false;
            }

            var offset = _window.Offset;
            var type = U32(_window.Span);
            if (type == SectionHeaderBlock)
            {
                if (!ReadSectionHeader())
                {
                    return false;
                }

                continue;
            }

            var length = U32(_window.Span[4..]);
            if (length < 12 || length > MaxSkippedBlockLength)
            {
                throw CorruptBlock(offset, length);
            }

            if (type is not (InterfaceDescriptionBlock or EnhancedPacketBlock or SimplePacketBlock or ObsoletePacketBlock))
            {
                if (!_window.Skip(length))
                {
                    TruncatedAtEnd = true;
                    return false;
                }

                continue;
            }

            if (length > MaxUsedBlockLength)
            {
                throw CorruptBlock(offset, length);
            }

            if (!_window.Fill((int)length))
            {
                TruncatedAtEnd = true;
                return false;
            }

            var block = _window.Span[..(int)length];
            var ok = U32(block[^4..]) == length;
            var delivered = ok && (type == InterfaceDescriptionBlock ? AddInterface(block[8..^4]) : TryMakeFrame(type, block[8..^4], out frame));
            _window.Consume((int)length);
            if (delivered && type != InterfaceDescriptionBlock)
            {
                return true;
            }

            if (!ok || !delivered)
            {
                Skipped++;
            }
        }
    }

    /// <summary>Reads a section header at the window's start: byte order, version; forgets the previous section's interfaces.</summary>
    private bool ReadSectionHeader()
    {
        var offset = _window.Offset;
        if (!_window.Fill(12))
        {
            if (offset == 0)
            {
                throw Error($"pcapng header cut short ({_window.Available} bytes)");
            }

            TruncatedAtEnd = true;
            return false;
        }

        var order = BinaryPrimitives.ReadUInt32LittleEndian(_window.Span[8..]);
        if (order != ByteOrderMagic && order != BinaryPrimitives.ReverseEndianness(ByteOrderMagic))
        {
            throw Error(offset == 0 ? "not a pcap or pcapng file (no pcapng byte-order magic)" : $"corrupt section header at byte {offset} (no byte-order magic)");
        }

        _bigEndian = order != ByteOrderMagic;
        var length = U32(_window.Span[4..]);
        if (length < 28 || length > MaxUsedBlockLength)
        {
            throw CorruptBlock(offset, length);
        }

        if (!_window.Fill((int)length))
        {
            if (offset == 0)
            {
                throw Error($"pcapng header cut short ({_window.Available} of {length} bytes)");
            }

            TruncatedAtEnd = true;
            return false;
        }

        var major = U16(_window.Span[12..]);
        var minor = U16(_window.Span[14..]);
        if (major != 1)
        {
            throw Error($"unsupported pcapng version {major}.{minor}");
        }

        _interfaces.Clear();
        _window.Consume((int)length);
        return true;
    }

    private bool AddInterface(ReadOnlySpan<byte> body)
    {
        if (body.Length < 8)
        {
            _interfaces.Add(new Interface(_interfaces.Count, (LinkType)(-1), 0, null, TimestampScale.Microseconds));
            return false;
        }

        var linkType = (LinkType)U16(body);
        var snapLength = U32(body[4..]);
        string? name = null;
        byte tsresol = 6;
        long tsoffset = 0;
        foreach (var (code, value) in new OptionReader(body[8..], _bigEndian))
        {
            switch (code)
            {
                case OptionIfName:
                    name = Encoding.UTF8.GetString(value).TrimEnd('\0');
                    break;
                case OptionIfTsresol when value.Length >= 1:
                    tsresol = value[0];
                    break;
                case OptionIfTsoffset when value.Length >= 8:
                    tsoffset = (long)U64(value);
                    break;
                default:
                    break;
            }
        }

        _interfaces.Add(new Interface(_interfaces.Count, linkType, snapLength, name, TimestampScale.FromResolution(tsresol, tsoffset)));
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryMakeFrame(uint type, ReadOnlySpan<byte> body, out CapturedFrame frame)
    {
        frame = default;
        int interfaceId, dataStart;
        uint capturedLength, originalLength;
        ulong units = 0;
        switch (type)
        {
            case EnhancedPacketBlock when body.Length >= 20:
                interfaceId = (int)Math.Min(U32(body), int.MaxValue);
                units = ((ulong)U32(body[4..]) << 32) | U32(body[8..]);
                capturedLength = U32(body[12..]);
                originalLength = U32(body[16..]);
                dataStart = 20;
                break;
            case ObsoletePacketBlock when body.Length >= 20:
                interfaceId = U16(body);
                units = ((ulong)U32(body[4..]) << 32) | U32(body[8..]);
                capturedLength = U32(body[12..]);
                originalLength = U32(body[16..]);
                dataStart = 20;
                break;
            case SimplePacketBlock when body.Length >= 4 && _interfaces.Count > 0:
                // No captured length and no timestamp: the block's room, cut to the snap length; the last time seen.
                interfaceId = 0;
                originalLength = U32(body);
                var snap = _interfaces[0].SnapLength;
                capturedLength = Math.Min(Math.Min(originalLength, (uint)(body.Length - 4)), snap == 0 ? uint.MaxValue : snap);
                dataStart = 4;
                break;
            default:
                return false;
        }

        if (interfaceId >= _interfaces.Count || capturedLength > (uint)(body.Length - dataStart) || capturedLength > MaxCaptureLength)
        {
            return false;
        }

        var face = _interfaces[interfaceId];
        var timestamp = type == SimplePacketBlock ? _lastTimestampNs : face.Scale.ToNanoseconds(units);
        _lastTimestampNs = timestamp;
        var data = body.Slice(dataStart, (int)capturedLength).ToArray();
        frame = new CapturedFrame(timestamp, PointOf(face), face.LinkType, data, (int)Math.Clamp(originalLength, capturedLength, int.MaxValue));
        return true;
    }

    private CapturePoint PointOf(Interface face)
    {
        if (face.Point is { } known)
        {
            return known;
        }

        CapturePoint point;
        if (CapturePoint.TryParse(face.Name, out var named, out _))
        {
            point = named;
        }
        else if (_interfaces.Count == 1)
        {
            point = _defaultPoint;
        }
        else
        {
            var iface = CapturePoint.IsInterfaceName(face.Name) ? face.Name! : "if" + face.Id;
            point = new CapturePoint(_defaultPoint.Node, iface);
        }

        var existing = _points.IndexOf(point);
        if (existing >= 0)
        {
            point = _points[existing];
        }
        else
        {
            _points.Add(point);
        }

        face.Point = point;
        return point;
    }

    private CaptureFormatException CorruptBlock(long offset, uint length) =>
        Error($"corrupt block at byte {offset} (length {length})");

    /// <summary>One interface of the current section; its point is fixed at its first packet.</summary>
    private sealed class Interface(int id, LinkType linkType, uint snapLength, string? name, TimestampScale scale)
    {
        public int Id { get; } = id;

        public LinkType LinkType { get; } = linkType;

        public uint SnapLength { get; } = snapLength;

        public string? Name { get; } = name;

        public TimestampScale Scale { get; } = scale;

        public CapturePoint? Point { get; set; }
    }
}
