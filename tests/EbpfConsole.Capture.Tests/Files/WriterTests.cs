using System.Buffers.Binary;
using System.Text;
using EbpfConsole.Capture.Files;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Tests.Files;

public sealed class WriterTests
{
    private static readonly CapturePoint Node1 = new("node-1", "eth0");
    private static readonly CapturePoint Node2 = new("node-2", "any");
    private static readonly CapturePoint Cali = new("node-2", "calic440f455693");

    [Fact]
    public void PcapngWriter_RoundTrip_KeepsPointsLinkTypesTimesAndBytes()
    {
        CapturedFrame[] frames =
        [
            new(1_700_000_000_123_456_789, Node1, LinkType.Ethernet, CaptureBytes.Frame(60, 1), 60),
            new(1_700_000_000_223_456_789, Node2, LinkType.LinuxSll2, CaptureBytes.Frame(63, 2), 1500),
            new(1_700_000_000_323_456_789, Cali, LinkType.Ethernet, CaptureBytes.Frame(1, 3), 1),
            new(1_700_000_000_423_456_789, Node1, LinkType.Ethernet, CaptureBytes.Frame(0), 0),
            new(1_700_000_000_523_456_789, Node1, LinkType.Raw, CaptureBytes.Frame(40, 5), 40),
        ];
        using var output = new MemoryStream();
        using (var writer = new PcapngWriter(output, "section note", leaveOpen: true))
        {
            foreach (var frame in frames)
            {
                writer.Write(frame, frame.Point == Cali ? "connection 1: pod saw 10.99.0.100" : null);
            }

            Assert.Equal(5, writer.FramesWritten);
        }

        using var reader = new PcapReader(new MemoryStream(output.ToArray()), "out.pcapng", new CapturePoint("x", "y"));
        var read = ReaderTestSupport.ReadAll(reader);

        Assert.Equal(frames.Select(f => (f.TimestampNs, f.Point, f.LinkType, f.OriginalLength)), read.Select(f => (f.TimestampNs, f.Point, f.LinkType, f.OriginalLength)));
        Assert.Equal(frames.Select(f => f.Data), read.Select(f => f.Data));
        Assert.Equal([Node1, Node2, Cali], reader.Points);
        Assert.Equal(0, reader.Skipped);
    }

    [Fact]
    public void PcapngWriter_Output_HasOneInterfacePerPointAndLinkTypeAndTheComments()
    {
        using var output = new MemoryStream();
        using (var writer = new PcapngWriter(output, "section note", leaveOpen: true))
        {
            writer.Write(new CapturedFrame(1, Node1, LinkType.Ethernet, CaptureBytes.Frame(14), 14), "first");
            writer.Write(new CapturedFrame(2, Node1, LinkType.Ethernet, CaptureBytes.Frame(14), 14));
            writer.Write(new CapturedFrame(3, Node1, LinkType.Raw, CaptureBytes.Frame(20), 20), "é ünïcode");
        }

        var blocks = Blocks(output.ToArray());

        Assert.Equal([0x0A0D0D0Au, 1, 6, 6, 1, 6], blocks.Select(b => b.Type));
        Assert.All(blocks, b => Assert.Equal(0, b.Length % 4));
        Assert.Equal(["section note", "ebpf-console"], Options(blocks[0].Body[16..]).Select(o => Encoding.UTF8.GetString(o.Value)));
        Assert.Equal("node-1:eth0", StringOption(blocks[1].Body[8..], 2));
        Assert.Equal("ebpf-console capture point node-1:eth0 (Ethernet)", StringOption(blocks[1].Body[8..], 3));
        Assert.Equal([9], Options(blocks[1].Body[8..]).Single(o => o.Code == 9).Value);
        Assert.Equal(262144u, BinaryPrimitives.ReadUInt32LittleEndian(blocks[1].Body.AsSpan(4)));
        Assert.Equal("first", EpbComment(blocks[2].Body));
        Assert.Null(EpbComment(blocks[3].Body));
        Assert.Equal("é ünïcode", EpbComment(blocks[5].Body));
    }

