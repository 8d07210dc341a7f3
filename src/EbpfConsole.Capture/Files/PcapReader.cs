using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Files;

/// <summary>
/// Streaming reader of classic pcap (µs and ns magic, both byte orders, the modified/Kuznetzov variant)
/// and pcapng (sections of either byte order; IDB with if_name, if_tsresol, if_tsoffset and snaplen;
/// EPB, SPB and the obsolete PB; every other block is skipped). Works on streams that cannot seek, such
/// as tcpdump's <c>-w -</c> output over SSH: it reads only what the next record needs and returns a frame
/// as soon as its record is complete.
/// </summary>
/// <remarks>
/// Written by hand rather than on SharpPcap's CaptureFileReaderDevice because libpcap drops the pcapng
/// interface id of each packet and refuses files whose interfaces have different link types, so our own
/// per-point pcapng exports could not be read back with their points; it also cannot write pcapng or
/// per-packet comments. A streaming reader over a reused buffer is also what the 1M packets/s analyze
/// target needs (libpcap via SharpPcap allocates per packet): the only allocation per frame is
/// <see cref="CapturedFrame.Data"/>, exactly the captured length.
/// <para>Points: classic pcap gives every frame the default point. In pcapng an interface whose if_name
/// parses as a point (<c>node-1:eth0</c>, what <see cref="PcapngWriter"/> writes) uses it; otherwise the
/// only interface of a section uses the default point, and one of several uses
/// <c>defaultNode:if_name</c> (or <c>defaultNode:ifN</c> when if_name is missing or not an interface
/// name). An interface's point is decided at its first packet.</para>
/// </remarks>
public sealed partial class PcapReader : IDisposable
{
    /// <summary>
    /// The largest captured length accepted: libpcap's maximum snap length (262144) plus 64 KiB of
    /// headroom for headers that tools add. A larger length is a corrupt record, never an allocation.
    /// </summary>
    public const int MaxCaptureLength = 262144 + 65536;

    private const uint PcapMicros = 0xA1B2C3D4;
    private const uint PcapNanos = 0xA1B23C4D;
    private const uint PcapModified = 0xA1B2CD34;
    private const int PcapHeaderLength = 24;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly string _sourceName;
    private readonly CapturePoint _defaultPoint;
    private readonly ByteWindow _window;
    private readonly List<CapturePoint> _points = [];
    private readonly bool _pcapng;
    private bool _bigEndian;
    private bool _finished;

    // Classic pcap only.
    private LinkType _pcapLinkType;
    private bool _pcapNanoseconds;
    private int _pcapRecordHeaderLength = 16;

