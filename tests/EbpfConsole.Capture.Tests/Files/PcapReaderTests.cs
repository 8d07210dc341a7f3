using EbpfConsole.Capture.Files;
using EbpfConsole.Core.Capture;
using static EbpfConsole.Capture.Tests.Files.ReaderTestSupport;

namespace EbpfConsole.Capture.Tests.Files;

public sealed class PcapReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_MicrosecondPcapEitherByteOrder_ReturnsFramesWithNanosecondTimes(bool bigEndian)
    {
        var bytes = new CaptureBytes(bigEndian).PcapHeader(linkType: 1)
            .PcapRecord(1_700_000_000, 123_456, CaptureBytes.Frame(60))
            .PcapRecord(1_700_000_001, 999_999, CaptureBytes.Frame(40, 7), originalLength: 1514)
            .ToArray();

        using var reader = Open(bytes);
        var frames = ReadAll(reader);

        Assert.Equal(2, frames.Count);
        Assert.Equal(1_700_000_000_123_456_000, frames[0].TimestampNs);
        Assert.Equal(1_700_000_001_999_999_000, frames[1].TimestampNs);
        Assert.Equal(LinkType.Ethernet, frames[0].LinkType);
        Assert.Equal(CaptureBytes.Frame(40, 7), frames[1].Data);
        Assert.Equal(1514, frames[1].OriginalLength);
        Assert.True(frames[1].Truncated);
        Assert.All(frames, f => Assert.Same(DefaultPoint, f.Point));
        Assert.Equal([DefaultPoint], reader.Points);
        Assert.Equal(2, reader.FramesRead);
        Assert.False(reader.TruncatedAtEnd);
        Assert.Equal(0, reader.Skipped);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_NanosecondPcap_KeepsNanoseconds(bool bigEndian)
    {
        var bytes = new CaptureBytes(bigEndian).PcapHeader(magic: 0xA1B23C4D, linkType: 276)
            .PcapRecord(1_700_000_000, 123_456_789, CaptureBytes.Frame(80))
            .ToArray();

        var frame = Assert.Single(ReadAll(bytes));

        Assert.Equal(1_700_000_000_123_456_789, frame.TimestampNs);
        Assert.Equal(LinkType.LinuxSll2, frame.LinkType);
    }

    [Fact]
    public void TryRead_LinkTypeWithFcsBits_KeepsOnlyTheType()
    {
        var bytes = new CaptureBytes().PcapHeader(linkType: 0x1400_0000 | 113).PcapRecord(1, 0, CaptureBytes.Frame(20)).ToArray();

        Assert.Equal(LinkType.LinuxSll, Assert.Single(ReadAll(bytes)).LinkType);
    }

    [Fact]
    public void TryRead_UnknownLinkType_DeliversTheFrameAnyway()
    {
        var bytes = new CaptureBytes().PcapHeader(linkType: 147).PcapRecord(1, 0, CaptureBytes.Frame(20)).ToArray();

        Assert.Equal((LinkType)147, Assert.Single(ReadAll(bytes)).LinkType);
    }

    [Fact]
    public void TryRead_ModifiedPcapRecords_SkipsTheirExtraHeaderFields()
    {
        var bytes = new CaptureBytes().PcapHeader(magic: 0xA1B2CD34)
            .U32(5).U32(1).U32(20).U32(20).U32(0).U16(0x0800).U16(0).Raw(CaptureBytes.Frame(20, 3))
            .ToArray();

        var frame = Assert.Single(ReadAll(bytes));

        Assert.Equal(CaptureBytes.Frame(20, 3), frame.Data);
        Assert.Equal(5_000_001_000, frame.TimestampNs);
    }

    [Fact]
    public void Open_EmptyStream_SaysEmptyFile()
    {
        var error = Assert.Throws<CaptureFormatException>(() => Open([], "x.pcap"));

        Assert.Equal("x.pcap: empty file", error.Message);
    }

    [Fact]
    public void Open_TextFile_SaysNotACapture()
    {
        var error = Assert.Throws<CaptureFormatException>(() => Open("hello, this is text\n"u8.ToArray(), "x.txt"));

        Assert.Equal("x.txt: not a pcap or pcapng file", error.Message);
    }

    [Fact]
    public void Open_TenBytesOfAPcapHeader_SaysTheHeaderIsCut()
    {
        var bytes = new CaptureBytes().PcapHeader().ToArray()[..10];

        var error = Assert.Throws<CaptureFormatException>(() => Open(bytes, "x.pcap"));

        Assert.Equal("x.pcap: pcap header cut short (10 of 24 bytes)", error.Message);
    }

    [Fact]
    public void Open_TenRandomBytes_SaysNotACapture()
    {
        var error = Assert.Throws<CaptureFormatException>(() => Open([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "x.pcap"));

        Assert.Equal("x.pcap: not a pcap or pcapng file", error.Message);
    }

    [Fact]
    public void Open_ThreeBytes_SaysNotACaptureWithTheSize()
    {
        var error = Assert.Throws<CaptureFormatException>(() => Open([0xD4, 0xC3, 0xB2], "x.pcap"));

        Assert.Equal("x.pcap: not a pcap or pcapng file (only 3 bytes)", error.Message);
    }

    [Fact]
    public void Open_PcapVersion3_SaysUnsupportedVersion()
    {
        var bytes = new CaptureBytes().PcapHeader(major: 3, minor: 0).ToArray();

        var error = Assert.Throws<CaptureFormatException>(() => Open(bytes, "x.pcapng"));

        Assert.Equal("x.pcapng: unsupported pcap version 3.0", error.Message);
    }

    [Fact]
    public void TryRead_LastRecordCut_ReturnsEarlierFramesAndReportsTruncation()
    {
        var whole = new CaptureBytes().PcapHeader().PcapRecord(1, 0, CaptureBytes.Frame(60)).PcapRecord(2, 0, CaptureBytes.Frame(60)).ToArray();

        using var reader = Open(whole[..^10]);
        var frames = ReadAll(reader);

        Assert.Single(frames);
        Assert.True(reader.TruncatedAtEnd);
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void TryRead_CutInsideARecordHeader_ReportsTruncation()
    {
        var whole = new CaptureBytes().PcapHeader().PcapRecord(1, 0, CaptureBytes.Frame(60)).U32(2).U32(0).ToArray();

        using var reader = Open(whole);

        Assert.Single(ReadAll(reader));
        Assert.True(reader.TruncatedAtEnd);
    }

    [Fact]
    public void TryRead_HeaderOnly_ReturnsNoFramesAndNoTruncation()
    {
        using var reader = Open(new CaptureBytes().PcapHeader().ToArray());

        Assert.Empty(ReadAll(reader));
        Assert.False(reader.TruncatedAtEnd);
        Assert.Equal([DefaultPoint], reader.Points);
    }

    [Fact]
    public void TryRead_AbsurdCapturedLength_FailsNamingTheOffsetWithoutAllocating()
    {
        var bytes = new CaptureBytes().PcapHeader().PcapRecord(1, 0, CaptureBytes.Frame(60))
            .U32(2).U32(0).U32(uint.MaxValue).U32(60).Raw(CaptureBytes.Frame(60)).ToArray();
        using var reader = Open(bytes);
        Assert.True(reader.TryRead(out _));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<CaptureFormatException>(() => reader.TryRead(out _));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal($"x.pcap: corrupt record at byte 100 (caplen 4294967295, more than the {PcapReader.MaxCaptureLength} accepted)", error.Message);
        Assert.True(allocated < 100_000, $"allocated {allocated} bytes for a corrupt record");
    }

    [Fact]
    public void TryRead_CapturedLengthJustOverTheLimit_IsCorrupt()
    {
        var bytes = new CaptureBytes().PcapHeader().U32(1).U32(0).U32(PcapReader.MaxCaptureLength + 1).U32(60).ToArray();
        using var reader = Open(bytes);

        var error = Assert.Throws<CaptureFormatException>(() => reader.TryRead(out _));

        Assert.Contains("corrupt record at byte 24", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_FrameOfTheLargestAcceptedLength_IsRead()
    {
        var bytes = new CaptureBytes().PcapHeader().PcapRecord(1, 0, new byte[PcapReader.MaxCaptureLength]).ToArray();

        Assert.Equal(PcapReader.MaxCaptureLength, Assert.Single(ReadAll(bytes)).Data.Length);
    }

    [Fact]
    public void Open_NotACapture_ClosesTheStreamUnlessLeftOpen()
    {
        var owned = new MemoryStream("text"u8.ToArray());
        var borrowed = new MemoryStream("text"u8.ToArray());

        Assert.Throws<CaptureFormatException>(() => new PcapReader(owned, "x", DefaultPoint));
        Assert.Throws<CaptureFormatException>(() => new PcapReader(borrowed, "x", DefaultPoint, leaveOpen: true));

        Assert.False(owned.CanRead);
        Assert.True(borrowed.CanRead);
    }

    [Fact]
    public void Dispose_LeaveOpen_KeepsTheStreamOpen()
    {
        var stream = new MemoryStream(new CaptureBytes().PcapHeader().ToArray());

        new PcapReader(stream, "x", DefaultPoint, leaveOpen: true).Dispose();

        Assert.True(stream.CanRead);
        new PcapReader(new MemoryStream(stream.ToArray()), "x", DefaultPoint).Dispose();
        using var owned = new MemoryStream(stream.ToArray());
        new PcapReader(owned, "x", DefaultPoint).Dispose();
        Assert.False(owned.CanRead);
    }
}
