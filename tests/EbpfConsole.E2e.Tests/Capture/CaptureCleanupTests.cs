using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Capture;

/// <summary>
/// A capture leaves nothing running on the nodes however it ends: killed with SIGKILL (no code of ours runs, the
/// remote side notices the closed connection) or stopped with Ctrl+C (the analysis so far is still printed).
/// </summary>
[Collection(LabUsers.Name)]
public sealed class CaptureCleanupTests
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Cleanup = TimeSpan.FromSeconds(10);

    [Fact]
    public void CaptureLab_KilledWithSigkill_LeavesNoTcpdumpOnTheNodes()
    {
        InstalledConsole.RequireRoot();
        StartLab();

        using var capture = BackgroundCapture.Start("capture", "--lab");
        capture.WaitUntilCapturing(CaptureTools.LabPoints, Start);
        Assert.Equal(3, LabTcpdumps.Live().Count); // one per point: the check below can fail
        capture.KillHard();

        var left = LabTcpdumps.WaitUntilNone(Cleanup);
        Assert.True(left.Count == 0, $"tcpdump still running {Cleanup.TotalSeconds:0} s after SIGKILL: {string.Join(", ", left)}");
    }

    [Fact]
    public void CaptureLab_CtrlC_PrintsTheAnalysis_ExitsZeroOrOne_AndLeavesNoTcpdump()
    {
        InstalledConsole.RequireRoot();
        StartLab();

        using var capture = BackgroundCapture.Start("capture", "--lab");
        capture.WaitUntilCapturing(CaptureTools.LabPoints, Start);
        Assert.Equal(3, LabTcpdumps.Live().Count);
        var curl = InstalledConsole.Run("lab", "curl", "--count", "1");
        Assert.True(curl.ExitCode == 0, curl.Stderr);
        capture.Interrupt();
        var exitCode = capture.WaitForExit(TimeSpan.FromSeconds(30));

        var output = $"exit {exitCode}; stdout:\n{capture.Stdout}\nstderr:\n{capture.Stderr}";
        Assert.True(exitCode is 0 or 1, $"Ctrl+C should end the capture normally (0 or 1), not by the signal (130) or a crash: {output}");
        Assert.Contains("classification: iptables-snat", capture.Stdout, StringComparison.Ordinal);
        Assert.Contains("connections: 1", capture.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", capture.Stderr, StringComparison.Ordinal);
        var left = LabTcpdumps.WaitUntilNone(Cleanup);
        Assert.True(left.Count == 0, $"tcpdump still running {Cleanup.TotalSeconds:0} s after Ctrl+C: {string.Join(", ", left)}");
    }

    private static void StartLab()
    {
        LabScenarios.Ensure("healthy");
        Assert.Equal(0, InstalledConsole.Run("lab", "mode", "iptables").ExitCode);
        Assert.Empty(LabTcpdumps.WaitUntilNone(Cleanup)); // nothing left over from an earlier test
    }
}
