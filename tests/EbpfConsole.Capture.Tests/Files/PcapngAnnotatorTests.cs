using EbpfConsole.Capture.Files;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Tests.Files;

public sealed class PcapngAnnotatorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Rewrite_PcapngWithPoints_AddsCommentsToTheChosenFramesAndKeepsPoints()
    {
        var source = _dir.File("in.pcapng", new CaptureBytes().Shb().Idb(1, name: "node-1:eth0").Idb(276, name: "node-2:any")
            .Epb(0, 1, CaptureBytes.Frame(20), comment: "old").Epb(1, 2, CaptureBytes.Frame(21)).Epb(0, 3, CaptureBytes.Frame(22)).ToArray());
        var destination = _dir.File("out.pcapng");

        PcapngAnnotator.Rewrite(source, destination, n => n == 2 ? "connection 1: DSR" : null);

        var blocks = WriterTests.Blocks(File.ReadAllBytes(destination)).Where(b => b.Type == 6).ToList();
        Assert.Equal([null, "connection 1: DSR", null], blocks.Select(b => WriterTests.EpbComment(b.Body)));
        using var reader = new PcapReader(File.OpenRead(destination), destination, new CapturePoint("x", "y"));
        var frames = ReaderTestSupport.ReadAll(reader);
        Assert.Equal(["node-1:eth0", "node-2:any", "node-1:eth0"], frames.Select(f => f.Point.Name));
        Assert.Equal([LinkType.Ethernet, LinkType.LinuxSll2, LinkType.Ethernet], frames.Select(f => f.LinkType));
        Assert.Equal([20, 21, 22], frames.Select(f => f.Data.Length));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp-*"));
    }

    [Fact]
    public void Rewrite_ClassicPcapWithAPoint_NamesItsInterfaceAfterThePoint()
    {
        var source = _dir.File("in.pcap", new CaptureBytes().PcapHeader().PcapRecord(1, 0, CaptureBytes.Frame(20)).ToArray());
        var destination = _dir.File("out.pcapng");

        var written = PcapngAnnotator.Rewrite(new FileTarget(source, new CapturePoint("node-1", "eth0")), destination, _ => "c");

        Assert.Equal(1, written);
        var frame = Assert.Single(ReaderTestSupport.ReadAll(new PcapReader(File.OpenRead(destination), destination, new CapturePoint("x", "y"))));
        Assert.Equal("node-1:eth0", frame.Point.Name);
    }

    [Fact]
    public void Rewrite_TruncatedSource_CopiesTheReadablePart()
    {
        var bytes = new CaptureBytes().PcapHeader().PcapRecord(1, 0, CaptureBytes.Frame(20)).PcapRecord(2, 0, CaptureBytes.Frame(20)).ToArray();
        var source = _dir.File("cut.pcap", bytes[..^3]);

        var written = PcapngAnnotator.Rewrite(new FileTarget(source), _dir.File("out.pcapng"), _ => null);

        Assert.Equal(1, written);
    }

    [Fact]
    public void Rewrite_NotACapture_FailsAndLeavesNoOutput()
    {
        var source = _dir.File("notes.txt", "hello"u8.ToArray());
        var destination = _dir.File("out.pcapng");

        var error = Assert.Throws<CaptureSourceException>(() => PcapngAnnotator.Rewrite(source, destination, _ => null));

        Assert.Equal($"{source}: not a pcap or pcapng file", error.Message);
        Assert.Empty(Directory.GetFiles(_dir.Path, "out*"));
    }

    [Fact]
    public void Rewrite_OntoItself_IsRefused()
    {
        var source = _dir.File("in.pcap", new CaptureBytes().PcapHeader().ToArray());

        var error = Assert.Throws<CaptureSourceException>(() => PcapngAnnotator.Rewrite(source, source, _ => null));

        Assert.Contains("onto itself", error.Message, StringComparison.Ordinal);
        Assert.Equal(24, new FileInfo(source).Length);
    }

    [Fact]
    public void Rewrite_DestinationInAMissingDirectory_FailsWithOneLine()
    {
        var source = _dir.File("in.pcap", new CaptureBytes().PcapHeader().ToArray());
        var destination = Path.Combine(_dir.Path, "no-such-dir", "out.pcapng");

        var error = Assert.Throws<CaptureSourceException>(() => PcapngAnnotator.Rewrite(source, destination, _ => null));

        Assert.StartsWith($"{destination}: cannot write (", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
