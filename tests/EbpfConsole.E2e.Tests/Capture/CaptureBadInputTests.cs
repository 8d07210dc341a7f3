using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Capture;

/// <summary>
/// `capture` refuses bad input at the edge, before anything starts: exit 2 and one line saying what is wrong
/// (the parser's "Try '… --help'." hint aside), never a stack trace. None of these needs the lab.
/// </summary>
public sealed class CaptureBadInputTests
{
    [Theory]
    [InlineData(new[] { "capture", "--point", "nocolon" }, "'nocolon' is not NODE:IFACE")]
    [InlineData(new[] { "capture", "--point", "node-1:eth0;id" }, "'eth0;id' is not a Linux interface name")]
    [InlineData(new[] { "capture", "--lab", "--duration", "abc" }, "--duration 'abc' is not a duration")]
    [InlineData(new[] { "capture" }, "give --lab or at least one --point NODE:IFACE")]
    public void Capture_BadArguments_ExitTwo_WithOneLine(string[] args, string expected)
    {
        var result = InstalledConsole.Run(args);

        Assert.Equal(2, result.ExitCode);
        CaptureTools.AssertOneErrorLine(result, expected);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public void Capture_BadFilter_ExitsTwo_WithOneLine_BeforeAnyCaptureStarts()
    {
        var result = InstalledConsole.Run("capture", "--point", "local:lo", "--filter", "tcp prt 80", "--duration", "5s");

        Assert.Equal(2, result.ExitCode);
        CaptureTools.AssertOneErrorLine(result, "filter 'tcp prt 80'", "syntax error");
        Assert.DoesNotContain("starting", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Capture_LocalWithoutPrivileges_ExitsTwo_NamingCapNetRawOrRoot()
    {
        InstalledConsole.RequireRoot();

        var result = CaptureTools.RunAsNobody("capture", "--point", "local:lo", "--duration", "1s");

        Assert.Equal(2, result.ExitCode);
        CaptureTools.AssertNoStackTrace(result);
        var reasons = CaptureTools.ErrorLines(result).Where(l => l.Contains("CAP_NET_RAW", StringComparison.Ordinal)).ToArray();
        Assert.True(reasons.Length == 1, $"expected one line naming CAP_NET_RAW, stderr was:\n{result.Stderr}");
        Assert.Contains("root", reasons[0], StringComparison.Ordinal);
        Assert.Contains("lo", reasons[0], StringComparison.Ordinal);
    }
}
