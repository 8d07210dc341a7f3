using EbpfConsole.Capture.Files;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Tests.Files;

/// <summary>Damaged input never escapes as anything but a one-line <see cref="CaptureFormatException"/>.</summary>
public sealed class RobustnessTests
{
    public static TheoryData<string> Samples => ["pcap", "pcapng"];

    [Theory]
    [MemberData(nameof(Samples))]
    public void TryRead_EveryTruncation_EndsCleanly(string format)
    {
        var bytes = Sample(format);
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var outcome = Read(bytes[..cut]);

            Assert.True(outcome is null || outcome.Contains("x: ", StringComparison.Ordinal), $"cut at {cut}: {outcome}");
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void TryRead_RandomByteFlips_EndCleanly(string format)
    {
        var original = Sample(format);
        var random = new Random(1234);
        for (var round = 0; round < 3000; round++)
        {
            var bytes = (byte[])original.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var outcome = Read(bytes);

            Assert.True(outcome is null || (outcome.StartsWith("x: ", StringComparison.Ordinal) && !outcome.Contains('\n', StringComparison.Ordinal)), $"round {round}: {outcome}");
        }
    }

    /// <summary>Null when the bytes read to the end (frames, truncation or skips included), else the error message.</summary>
    private static string? Read(byte[] bytes)
    {
        try
        {
            using var reader = new PcapReader(new MemoryStream(bytes), "x", new CapturePoint("n", "e"));
            while (reader.TryRead(out var frame))
            {
                Assert.InRange(frame.Data.Length, 0, PcapReader.MaxCaptureLength);
            }

            return null;
        }
        catch (CaptureFormatException error)
        {
            return error.Message;
        }
    }

    private static byte[] Sample(string format) => format == "pcap"
        ? new CaptureBytes().PcapHeader().PcapRecord(1, 2, CaptureBytes.Frame(30)).PcapRecord(3, 4, CaptureBytes.Frame(31)).ToArray()
        : new CaptureBytes().Shb().Idb(1, name: "node-1:eth0", tsresol: 9, tsoffset: 5).Idb(276, name: "any")
            .Epb(0, 1, CaptureBytes.Frame(30), comment: "c").Block(5, b => b.U32(0).U32(0).U32(0)).Spb(40, CaptureBytes.Frame(40)).Epb(1, 2, CaptureBytes.Frame(31)).ToArray();
}