    /// <summary>Opens the stream and validates its header.</summary>
    /// <param name="stream">The capture, positioned at its first byte; need not be seekable.</param>
    /// <param name="sourceName">Names the source in messages (a path, or "node-1:eth0 (tcpdump)").</param>
    /// <param name="defaultPoint">The point of frames whose file does not name one (see remarks).</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open on dispose.</param>
    /// <exception cref="CaptureFormatException">Empty, not a capture, unsupported version, cut header.</exception>
    public PcapReader(Stream stream, string sourceName, CapturePoint defaultPoint, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(defaultPoint);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _sourceName = sourceName;
        _defaultPoint = defaultPoint;
        _window = new ByteWindow(stream);

        try
        {
            ReadFileHeader(out _pcapng);
        }
        catch when (!leaveOpen)
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>True when the stream ended inside a record (a cut capture); the frames before it were read.</summary>
    public bool TruncatedAtEnd { get; private set; }

    /// <summary>Frames returned so far.</summary>
    public long FramesRead { get; private set; }

    /// <summary>Records that could not be used: a bad block, a captured length larger than its block, an unknown interface.</summary>
    public long Skipped { get; private set; }

    /// <summary>The distinct points of the frames returned so far, in order of first appearance.</summary>
    public IReadOnlyList<CapturePoint> Points => _points;

    /// <summary>Reads the next frame; false at the end of the stream (or of a cut last record: see <see cref="TruncatedAtEnd"/>).</summary>
    /// <exception cref="CaptureFormatException">A record length that cannot be right (names the byte offset).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryRead(out CapturedFrame frame)
    {
        if (!_finished)
        {
            if (_pcapng ? TryReadBlock(out frame) : TryReadPcapRecord(out frame))
            {
                FramesRead++;
                return true;
            }

            _finished = true;
        }

        frame = default;
        return false;
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private void ReadFileHeader(out bool pcapng)
    {
        if (!_window.Fill(4))
        {
            throw Error(_window.Available == 0 ? "empty file" : $"not a pcap or pcapng file (only {_window.Available} bytes)");
        }

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(_window.Span);
        pcapng = magic == SectionHeaderBlock;
        if (pcapng)
        {
            ReadSectionHeader();
        }
        else
        {
            ReadPcapHeader(magic);
        }
    }

    private void ReadPcapHeader(uint magic)
    {
        switch (magic)
        {
            case PcapMicros or PcapModified:
                break;
            case PcapNanos:
                _pcapNanoseconds = true;
                break;
            default:
                var swapped = BinaryPrimitives.ReverseEndianness(magic);
                if (swapped is not (PcapMicros or PcapNanos or PcapModified))
                {
                    throw Error("not a pcap or pcapng file");
                }

                _bigEndian = true;
                _pcapNanoseconds = swapped == PcapNanos;
                magic = swapped;
                break;
        }

        if (magic == PcapModified)
        {
            _pcapRecordHeaderLength = 24;
        }

        if (!_window.Fill(PcapHeaderLength))
        {
            throw Error($"pcap header cut short ({_window.Available} of {PcapHeaderLength} bytes)");
        }

        var header = _window.Span;
        var major = U16(header[4..]);
        var minor = U16(header[6..]);
        if (major != 2)
        {
            throw Error($"unsupported pcap version {major}.{minor}");
        }

        // The upper bits of the link-type field carry FCS information (pcap spec), not the type.
        _pcapLinkType = (LinkType)(U32(header[20..]) & 0xFFFF);
        _window.Consume(PcapHeaderLength);
        _points.Add(_defaultPoint);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryReadPcapRecord(out CapturedFrame frame)
    {
        frame = default;
        var headerLength = _pcapRecordHeaderLength;
        if (!_window.Fill(headerLength))
        {
            TruncatedAtEnd = _window.Available > 0;
            return false;
        }

        var header = _window.Span;
        var seconds = U32(header);
        var fraction = U32(header[4..]);
        var capturedLength = U32(header[8..]);
        var originalLength = U32(header[12..]);
        if (capturedLength > MaxCaptureLength)
        {
            throw CorruptRecord(_window.Offset, capturedLength);
        }

        var length = (int)capturedLength;
        if (!_window.Fill(headerLength + length))
        {
            TruncatedAtEnd = true;
            return false;
        }

        var data = _window.Span.Slice(headerLength, length).ToArray();
        _window.Consume(headerLength + length);
        var nanoseconds = (long)seconds * 1_000_000_000 + (_pcapNanoseconds ? fraction : fraction * 1000L);
        frame = new CapturedFrame(nanoseconds, _defaultPoint, _pcapLinkType, data, (int)Math.Clamp(originalLength, capturedLength, int.MaxValue));
        return true;
    }

    private ushort U16(ReadOnlySpan<byte> span) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span);

    private uint U32(ReadOnlySpan<byte> span) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);

    private ulong U64(ReadOnlySpan<byte> span) =>
        _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(span) : BinaryPrimitives.ReadUInt64LittleEndian(span);

    private CaptureFormatException Error(string problem) => new($"{_sourceName}: {problem}");

    private CaptureFormatException CorruptRecord(long offset, uint capturedLength) =>
        Error($"corrupt record at byte {offset} (caplen {capturedLength}, more than the {MaxCaptureLength} accepted)");
}
