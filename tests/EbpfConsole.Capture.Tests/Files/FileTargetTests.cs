using EbpfConsole.Capture.Files;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Tests.Files;

public sealed class FileTargetTests
{
    [Fact]
    public void TryParse_FileWithPoint_SplitsAtTheLastAt()
    {
        Assert.True(FileTarget.TryParse("caps/a@b.pcap@node-1:eth0", out var target, out _));

        Assert.Equal("caps/a@b.pcap", target.Path);
        Assert.Equal(new CapturePoint("node-1", "eth0"), target.Point);
        Assert.Equal(target.Point, target.DefaultPoint);
        Assert.Equal("caps/a@b.pcap@node-1:eth0", target.ToString());
    }

    [Theory]
    [InlineData("a.pcap")]
    [InlineData("mail@host.pcap")]
    [InlineData("a.pcap@node-1")]
    [InlineData("a.pcap@node 1:eth0")]
    [InlineData("a.pcap@node-1:eth0;reboot")]
    public void TryParse_NoValidPointAfterTheLastAt_TakesTheWholeTextAsThePath(string text)
    {
        Assert.True(FileTarget.TryParse(text, out var target, out _));

        Assert.Equal(text, target.Path);
        Assert.Null(target.Point);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("@node-1:eth0")]
    public void TryParse_NoFile_SaysWhatIsExpected(string? text)
    {
        Assert.False(FileTarget.TryParse(text, out _, out var error));

        Assert.Contains("FILE@NODE:IFACE", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/tmp/node-1:eth0.pcap", "node-1:eth0")]
    [InlineData("/tmp/node-2-eth0.pcap", "node-2-eth0:file")]
    [InlineData("capture (2) $(x).pcapng", "capture--2----x-:file")]
    [InlineData("/tmp/---.pcap", "file:file")]
    public void DefaultPoint_WithoutAPoint_ComesFromTheFileName(string path, string expected)
    {
        Assert.Equal(expected, new FileTarget(path).DefaultPoint.Name);
    }
}
