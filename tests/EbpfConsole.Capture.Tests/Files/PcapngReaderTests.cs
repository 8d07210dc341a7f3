using EbpfConsole.Capture.Files;
using EbpfConsole.Core.Capture;
using static EbpfConsole.Capture.Tests.Files.ReaderTestSupport;

namespace EbpfConsole.Capture.Tests.Files;

public sealed class PcapngReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_PcapngEitherByteOrder_ReadsEnhancedPackets(bool bigEndian)
    {
        var bytes = new CaptureBytes(bigEndian).Shb().Idb(1, name: "eth0")
            .Epb(0, 1_700_000_000_123_456, CaptureBytes.Frame(61), originalLength: 100)
            .ToArray();

        using var reader = Open(bytes);
        var frame = Assert.Single(ReadAll(reader));

        Assert.Equal(1_700_000_000_123_456_000, frame.TimestampNs);
        Assert.Equal(CaptureBytes.Frame(61), frame.Data);
        Assert.Equal(100, frame.OriginalLength);
        Assert.Equal(LinkType.Ethernet, frame.LinkType);
        Assert.Same(DefaultPoint, frame.Point);
    }

    [Fact]
    public void TryRead_InterfaceNamedAsAPoint_UsesThatPoint()
    {
        var bytes = new CaptureBytes().Shb().Idb(1, name: "node-1:eth0").Epb(0, 1, CaptureBytes.Frame(20)).ToArray();

        using var reader = Open(bytes);

        Assert.Equal(new CapturePoint("node-1", "eth0"), Assert.Single(ReadAll(reader)).Point);
        Assert.Equal([new CapturePoint("node-1", "eth0")], reader.Points);
    }

    [Fact]
    public void TryRead_SeveralInterfacesWithDifferentLinkTypes_TagsEachWithItsPointAndType()
    {
        var bytes = new CaptureBytes().Shb()
            .Idb(1, name: "eth0").Idb(276, name: "any").Idb(101, name: @"\Device\NPF_{1}").Idb(1, name: "node-2:cali1")
            .Epb(0, 1, CaptureBytes.Frame(20)).Epb(1, 2, CaptureBytes.Frame(21)).Epb(2, 3, CaptureBytes.Frame(22)).Epb(3, 4, CaptureBytes.Frame(23))
            .Epb(0, 5, CaptureBytes.Frame(24))
            .ToArray();

        using var reader = Open(bytes);
        var frames = ReadAll(reader);

        Assert.Equal(["trace:eth0", "trace:any", "trace:if2", "node-2:cali1", "trace:eth0"], frames.Select(f => f.Point.Name));
        Assert.Equal([LinkType.Ethernet, LinkType.LinuxSll2, LinkType.Raw, LinkType.Ethernet, LinkType.Ethernet], frames.Select(f => f.LinkType));
        Assert.Equal(["trace:eth0", "trace:any", "trace:if2", "node-2:cali1"], reader.Points.Select(p => p.Name));
        Assert.Same(frames[0].Point, frames[4].Point);
    }

    [Fact]
    public void TryRead_SeveralSectionsOfBothByteOrders_RestartsInterfaceIdsPerSection()
    {
        var first = new CaptureBytes().Shb().Idb(1, name: "node-1:eth0").Epb(0, 1_000_000, CaptureBytes.Frame(20, 1));
        var second = new CaptureBytes(bigEndian: true).Shb().Idb(276, name: "node-2:any", tsresol: 9).Epb(0, 2_000_000_000, CaptureBytes.Frame(20, 2));
        var bytes = first.ToArray().Concat(second.ToArray()).ToArray();

        var frames = ReadAll(bytes);

        Assert.Equal(["node-1:eth0", "node-2:any"], frames.Select(f => f.Point.Name));
        Assert.Equal([1_000_000_000L, 2_000_000_000L], frames.Select(f => f.TimestampNs));
        Assert.Equal(LinkType.LinuxSll2, frames[1].LinkType);
        Assert.Equal(CaptureBytes.Frame(20, 2), frames[1].Data);
    }

    [Theory]
    [InlineData(null, 1_234_567UL, 1_234_567_000L)]
    [InlineData((byte)6, 1_234_567UL, 1_234_567_000L)]
    [InlineData((byte)9, 1_234_567UL, 1_234_567L)]
    [InlineData((byte)3, 1_234UL, 1_234_000_000L)]
    [InlineData((byte)12, 1_234_567UL, 1_234L)]
    [InlineData((byte)(0x80 | 10), 3UL * 1024 + 512, 3_500_000_000L)]
    [InlineData((byte)(0x80 | 30), (5UL << 30) + (1UL << 28), 5_250_000_000L)]
    [InlineData((byte)0x80, 7UL, 7_000_000_000L)]
    public void TryRead_InterfaceTimestampResolution_ConvertsToNanoseconds(byte? tsresol, ulong units, long expectedNs)
    {
        var bytes = new CaptureBytes().Shb().Idb(1, tsresol: tsresol).Epb(0, units, CaptureBytes.Frame(20)).ToArray();

        Assert.Equal(expectedNs, Assert.Single(ReadAll(bytes)).TimestampNs);
    }

    [Fact]
    public void TryRead_InterfaceTimestampOffset_AddsSeconds()
    {
        var bytes = new CaptureBytes().Shb().Idb(1, tsresol: 9, tsoffset: 1_700_000_000).Epb(0, 42, CaptureBytes.Frame(20)).ToArray();

        Assert.Equal(1_700_000_000_000_000_042, Assert.Single(ReadAll(bytes)).TimestampNs);
    }

    [Fact]
    public void TryRead_SimplePacketBlock_UsesInterfaceZeroSnapLengthAndTheLastTime()
    {
        var bytes = new CaptureBytes().Shb().Idb(1, snapLength: 30)
            .Epb(0, 5_000_000, CaptureBytes.Frame(20))
            .Spb(100, CaptureBytes.Frame(40, 9))
            .ToArray();

        var frames = ReadAll(bytes);

        Assert.Equal(2, frames.Count);
        Assert.Equal(CaptureBytes.Frame(30, 9), frames[1].Data);
        Assert.Equal(100, frames[1].OriginalLength);
        Assert.Equal(5_000_000_000, frames[1].TimestampNs);
    }

    [Fact]
    public void TryRead_ObsoletePacketBlock_IsRead()
    {
        var bytes = new CaptureBytes().Shb().Idb(1, name: "a").Idb(113, name: "b").ObsoletePb(1, 3_000_000, CaptureBytes.Frame(33)).ToArray();

        var frame = Assert.Single(ReadAll(bytes));

        Assert.Equal("trace:b", frame.Point.Name);
        Assert.Equal(LinkType.LinuxSll, frame.LinkType);
        Assert.Equal(3_000_000_000, frame.TimestampNs);
    }

    [Fact]
    public void TryRead_StatisticsNameResolutionSecretsCustomAndUnknownBlocks_AreSkipped()
    {
        var bytes = new CaptureBytes().Shb().Idb(1)
            .Block(4, b => b.U16(1).U16(8).Raw([10, 0, 0, 1, (byte)'a', 0, 0, 0]).U32(0))
            .Epb(0, 1, CaptureBytes.Frame(20))
            .Block(5, b => b.U32(0).U32(0).U32(0))
            .Block(0x0A, b => b.U32(0x544c534b).U32(4).U32(0))
            .Block(0x40000BAD, b => b.U32(32473).U32(1))
            .Block(0x12345678, _ => { })
            .Epb(0, 2, CaptureBytes.Frame(21))
            .ToArray();

        using var reader = Open(bytes);

        Assert.Equal(2, ReadAll(reader).Count);
        Assert.Equal(0, reader.Skipped);
        Assert.False(reader.TruncatedAtEnd);
    }

    [Fact]
    public void TryRead_CapturedLengthLargerThanItsBlock_SkipsThatPacketOnly()
    {
        var bytes = new CaptureBytes().Shb().Idb(1)
            .Epb(0, 1, CaptureBytes.Frame(20), capturedLength: 5000)
            .Epb(0, 2, CaptureBytes.Frame(21))
            .ToArray();

        using var reader = Open(bytes);

        Assert.Equal(21, Assert.Single(ReadAll(reader)).Data.Length);
        Assert.Equal(1, reader.Skipped);
    }

    [Fact]
    public void TryRead_PacketOfAnUndeclaredInterface_IsSkipped()
    {
        var bytes = new CaptureBytes().Shb().Idb(1).Epb(3, 1, CaptureBytes.Frame(20)).Epb(0, 2, CaptureBytes.Frame(21)).ToArray();

        using var reader = Open(bytes);

        Assert.Single(ReadAll(reader));
        Assert.Equal(1, reader.Skipped);
    }

    [Fact]
    public void TryRead_TrailingLengthMismatch_SkipsTheBlock()
    {
        var good = new CaptureBytes().Shb().Idb(1).ToArray();
        var bad = new CaptureBytes().Epb(0, 1, CaptureBytes.Frame(20)).ToArray();
        bad[^1] ^= 0x10;
        var bytes = good.Concat(bad).Concat(new CaptureBytes().Epb(0, 2, CaptureBytes.Frame(21)).ToArray()).ToArray();

        using var reader = Open(bytes);

        Assert.Equal(21, Assert.Single(ReadAll(reader)).Data.Length);
        Assert.Equal(1, reader.Skipped);
    }

    [Theory]
    [InlineData(4u)]
    [InlineData(0xFFFFFFF0u)]
    public void TryRead_CorruptBlockLength_FailsNamingTheOffset(uint length)
    {
        var header = new CaptureBytes().Shb().Idb(1);
        var offset = header.Length;
        var bytes = header.BlockHeader(6, length).U32(0).U32(0).ToArray();
        using var reader = Open(bytes, "x.pcapng");

        var error = Assert.Throws<CaptureFormatException>(() => reader.TryRead(out _));

        Assert.Equal($"x.pcapng: corrupt block at byte {offset} (length {length})", error.Message);
    }

    [Fact]
    public void TryRead_CutLastBlock_ReturnsEarlierFramesAndReportsTruncation()
    {
        var bytes = new CaptureBytes().Shb().Idb(1).Epb(0, 1, CaptureBytes.Frame(20)).Epb(0, 2, CaptureBytes.Frame(64)).ToArray();

        using var reader = Open(bytes[..^20]);

        Assert.Single(ReadAll(reader));
        Assert.True(reader.TruncatedAtEnd);
    }

    [Fact]
    public void TryRead_CutSkippedBlock_ReportsTruncation()
    {
        var bytes = new CaptureBytes().Shb().Idb(1).Epb(0, 1, CaptureBytes.Frame(20)).Block(5, b => b.Raw(new byte[64])).ToArray();

        using var reader = Open(bytes[..^8]);

        Assert.Single(ReadAll(reader));
        Assert.True(reader.TruncatedAtEnd);
    }

    [Fact]
    public void Open_PcapngVersion2_SaysUnsupportedVersion()
    {
        var bytes = new CaptureBytes().Shb(major: 2).ToArray();

        var error = Assert.Throws<CaptureFormatException>(() => Open(bytes, "x.pcapng"));

        Assert.Equal("x.pcapng: unsupported pcapng version 2.0", error.Message);
    }

    [Fact]
    public void Open_SectionMagicWithoutByteOrderMagic_SaysNotACapture()
    {
        var bytes = new CaptureBytes().U32(0x0A0D0D0A).U32(28).U32(0xDEADBEEF).Raw(new byte[16]).ToArray();

        var error = Assert.Throws<CaptureFormatException>(() => Open(bytes, "x.pcapng"));

        Assert.Equal("x.pcapng: not a pcap or pcapng file (no pcapng byte-order magic)", error.Message);
    }

    [Fact]
    public void Open_CutSectionHeader_SaysTheHeaderIsCut()
    {
        var bytes = new CaptureBytes().Shb().ToArray()[..20];

        var error = Assert.Throws<CaptureFormatException>(() => Open(bytes, "x.pcapng"));

        Assert.Equal("x.pcapng: pcapng header cut short (20 of 28 bytes)", error.Message);
    }

    [Fact]
    public void TryRead_InterfaceWithoutPackets_AddsNoPoint()
    {
        using var reader = Open(new CaptureBytes().Shb().Idb(1, name: "node-1:eth0").ToArray());

        Assert.Empty(ReadAll(reader));
        Assert.Empty(reader.Points);
    }
}
