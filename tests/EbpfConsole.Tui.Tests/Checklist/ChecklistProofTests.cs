using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Migration;
using EbpfConsole.Tui.Dialogs;
using Terminal.Gui.Input;
using Xunit.Abstractions;

namespace EbpfConsole.Tui.Tests.Checklist;

/// <summary>A migration step's proof (before/after pins) reaching the Capture pane, through the real shell.</summary>
public class ChecklistProofTests(ITestOutputHelper output)
{
    private static string Flat(string screen) =>
        string.Join(" ", screen.Split('\n').Select(l => l.Trim().Trim('│', '┃').Trim()));

    private static FakeActions Lab() => new(FakeActions.Lab());

    [Fact]
    public void Comparison_NewSeq_CapturePaneComparesThePins_LogSaysSo_FocusStays()
    {
        using var shell = ShellHarness.Create(120, 40);
        var migration = new FakeMigration(FakeMigration.Snapshot());
        var capture = new FakeCapture();
        capture.AddPin("before M6", CaptureSamples.Mode(DatapathVerdict.IptablesSnat));
        capture.AddPin("after M6 (ebpf-tunnel)", CaptureSamples.Mode(DatapathVerdict.EbpfTunnel));
        string? screen = null;
        IReadOnlyList<CaptureSnapshot>? compared = null;
        shell.Run(Lab(), capture, migration,
        [
            s => s.Press(Key.D2),
            s => Assert.Null(s.Main.Capture.Compared),
            s =>
            {
                migration.Latest = FakeMigration.Snapshot(comparison: new ProofComparison(1, StepId.M6, "before M6", "after M6 (ebpf-tunnel)"));
                s.AdvanceTime();
            },
            s => { },
            s => s.AdvanceTime(),
            s => { },
            s => screen = Flat(s.Screen()),
            s => Assert.Same(s.Main.Checklist, s.Main.FocusedPane),
            s => compared = s.Main.Capture.Compared,
            s => s.Press(Key.Q),
        ]);

        output.WriteLine(screen);
        Assert.Equal(["before M6", "after M6 (ebpf-tunnel)"], compared!.Select(c => c.Name));
        Assert.Contains("M6 proof: 'before M6' → 'after M6 (ebpf-tunnel)'", screen, StringComparison.Ordinal);
        Assert.Contains("M6 proof in Capture: 'before M6' (iptables-snat) → 'after M6 (ebpf-tunnel)' (ebpf-tunnel)", screen, StringComparison.Ordinal);
        Assert.Contains("[SNAT]", screen, StringComparison.Ordinal);
        Assert.Contains("[TUN]", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparison_WhileADialogIsOpen_ShownBehindIt_DialogKeepsTheFocus_SameSeqNotShownTwice()
    {
        using var shell = ShellHarness.Create();
        var migration = new FakeMigration(FakeMigration.Snapshot());
        var capture = new FakeCapture();
        capture.AddPin("before M7", CaptureSamples.Mode(DatapathVerdict.EbpfTunnel));
        capture.AddPin("after M7", CaptureSamples.Mode(DatapathVerdict.EbpfDsr));
        var proof = new ProofComparison(4, StepId.M7, "before M7", "after M7");
        shell.Run(Lab(), capture, migration,
        [
            s => s.Press(Key.F1),
            s => Assert.IsType<HelpDialog>(s.TopDialog),
            s =>
            {
                migration.Latest = FakeMigration.Snapshot(comparison: proof);
                s.AdvanceTime();
            },
            s => { },
            s => Assert.IsType<HelpDialog>(s.TopDialog),
            s => Assert.NotNull(s.Main.Capture.Compared),
            s => s.Press(Key.Esc),
            // A capture started here gives the pane back to it; the same proof does not come back.
            s => s.Press(Key.D3),
            s => s.Type(Key.S),
            s => Assert.Null(s.Main.Capture.Compared),
            s =>
            {
                migration.Latest = FakeMigration.Snapshot(comparison: proof);
                s.AdvanceTime();
            },
            s => { },
            s => Assert.Null(s.Main.Capture.Compared),
            s => s.Press(Key.Q),
        ]);
    }

    [Fact]
    public void Comparison_PinMissing_SaysSo_ShowsNothing()
    {
        using var shell = ShellHarness.Create(120, 40);
        var migration = new FakeMigration(FakeMigration.Snapshot(comparison: new ProofComparison(1, StepId.M6, "before M6", "after M6")));
        var capture = new FakeCapture();
        capture.AddPin("before M6", CaptureSamples.Mode(DatapathVerdict.IptablesSnat));
        string? screen = null;
        shell.Run(Lab(), capture, migration,
        [
            s => s.AdvanceTime(),
            s => screen = Flat(s.Screen()),
            s => Assert.Null(s.Main.Capture.Compared),
            s => s.Press(Key.Q),
        ]);

        Assert.Contains("M6 proof: no pin named 'after M6': nothing to compare", screen, StringComparison.Ordinal);
    }
}
