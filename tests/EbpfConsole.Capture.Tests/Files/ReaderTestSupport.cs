using EbpfConsole.Capture.Files;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Tests.Files;

internal static class ReaderTestSupport
{
    public static readonly CapturePoint DefaultPoint = new("trace", "eth9");

    public static PcapReader Open(byte[] bytes, string name = "x.pcap") => new(new MemoryStream(bytes), name, DefaultPoint);

    public static List<CapturedFrame> ReadAll(PcapReader reader)
    {
        var frames = new List<CapturedFrame>();
        while (reader.TryRead(out var frame))
        {
            frames.Add(frame);
        }

        return frames;
    }

    public static List<CapturedFrame> ReadAll(byte[] bytes) => ReadAll(Open(bytes));
}
