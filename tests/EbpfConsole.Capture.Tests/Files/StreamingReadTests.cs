using EbpfConsole.Capture.Files;
using EbpfConsole.Core.Capture;
using static EbpfConsole.Capture.Tests.Files.ReaderTestSupport;

namespace EbpfConsole.Capture.Tests.Files;

/// <summary>The reader on a pipe: tcpdump's stdout over SSH, bytes arriving in any split.</summary>
public sealed class StreamingReadTests
{
    public static TheoryData<string> Formats => ["pcap", "pcap-be", "pcapng", "pcapng-be"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void TryRead_StreamDeliveringOneByteAtATime_ReadsTheSameFrames(string format)
    {
        var bytes = Sample(format);
        var expected = ReadAll(bytes);

        using var reader = new PcapReader(new TrickleStream(bytes, chunk: 1), "pipe", DefaultPoint);
        var frames = ReadAll(reader);

        Assert.Equal(3, frames.Count);
        Assert.Equal(expected.Select(f => (f.TimestampNs, f.Point, f.LinkType, f.OriginalLength)), frames.Select(f => (f.TimestampNs, f.Point, f.LinkType, f.OriginalLength)));
        Assert.Equal(expected.Select(f => f.Data), frames.Select(f => f.Data));
        Assert.False(reader.TruncatedAtEnd);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void TryRead_LiveStream_ReturnsEachFrameWithoutReadingPastItsRecord(string format)
    {
        var bytes = Sample(format);
        var boundaries = RecordEnds(bytes);
        var stream = new TrickleStream(bytes, chunk: 4096) { FailWhenDry = true, Arrived = boundaries[0] };

        using var reader = new PcapReader(stream, "pipe", DefaultPoint);
        for (var i = 1; i < boundaries.Count; i++)
        {
            stream.Arrived = boundaries[i];
            Assert.True(reader.TryRead(out var frame), $"frame {i} not returned once its record arrived");
            Assert.Equal(20 + i, frame.Data.Length);
        }
    }

    private static byte[] Sample(string format) => format switch
    {
        "pcap" or "pcap-be" => new CaptureBytes(format == "pcap-be").PcapHeader()
            .PcapRecord(1, 10, CaptureBytes.Frame(21)).PcapRecord(2, 20, CaptureBytes.Frame(22)).PcapRecord(3, 30, CaptureBytes.Frame(23)).ToArray(),
        _ => new CaptureBytes(format == "pcapng-be").Shb().Idb(1, name: "node-1:eth0", tsresol: 9)
            .Epb(0, 10, CaptureBytes.Frame(21)).Epb(0, 20, CaptureBytes.Frame(22)).Epb(0, 30, CaptureBytes.Frame(23)).ToArray(),
    };

    /// <summary>Where the header ends (pcap: header; pcapng: SHB+IDB) and where each record ends.</summary>
    private static List<int> RecordEnds(byte[] bytes)
    {
        var ends = new List<int>();
        if (bytes[0] == 0x0A)
        {
            var shb = new CaptureBytes().Shb().Length;
            var idb = new CaptureBytes().Idb(1, name: "node-1:eth0", tsresol: 9).Length;
            var epb = new CaptureBytes().Epb(0, 0, CaptureBytes.Frame(21)).Length;
            ends.Add(shb);
            ends.Add(shb + idb + epb);
            ends.Add(ends[^1] + new CaptureBytes().Epb(0, 0, CaptureBytes.Frame(22)).Length);
            ends.Add(ends[^1] + new CaptureBytes().Epb(0, 0, CaptureBytes.Frame(23)).Length);
            return ends;
        }

        ends.Add(24);
        for (var i = 1; i <= 3; i++)
        {
            ends.Add(ends[^1] + 16 + 20 + i);
        }

        return ends;
    }
}