    [Fact]
    public void PcapngWriter_CommentLongerThanAnOption_IsCutAtACharacterBoundary()
    {
        using var output = new MemoryStream();
        using (var writer = new PcapngWriter(output, leaveOpen: true))
        {
            writer.Write(new CapturedFrame(1, Node1, LinkType.Ethernet, CaptureBytes.Frame(14), 14), new string('é', 40_000));
        }

        var comment = EpbComment(Blocks(output.ToArray())[2].Body);

        Assert.Equal(new string('é', 32_767), comment);
    }

    [Fact]
    public void PcapWriter_RoundTrip_KeepsNanosecondsAndBytes()
    {
        CapturedFrame[] frames =
        [
            new(1_700_000_000_123_456_789, Node1, LinkType.LinuxSll, CaptureBytes.Frame(60, 1), 60),
            new(1_700_000_001_000_000_001, Node2, LinkType.LinuxSll, CaptureBytes.Frame(30, 2), 90),
        ];
        using var output = new MemoryStream();
        using (var writer = new PcapWriter(output, LinkType.LinuxSll, leaveOpen: true))
        {
            foreach (var frame in frames)
            {
                writer.Write(frame);
            }
        }

        var point = new CapturePoint("trace", "any");
        var read = ReaderTestSupport.ReadAll(new PcapReader(new MemoryStream(output.ToArray()), "out.pcap", point));

        Assert.Equal(frames.Select(f => (f.TimestampNs, f.LinkType, f.OriginalLength)), read.Select(f => (f.TimestampNs, f.LinkType, f.OriginalLength)));
        Assert.Equal(frames.Select(f => f.Data), read.Select(f => f.Data));
        Assert.All(read, f => Assert.Equal(point, f.Point));
        Assert.Equal(0xA1B23C4Du, BinaryPrimitives.ReadUInt32LittleEndian(output.ToArray()));
    }

    [Fact]
    public void PcapWriter_FrameOfAnotherLinkType_IsRefusedWithAdvice()
    {
        using var writer = new PcapWriter(new MemoryStream(), LinkType.Ethernet);

        var error = Assert.Throws<CaptureFormatException>(() => writer.Write(new CapturedFrame(1, Node2, LinkType.LinuxSll2, CaptureBytes.Frame(20), 20)));

        Assert.StartsWith("classic pcap holds one link type; use pcapng", error.Message, StringComparison.Ordinal);
        Assert.Contains("node-2:any is LinuxSll2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PcapWriter_TimeBeforeTheEpoch_KeepsNanosecondsPositive()
    {
        using var output = new MemoryStream();
        using (var writer = new PcapWriter(output, LinkType.Ethernet, leaveOpen: true))
        {
            writer.Write(new CapturedFrame(-1, Node1, LinkType.Ethernet, CaptureBytes.Frame(20), 20));
        }

        var record = output.ToArray().AsSpan(24);

        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(record));
        Assert.Equal(999_999_999u, BinaryPrimitives.ReadUInt32LittleEndian(record[4..]));
    }

    internal static List<(uint Type, int Length, byte[] Body)> Blocks(byte[] file)
    {
        var blocks = new List<(uint, int, byte[])>();
        for (var offset = 0; offset < file.Length;)
        {
            var type = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset));
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 4));
            Assert.Equal(length, (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + length - 4)));
            blocks.Add((type, length, file[(offset + 8)..(offset + length - 4)]));
            offset += length;
        }

        return blocks;
    }

    internal static string? EpbComment(byte[] epbBody)
    {
        var captured = (int)BinaryPrimitives.ReadUInt32LittleEndian(epbBody.AsSpan(12));
        var options = epbBody[(20 + ((captured + 3) & ~3))..];
        return StringOption(options, 1);
    }

    private static string? StringOption(byte[] options, ushort code) =>
        Options(options).Where(o => o.Code == code).Select(o => Encoding.UTF8.GetString(o.Value)).SingleOrDefault();

    private static List<(ushort Code, byte[] Value)> Options(byte[] options)
    {
        var list = new List<(ushort, byte[])>();
        for (var i = 0; i + 4 <= options.Length;)
        {
            var code = BinaryPrimitives.ReadUInt16LittleEndian(options.AsSpan(i));
            var length = BinaryPrimitives.ReadUInt16LittleEndian(options.AsSpan(i + 2));
            if (code == 0)
            {
                break;
            }

            list.Add((code, options[(i + 4)..(i + 4 + length)]));
            i += 4 + ((length + 3) & ~3);
        }

        return list;
    }
}
