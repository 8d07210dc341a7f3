using EbpfConsole.Capture.Remote;

namespace EbpfConsole.Capture.Tests.Remote;

public sealed class TcpdumpStderrTests
{
    [Fact]
    public void Add_StatisticsReports_KernelDropsFollowTheLatestTotal()
    {
        var stderr = new TcpdumpStderr();

        stderr.Add("tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 256 bytes");
        stderr.Add("tcpdump: 10 packets captured, 12 packets received by filter, 3 packets dropped by kernel");
        stderr.Add("120 packets captured");
        stderr.Add("130 packets received by filter");
        stderr.Add("7 packets dropped by kernel");
        stderr.Add("2 packets dropped by interface");

        Assert.Equal(7, stderr.KernelDropped);
        Assert.True(stderr.Listening);
        Assert.Empty(stderr.Lines);
        Assert.Null(stderr.Summary);
    }

    [Fact]
    public void Add_ErrorLines_AreKeptTrimmedAndOnOneLine()
    {
        var stderr = new TcpdumpStderr();

        stderr.Add("tcpdump: eth9: No such device exists\r");
        stderr.Add("(SIOCGIFHWADDR: No such device)");
        stderr.Add("   ");

        Assert.Equal(["tcpdump: eth9: No such device exists", "(SIOCGIFHWADDR: No such device)"], stderr.Lines);
        Assert.Equal("tcpdump: eth9: No such device exists; (SIOCGIFHWADDR: No such device)", stderr.Summary);
        Assert.False(stderr.Listening);
    }

    [Fact]
    public void Add_ManyLines_KeepsOnlyTheLastOnes()
    {
        var stderr = new TcpdumpStderr();

        for (var i = 0; i < 100; i++)
        {
            stderr.Add($"warning {i}");
        }

        Assert.Equal(TcpdumpStderr.MaxLines, stderr.Lines.Count);
        Assert.Equal("warning 99", stderr.Lines[^1]);
    }

    [Fact]
    public void Add_EscapeSequences_AreShownEscapedNotInterpreted()
    {
        var stderr = new TcpdumpStderr();

        stderr.Add("evil \u001b[2J line");

        Assert.Equal(@"evil \x1b[2J line", Assert.Single(stderr.Lines));
    }
}
