using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Migration;

/// <summary>
/// The Checklist pane by keys alone (issue 6's "done when"): the installed console in tmux takes the lab from kube-proxy to
/// eBPF DSR — each apply confirmed in a dialog that shows the preview — shows the proof comparison in the Capture pane,
/// and rolls everything back.
/// </summary>
[Collection(LabUsers.Name)]
public sealed class ChecklistOnLabTests : IDisposable
{
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public void ByKeysAlone_ToDsr_ThenRollBackEverything()
    {
        LabMigration.Fresh("healthy");
        using var tmux = Tmux.Start($"{InstalledConsole.Path} --lab", 120, 40);
        tmux.WaitFor("M0  Snapshot", StepLimit);
        tmux.WaitFor(s => s.Contains("no snapshot in the journal yet", StringComparison.Ordinal) || s.Contains("pending", StringComparison.Ordinal), "the checklist's states", StepLimit);
        tmux.SendKeys("2");

        // Rows: M0 M1(n/a) M2 M3 M4 M5(n/a) M6 M7 M8 M10; the first row is selected.
        Apply(tmux, "M0", downs: 0);
        Apply(tmux, "M2", downs: 2);
        Apply(tmux, "M3", downs: 1);
        Apply(tmux, "M4", downs: 1);
        var m6 = Apply(tmux, "M6", downs: 2);
        Assert.Contains("after M6", m6, StringComparison.Ordinal);
        Apply(tmux, "M7", downs: 1);
        // The comparison, in the Capture pane: 'before M7' → 'after M7' side by side.
        tmux.WaitFor("M7 proof: 'before M7' → 'after M7'", StepLimit);
        tmux.WaitFor(
            s => System.Text.RegularExpressions.Regex.IsMatch(s, @"verdict\s+│ \[TUN\] ebpf-tunnel\s+│ \[DSR\] ebpf-dsr"),
            "the verdicts ebpf-tunnel → ebpf-dsr side by side",
            TimeSpan.FromSeconds(10));

        tmux.SendKeys("U");
        var dialog = tmux.WaitFor("Roll back everything?", StepLimit);
        Assert.Contains("undo M7, M6, M4, M3, M2, in this order", dialog, StringComparison.Ordinal);
        tmux.SendKeys("Tab");
        tmux.SendKeys("Enter");
        var done = tmux.WaitFor("every touched object equals its M0 snapshot again", StepLimit * 2);
        Assert.Contains("[SNAT] iptables-snat", done, StringComparison.Ordinal);
    }

    public void Dispose() => InstalledConsole.Run("lab", "down");

    /// <summary>Moves down to the step, presses a, waits for the preview dialog, approves it (Tab to Apply, Enter) and waits for the verify.</summary>
    private static string Apply(Tmux tmux, string step, int downs)
    {
        for (var i = 0; i < downs; i++)
        {
            tmux.SendKeys("Down");
        }

        tmux.WaitFor($"{step} ", StepLimit);
        tmux.SendKeys("a");
        var preview = tmux.WaitFor($"Apply {step}?", StepLimit);
        Assert.Contains($"{step}: ", preview, StringComparison.Ordinal); // the dialog shows the preview
        tmux.SendKeys("Tab");
        tmux.SendKeys("Enter");
        return tmux.WaitFor($"{step} applied and verified", StepLimit * 2);
    }
}
