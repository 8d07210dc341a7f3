using EbpfConsole.Core.Capture;
using EbpfConsole.Tui.Dialogs;
using Terminal.Gui.Input;
using Xunit.Abstractions;
using static EbpfConsole.Tui.Tests.CaptureSamples;

namespace EbpfConsole.Tui.Tests;

/// <summary>The Capture pane's keys and refresh, through the real shell with a fake capture engine.</summary>
public class CaptureShellTests(ITestOutputHelper output)
{
    private static string Flat(string screen) =>
        string.Join(" ", screen.Split('\n').Select(l => l.Trim().Trim('│', '┃').Trim()));

    private static FakeActions Lab() => new(FakeActions.Lab());

    [Fact]
    public void S_CapturePaneFocused_StartsAtTheDefaultPoints()
    {
        using var shell = ShellHarness.Create(120, 40);
        var capture = new FakeCapture();
        string? screen = null;
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Type(Key.S),
            s => ShellHarness.WaitFor(() => capture.StartCalls.Count == 1, "StartAsync"),
            s => s.AdvanceTime(),
            s => screen = Flat(s.Screen()),
            s => s.Press(Key.Q));

        Assert.Empty(Assert.Single(capture.StartCalls));
        Assert.Contains("console info  starting capture at node-1:eth0, node-2:eth0, node-2:cali1a2b3c4d5e6", screen, StringComparison.Ordinal);
        Assert.Contains("● starting", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void S_NoDefaultPoints_SaysToChooseThem_StartsNothing()
    {
        using var shell = ShellHarness.Create(120, 40);
        var capture = new FakeCapture { DefaultPoints = [] };
        string? screen = null;
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Type(Key.S),
            s => s.AdvanceTime(),
            s => screen = Flat(s.Screen()),
            s => s.Press(Key.Q));

        Assert.Empty(capture.StartCalls);
        Assert.Contains("no default capture points here: press S (or a)", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void S_AnotherPaneFocused_StartsNothing()
    {
        using var shell = ShellHarness.Create();
        var capture = new FakeCapture();
        shell.Run(Lab(), capture,
            s => Assert.Same(s.Main.Nodes, s.Main.FocusedPane),
            s => s.Type(Key.S),
            s => s.Type(Key.X),
            s => s.Press(Key.Q));

        Assert.Empty(capture.StartCalls);
        Assert.Equal(0, capture.StopCalls);
    }

    [Fact]
    public void X_Running_Stops_NotRunning_SaysSo()
    {
        using var shell = ShellHarness.Create();
        var capture = new FakeCapture(Mode(DatapathVerdict.EbpfDsr)) { IsRunning = true };
        string? screen = null;
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Type(Key.X),
            s => ShellHarness.WaitFor(() => capture.StopCalls == 1, "StopAsync"),
            s => s.AdvanceTime(),
            s => Assert.Contains("○ idle", s.Screen(), StringComparison.Ordinal),
            s => s.Type(Key.X),
            s => s.AdvanceTime(),
            s => screen = Flat(s.Screen()),
            s => s.Press(Key.Q));

        Assert.Equal(1, capture.StopCalls);
        Assert.Contains("console info  no capture is running", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void CaptureKeys_NoCaptureEngine_SayNotAvailable()
    {
        using var shell = ShellHarness.Create();
        string? screen = null;
        shell.Run(Lab(), (FakeCapture?)null,
            s => s.Press(Key.D3),
            s => s.Type(Key.S),
            s => s.Type(Key.P),
            s => s.Press(Key.Enter),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.AdvanceTime(),
            s => screen = Flat(s.Screen()),
            s => s.Press(Key.Q));

        output.WriteLine(screen);
        Assert.Contains("console warn  capture is not available here: start ignored", screen, StringComparison.Ordinal);
        Assert.Contains("capture is not available here: pin ignored", screen, StringComparison.Ordinal);
        Assert.Contains("capture is not available here: packets ignored", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void Enter_ThePacketsOfTheSelectedConnectionInTimeOrder_EscGoesBack()
    {
        using var shell = ShellHarness.Create(120, 40);
        PacketsDialog? dialog = null;
        string? screen = null;
        shell.Run(Lab(), new FakeCapture(Mixed()),
            s => s.Press(Key.D3),
            s => s.Press(Key.CursorUp),
            s => s.Press(Key.CursorUp),
            s => s.Press(Key.CursorUp),
            s => s.Press(Key.Enter),
            s =>
            {
                dialog = Assert.IsType<PacketsDialog>(s.TopDialog);
                screen = s.Screen();
            },
            s => s.Press(Key.Esc),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));

        output.WriteLine(screen);
        Assert.Equal(["node-1:eth0", "node-1:eth0", "node-2:eth0"], dialog!.Rows.Select(r => r[1]));
        Assert.Equal(["S", "S.", "S"], dialog.Rows.Select(r => r[3]));
        Assert.Contains("#1 10.99.0.100:60100 → 10.99.0.11:30604 (ISN 1001): first 3 of 10 packets, [SNAT] iptables-snat", screen, StringComparison.Ordinal);
        Assert.Equal("vxlan 10.99.0.11 → 10.99.0.12 vni 0xca11c0", dialog.Rows[2][7]);
        Assert.Matches(@"^12:00:00\.000150 +node-2:eth0 +10\.99\.0\.11:41001 > 10\.244\.1\.5:80 +S +1001 +0 +0 vx$", dialog.Table.Lines[2]);
        Assert.Contains(dialog.Table.Lines[2], screen, StringComparison.Ordinal);
    }

    [Fact]
    public void E_ShowsTheFullEvidenceAndEveryPoint()
    {
        using var shell = ShellHarness.Create();
        TextDialog? dialog = null;
        shell.Run(Lab(), new FakeCapture(Mixed() with { Points = Stats(failure: "ssh: connection refused") }),
            s => s.Press(Key.D3),
            s => s.Press(Key.E),
            s => dialog = Assert.IsType<TextDialog>(s.TopDialog),
            s => s.Press(Key.Esc),
            s => s.Press(Key.Q));

        var text = string.Join(" ", dialog!.Lines);
        Assert.Contains("connections disagree: #1 SNAT at node-2:cali1a2b3c4d5e6, #3 DSR at node-2:eth0", text, StringComparison.Ordinal);
        Assert.Contains("node-2:cali1a2b3c4d5e6 ✗ ssh: connection refused", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatapathVerdict.IptablesSnat, "baseline")]
    [InlineData(DatapathVerdict.EbpfTunnel, "ebpf-tunnel")]
    [InlineData(DatapathVerdict.EbpfDsr, "ebpf-dsr")]
    public void P_SuggestsANameFromTheVerdict_EnterPins(DatapathVerdict verdict, string expected)
    {
        using var shell = ShellHarness.Create();
        var capture = new FakeCapture(Mode(verdict));
        string? suggested = null;
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Type(Key.P),
            s => suggested = Assert.IsType<PinDialog>(s.TopDialog).NameField.Text,
            s => s.Press(Key.Enter),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));

        Assert.Equal(expected, suggested);
        Assert.Equal([expected], capture.Pinned.Select(p => p.Name));
    }

    [Fact]
    public void P_EscCancels_NothingPinned()
    {
        using var shell = ShellHarness.Create();
        var capture = new FakeCapture(Mode(DatapathVerdict.EbpfDsr));
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Press(Key.P),
            s => s.Press(Key.Esc),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));

        Assert.Empty(capture.Pinned);
    }

