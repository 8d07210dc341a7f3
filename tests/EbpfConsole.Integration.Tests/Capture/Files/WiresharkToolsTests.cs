using EbpfConsole.Capture.Files;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Integration.Tests.Capture.Files;

/// <summary>
/// Files converted by Wireshark's tools read back the same; our exports read back in tshark and capinfos
/// with the point names and comments. The inputs are written by our own writer (no capture needed).
/// </summary>
public sealed class WiresharkToolsTests : IDisposable
{
    private static readonly CapturePoint Node1 = new("node-1", "eth0");
    private static readonly CapturePoint Node2Any = new("node-2", "any");
    private readonly FileScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("tshark")]
    [InlineData("editcap")]
    public async Task Read_PcapConvertedToPcapngByWiresharkTools_HasTheSameFrames(string tool)
    {
        var pcap = WritePcap("in.pcap", LinkType.Ethernet, 5);
        var pcapng = _scratch.File("converted.pcapng");
        await (tool == "tshark" ? CaptureTools.RunAsync("tshark", "-r", pcap, "-F", "pcapng", "-w", pcapng) : CaptureTools.RunAsync("editcap", "-F", "pcapng", pcap, pcapng));

        var original = FileScratch.ReadAll(pcap).Frames;
        var converted = await FileScratch.AssertReadsLikeTsharkAsync(pcapng, atLeast: 5);

        Assert.Equal(original.Select(f => (f.TimestampNs, f.LinkType)), converted.Select(f => (f.TimestampNs, f.LinkType)));
        Assert.Equal(original.Select(f => f.Data), converted.Select(f => f.Data));
    }

    [Fact]
    public async Task Read_MergecapOfTwoLinkTypes_KeepsBothInterfaces()
    {
        var ethernet = WritePcap("eth.pcap", LinkType.Ethernet, 3);
        var cooked = WritePcap("any.pcap", LinkType.LinuxSll2, 3, startNs: 1_700_000_000_000_000_500);
        var merged = _scratch.File("merged.pcapng");
        await CaptureTools.RunAsync("mergecap", "-w", merged, ethernet, cooked);

        var frames = await FileScratch.AssertReadsLikeTsharkAsync(merged, atLeast: 6);

        Assert.Equal([LinkType.Ethernet, LinkType.LinuxSll2], frames.Select(f => f.LinkType).Distinct());
        Assert.Equal(2, frames.Select(f => f.Point).Distinct().Count());
    }

    [Fact]
    public async Task Export_PcapngWithPointsAndComments_ReadsBackInTsharkAndCapinfos()
    {
        var path = _scratch.File("export.pcapng");
        using (var writer = new PcapngWriter(File.Create(path), "ebpf-console test export"))
        {
            writer.Write(Frame(0, Node1, LinkType.Ethernet), "connection 1: client 10.99.0.100:60100, pod saw client IP, reply direct from node-2 (ebpf-dsr)");
            writer.Write(Frame(1, Node2Any, LinkType.LinuxSll2));
            writer.Write(Frame(2, Node1, LinkType.Ethernet), "second, ünïcode");
        }

        var frames = await CaptureTools.TsharkFramesAsync(path);
        var capinfos = await CaptureTools.RunAsync("capinfos", path);

        Assert.Equal(["node-1:eth0", "node-2:any", "node-1:eth0"], frames.Select(f => f.InterfaceName));
        Assert.Equal(["connection 1: client 10.99.0.100:60100, pod saw client IP, reply direct from node-2 (ebpf-dsr)", "", "second, ünïcode"], frames.Select(f => f.Comment));
        Assert.Contains("Number of interfaces in file: 2", capinfos, StringComparison.Ordinal);
        Assert.Matches(@"Number of packets:\s+3\b", capinfos);
        Assert.Contains("ebpf-console", capinfos, StringComparison.Ordinal);
        Assert.Contains("nanoseconds", capinfos, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Annotate_TcpdumpStylePcap_CommentsShowInTshark()
    {
        var source = WritePcap("node-1-eth0.pcap", LinkType.Ethernet, 4);
        var destination = _scratch.File("annotated.pcapng");

        PcapngAnnotator.Rewrite(new FileTarget(source, Node1), destination, n => n == 3 ? "connection 7: SNAT to node-1" : null);

        var frames = await CaptureTools.TsharkFramesAsync(destination);
        Assert.Equal(["", "", "connection 7: SNAT to node-1", ""], frames.Select(f => f.Comment));
        Assert.All(frames, f => Assert.Equal("node-1:eth0", f.InterfaceName));
    }

    [Fact]
    public async Task Export_ClassicPcap_ReadsBackInTcpdumpWithNanoseconds()
    {
        var path = WritePcap("classic.pcap", LinkType.Ethernet, 3, startNs: 1_700_000_000_123_456_789);

        var text = await CaptureTools.RunAsync("tcpdump", "-n", "--time-stamp-precision", "nano", "-tt", "-r", path);
        var capinfos = await CaptureTools.RunAsync("capinfos", path);

        Assert.StartsWith("1700000000.123456789", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("nanoseconds", capinfos, StringComparison.Ordinal);
    }

    private string WritePcap(string name, LinkType linkType, int count, long startNs = 1_700_000_000_000_000_000)
    {
        var path = _scratch.File(name);
        using var writer = new PcapWriter(File.Create(path), linkType);
        for (var i = 0; i < count; i++)
        {
            writer.Write(Frame(i, Node1, linkType, startNs));
        }

        return path;
    }

    /// <summary>A UDP datagram 10.99.0.100:60100 → 10.99.0.11:30604 under the given link header.</summary>
    private static CapturedFrame Frame(int i, CapturePoint point, LinkType linkType, long startNs = 1_700_000_000_000_000_000)
    {
        byte[] ip =
        [
            0x45, 0, 0, 32, 0, (byte)i, 0x40, 0, 64, 17, 0, 0, 10, 99, 0, 100, 10, 99, 0, 11,
            0xEA, 0xC4, 0x77, 0x8C, 0, 12, 0, 0, (byte)'e', (byte)'c', (byte)'t', (byte)i,
        ];
        byte[] link = linkType switch
        {
            LinkType.Ethernet => [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00],
            LinkType.LinuxSll2 => [0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0],
            _ => [],
        };
        byte[] data = [.. link, .. ip];
        return new CapturedFrame(startNs + i * 1_000_001L, point, linkType, data, data.Length);
    }
}
