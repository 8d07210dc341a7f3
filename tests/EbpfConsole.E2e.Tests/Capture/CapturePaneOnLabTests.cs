using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Capture;

/// <summary>The Capture pane of the installed console at 80x24 on the real lab: start, live verdict, stop, quit, nothing left behind.</summary>
[Collection(LabUsers.Name)]
public sealed class CapturePaneOnLabTests
{
    private static readonly TimeSpan LabStart = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Ui = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Cleanup = TimeSpan.FromSeconds(10);

    [Fact]
    public void CapturePane_At80x24_StartsOnS_ShowsSnatForIptablesTraffic_StopsOnX_AndQuitLeavesNoTcpdump()
    {
        InstalledConsole.RequireRoot();
        LabScenarios.Ensure("healthy");
        Assert.Equal(0, InstalledConsole.Run("lab", "mode", "iptables").ExitCode);
        Assert.Empty(LabTcpdumps.WaitUntilNone(Cleanup));

        using var term = Tmux.Start($"{InstalledConsole.Path} lab", 80, 24);
        term.WaitFor(s => CountReachable(s) >= 2, "both nodes ✓ up", LabStart);
        term.SendKeys("3");
        term.SendKeys("s");
        var capturing = term.WaitFor(Capturing, "capturing at 3 points", Ui);
        Assert.DoesNotContain("1 Nodes", capturing, StringComparison.Ordinal); // under 30 rows the Capture pane zooms by itself
        Assert.Equal(3, LabTcpdumps.WaitForCount(3, Ui).Count);

        // The status line can show 3 points a moment before the last tcpdump listens: curl again until the verdict shows.
        for (var attempt = 1; !term.Screen().Contains("[SNAT]", StringComparison.Ordinal); attempt++)
        {
            var curl = InstalledConsole.Run("lab", "curl", "--count", "2");
            Assert.True(curl.ExitCode == 0, curl.Stderr);
            if (attempt == 3)
            {
                term.WaitFor("[SNAT]", Ui);
            }
            else
            {
                WaitBriefly(term, "[SNAT]");
            }
        }

        var shown = term.WaitFor("10.99.0.100:", Ui);
        Assert.DoesNotContain("[TUN]", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("[DSR]", shown, StringComparison.Ordinal);

        term.SendKeys("x");
        term.WaitFor("○ idle", Ui);
        var afterStop = LabTcpdumps.WaitUntilNone(Cleanup);
        Assert.True(afterStop.Count == 0, $"x left tcpdump running: {string.Join(", ", afterStop)}");

        // Quitting while a capture runs stops it too.
        term.SendKeys("s");
        term.WaitFor(Capturing, "capturing again", Ui);
        Assert.Equal(3, LabTcpdumps.WaitForCount(3, Ui).Count);
        term.SendKeys("q");
        var screen = term.WaitFor(s => s.Contains("[exited", StringComparison.Ordinal) || s.Contains("Quit?", StringComparison.Ordinal), "quit or its question", Ui);
        if (screen.Contains("Quit?", StringComparison.Ordinal))
        {
            term.SendKeys("q"); // the dialog's _Quit
        }

        term.WaitFor("[exited 0]", Ui);
        var afterQuit = LabTcpdumps.WaitUntilNone(Cleanup);
        Assert.True(afterQuit.Count == 0, $"quitting left tcpdump running: {string.Join(", ", afterQuit)}");
    }

    /// <summary>The pane's status line while capturing, long form (zoomed) or short form: all three points running.</summary>
    private static bool Capturing(string screen) =>
        screen.Contains("● capturing at 3 points", StringComparison.Ordinal) || screen.Contains("● 3 pts", StringComparison.Ordinal);

    /// <summary>A few seconds for text to appear, without failing: the caller tries again.</summary>
    private static void WaitBriefly(Tmux term, string text)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(3) && !term.Screen().Contains(text, StringComparison.Ordinal))
        {
            Thread.Sleep(100);
        }
    }

    private static int CountReachable(string screen) =>
        screen.Split('\n').Count(line => line.Contains("✓ up", StringComparison.Ordinal) && line.Contains("10.99.0.1", StringComparison.Ordinal));
}