    [Fact]
    public void P_NothingCaptured_Refused()
    {
        using var shell = ShellHarness.Create();
        var capture = new FakeCapture();
        string? screen = null;
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Press(Key.P),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.AdvanceTime(),
            s => screen = Flat(s.Screen()),
            s => s.Press(Key.Q));

        Assert.Empty(capture.Pinned);
        Assert.Contains("nothing to pin: no packets captured yet", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void D_DeletesTheChosenPin()
    {
        using var shell = ShellHarness.Create();
        var capture = new FakeCapture(Mode(DatapathVerdict.EbpfDsr));
        capture.AddPin("baseline", Mode(DatapathVerdict.IptablesSnat));
        capture.AddPin("ebpf-dsr", Mode(DatapathVerdict.EbpfDsr));
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Press(Key.D),
            s => Assert.IsType<UnpinDialog>(s.TopDialog),
            s => s.Press(Key.CursorUp),
            s => s.Press(Key.Enter),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));

        Assert.Equal(["ebpf-dsr"], capture.Pinned.Select(p => p.Name));
    }

    [Fact]
    public void C_OnePin_ComparedWithTheCurrentCapture()
    {
        using var shell = ShellHarness.Create(120, 40);
        var capture = new FakeCapture(Mode(DatapathVerdict.EbpfDsr));
        capture.AddPin("baseline", Mode(DatapathVerdict.IptablesSnat));
        TextDialog? dialog = null;
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Press(Key.C),
            s => dialog = Assert.IsType<TextDialog>(s.TopDialog),
            s => s.Press(Key.Esc),
            s => s.Press(Key.Q));

        Assert.Matches(@"│ baseline +│ \(current\)", dialog!.Lines[0]);
        Assert.Matches(@"verdict +│ \[SNAT\] iptables-snat +│ \[DSR\] ebpf-dsr", dialog.Lines[2]);
    }

    [Fact]
    public void C_NothingPinned_SaysHowToPin()
    {
        using var shell = ShellHarness.Create();
        string? screen = null;
        shell.Run(Lab(), new FakeCapture(Mode(DatapathVerdict.EbpfDsr)),
            s => s.Press(Key.D3),
            s => s.Press(Key.C),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.AdvanceTime(),
            s => screen = Flat(s.Screen()),
            s => s.Press(Key.Q));

        Assert.Contains("nothing pinned yet: p pins the current capture", screen, StringComparison.Ordinal);
    }
}
