using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Capture;

/// <summary>`capture --lab` refuses what the lab cannot do, in one line and with exit 2: unknown nodes, a bad filter, a lab that is down.</summary>
[Collection(LabUsers.Name)]
public sealed class CaptureLabBadInputTests
{
    [Fact]
    public void CaptureLab_UnknownNode_ExitsTwo_NamingTheKnownNodes()
    {
        InstalledConsole.RequireRoot();
        LabScenarios.Ensure("healthy");

        var result = InstalledConsole.Run("capture", "--lab", "--point", "node-9:eth0", "--duration", "1s");

        Assert.Equal(2, result.ExitCode);
        CaptureTools.AssertOneErrorLine(result, "node-9", "known: node-1, node-2");
        Assert.Empty(LabTcpdumps.Live());
    }

    [Fact]
    public void CaptureLab_BadFilter_ExitsTwo_WithOneLine_BeforeAnythingStartsOnTheNodes()
    {
        InstalledConsole.RequireRoot();
        LabScenarios.Ensure("healthy");

        var result = InstalledConsole.Run("capture", "--lab", "--filter", "tcp prt 80", "--duration", "5s");

        Assert.Equal(2, result.ExitCode);
        CaptureTools.AssertOneErrorLine(result, "filter 'tcp prt 80'", "syntax error");
        Assert.DoesNotContain("starting", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void CaptureLab_WhenTheLabIsDown_ExitsTwo_SayingSo()
    {
        InstalledConsole.RequireRoot();
        var down = InstalledConsole.Run("lab", "down");
        Assert.True(down.ExitCode == 0, down.Stderr);

        var result = InstalledConsole.Run("capture", "--lab", "--duration", "1s");

        Assert.Equal(2, result.ExitCode);
        CaptureTools.AssertOneErrorLine(result, "lab is not up", "ebpf-console lab up");
        Assert.Equal(string.Empty, result.Stdout);
    }
}
