using EbpfConsole.Core.Datapath;
using EbpfConsole.Tui.Dialogs;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Xunit.Abstractions;

namespace EbpfConsole.Tui.Tests;

/// <summary>The real shell (<see cref="ConsoleApp"/>) driven by keys, headless, one step per main-loop iteration.</summary>
public class ShellTests(ITestOutputHelper output)
{
    private static string Flat(string screen) =>
        string.Join(" ", screen.Split('\n').Select(l => l.Trim().Trim('│', '┃').Trim()));

    [Theory]
    [InlineData(80, 24)]
    [InlineData(120, 40)]
    public void F1_OpensHelpListingEveryBindingOfTheKeymap(int width, int height)
    {
        using var shell = ShellHarness.Create(width, height);
        string? screen = null;
        var steps = shell.Run(new FakeActions(FakeActions.Lab()),
            s => Assert.DoesNotContain("Show this help", s.Screen(), StringComparison.Ordinal),
            s => s.Press(Key.F1),
            s =>
            {
                Assert.IsType<HelpDialog>(s.TopDialog);
                screen = s.Screen();
            },
            // At 80x24 the list is longer than the screen: the rest is a scroll away.
            s => s.Press(Key.End),
            s => screen += s.Screen(),
            s => s.Press(Key.Esc),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));

        output.WriteLine(screen);
        Assert.Equal(8, steps);
        foreach (var entry in Keymap.Default.Entries)
        {
            Assert.Contains($"{entry.KeysText}", screen!, StringComparison.Ordinal);
            Assert.Contains(entry.Description, screen!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void QuestionMark_TypedInATerminal_OpensHelp()
    {
        using var shell = ShellHarness.Create();
        shell.Run(new FakeActions(FakeActions.Lab()),
            s => s.Type(new Key('?')),
            s => Assert.IsType<HelpDialog>(s.TopDialog),
            s => s.Press(Key.Enter),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));
    }

    [Fact]
    public void PaneKeys_FocusTheirPane()
    {
        using var shell = ShellHarness.Create();
        shell.Run(new FakeActions(FakeActions.Lab()),
            s => Assert.Same(s.Main.Nodes, s.Main.FocusedPane),
            s => s.Type(Key.D2),
            s => Assert.Same(s.Main.Checklist, s.Main.FocusedPane),
            s => s.Press(Key.L.WithAlt),
            s => Assert.Same(s.Main.Log, s.Main.FocusedPane),
            s => s.Press(Key.P.WithAlt),
            s => Assert.Same(s.Main.Capture, s.Main.FocusedPane),
            s => s.Type(Key.D1),
            s => Assert.Same(s.Main.Nodes, s.Main.FocusedPane),
            s => s.Press(Key.Q));
    }

    [Fact]
    public void F6AndShiftF6_CycleThePanesInOrder()
    {
        using var shell = ShellHarness.Create();
        var seen = new List<string>();
        shell.Run(new FakeActions(FakeActions.Lab()),
            s => s.Type(Key.F6),
            s => seen.Add(s.Main.FocusedPane!.Title),
            s => s.Type(Key.F6),
            s => seen.Add(s.Main.FocusedPane!.Title),
            s => s.Type(Key.F6),
            s => seen.Add(s.Main.FocusedPane!.Title),
            s => s.Type(Key.F6),
            s => seen.Add(s.Main.FocusedPane!.Title),
            s => s.Type(Key.F6.WithShift),
            s => seen.Add(s.Main.FocusedPane!.Title),
            s => s.Press(Key.Q));

        Assert.Equal(["2 _Checklist", "3 Ca_pture", "4 _Log", "1 _Nodes", "4 _Log"], seen);
    }

    [Fact]
    public void Z_ZoomsTheFocusedPane_EscUnzoomsWithoutQuitting()
    {
        using var shell = ShellHarness.Create();
        string? zoomed = null;
        shell.Run(new FakeActions(FakeActions.Lab()),
            s => s.Press(Key.D4),
            s => s.Type(Key.Z),
            s =>
            {
                zoomed = s.Screen();
                Assert.Same(s.Main.Log, s.Main.ZoomedPane);
            },
            s => s.Press(Key.Esc),
            s =>
            {
                Assert.Null(s.Main.ZoomedPane);
                Assert.Contains("┤1 Nodes├", s.Screen(), StringComparison.Ordinal);
            },
            s => s.Press(Key.Q));

        output.WriteLine(zoomed);
        var lines = zoomed!.TrimEnd().Split('\n');
        Assert.StartsWith("╭┤4 Log├", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("╰", lines[^2], StringComparison.Ordinal);
        Assert.DoesNotContain("Nodes├", zoomed, StringComparison.Ordinal);
        Assert.DoesNotContain("Checklist├", zoomed, StringComparison.Ordinal);
        Assert.DoesNotContain("Capture├", zoomed, StringComparison.Ordinal);
    }

    [Fact]
    public void Zoomed_PaneKeyMovesTheZoom_ZAgainUnzooms()
    {
        using var shell = ShellHarness.Create();
        shell.Run(new FakeActions(FakeActions.Lab()),
            s => s.Press(Key.Z),
            s =>
            {
                Assert.Same(s.Main.Nodes, s.Main.ZoomedPane);
                Assert.Equal([true, false, false, false], s.Main.Panes.Select(p => p.Visible));
                var screen = s.Screen();
                Assert.StartsWith("╭┤1 Nodes├", screen.Split('\n')[1], StringComparison.Ordinal);
                Assert.Contains("lab-node-1", screen, StringComparison.Ordinal);
                Assert.DoesNotContain("Checklist├", screen, StringComparison.Ordinal);
                Assert.DoesNotContain("Capture├", screen, StringComparison.Ordinal);
                Assert.DoesNotContain("Log├", screen, StringComparison.Ordinal);
                Assert.Contains("q  Quit", screen.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
            },
            s => s.Press(Key.D3),
            s =>
            {
                Assert.Same(s.Main.Capture, s.Main.ZoomedPane);
                Assert.Same(s.Main.Capture, s.Main.FocusedPane);
                Assert.Contains("Capture is not available here", s.Screen(), StringComparison.Ordinal);
            },
            s => s.Press(Key.Z),
            s => Assert.Null(s.Main.ZoomedPane),
            s => s.Press(Key.Q));
    }

    [Fact]
    public void M_ChoosingEbpfDsr_CallsSetModeAsync()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.Iptables));
        string? dialog = null;
        shell.Run(actions,
            s => s.Type(Key.M),
            s =>
            {
                Assert.IsType<ModeDialog>(s.TopDialog);
                dialog = s.Screen();
            },
            s => s.Press(Key.CursorDown),
            s => s.Press(Key.CursorDown),
            s => s.Press(Key.Enter),
            s => ShellHarness.WaitFor(() => actions.ModeCalls.Count > 0, "SetModeAsync"),
            s => s.Press(Key.Q));

        output.WriteLine(dialog);
        Assert.Contains("iptables (now)", dialog!, StringComparison.Ordinal);
        Assert.Equal([DatapathMode.EbpfDsr], actions.ModeCalls);
    }

    [Fact]
    public void M_ChoosingAuto_HandsTheDatapathBack()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.Iptables));
        string? dialog = null;
        shell.Run(actions,
            s => s.Type(Key.M),
            s => dialog = s.Screen(),
            s => s.Press(Key.CursorDown),
            s => s.Press(Key.CursorDown),
            s => s.Press(Key.CursorDown),
            s => s.Press(Key.Enter),
            s => ShellHarness.WaitFor(() => Volatile.Read(ref actions.ReleaseCalls) > 0, "ReleaseModeAsync"),
            s => s.Press(Key.Q));

        output.WriteLine(dialog);
        Assert.Contains(ModeDialog.AutoRow, dialog!, StringComparison.Ordinal);
        Assert.Empty(actions.ModeCalls);
    }

    [Fact]
    public void M_Cancelled_CallsNothing()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.Iptables));
        shell.Run(actions,
            s => s.Press(Key.M),
            s => s.Press(Key.CursorDown),
            s => s.Press(Key.Esc),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));

        Assert.Empty(actions.ModeCalls);
    }

    [Fact]
    public void M_ReadOnly_RefusedWithAMessage()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(FakeActions.Lab(readOnly: true));
        shell.Run(actions,
            s => s.Press(Key.M),
            s =>
            {
                Assert.IsNotType<ModeDialog>(s.TopDialog);
                Assert.Contains("switching the datapath is refused", Flat(s.Screen()), StringComparison.Ordinal);
            },
            s => s.Press(Key.Enter),
            s => s.AdvanceTime(),
            s => Assert.Contains("mode switch refused: read-only", Flat(s.Screen()), StringComparison.Ordinal),
            s => s.Press(Key.Q));

        Assert.Empty(actions.ModeCalls);
    }

    [Fact]
    public void R_CallsRefreshNodesAsync()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(FakeActions.Lab());
        shell.Run(actions,
            s => Assert.Equal(0, actions.RefreshCalls),
            s => s.Type(Key.R),
            s => ShellHarness.WaitFor(() => actions.RefreshCalls == 1, "RefreshNodesAsync"),
            s => s.Press(Key.Q));

        Assert.Equal(1, actions.RefreshCalls);
    }

    [Fact]
    public void R_ActionThrows_ShownInLogAndHeader_ShellKeepsRunning()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(FakeActions.Lab()) { FailWith = new InvalidOperationException("node-2 unreachable") };
        string? screen = null;
        shell.Run(actions,
            s => s.Press(Key.R),
            s => ShellHarness.WaitFor(() => actions.RefreshCalls == 1, "RefreshNodesAsync"),
            s => SpinWait.SpinUntil(() => false, 50),
            s => s.AdvanceTime(),
            s => screen = s.Screen(),
            s => s.Press(Key.Q));

        output.WriteLine(screen);
        Assert.Contains("✗ refresh nodes failed (see Log)", screen!, StringComparison.Ordinal);
        Assert.Contains("console error refresh nodes failed: InvalidOperationException: node-2", screen!, StringComparison.Ordinal);
    }

    [Fact]
    public void R_WhileARefreshRuns_DoesNotStartAnother()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(FakeActions.Lab()) { RefreshGate = new TaskCompletionSource() };
        string? screen = null;
        shell.Run(actions,
            s => s.Type(Key.R),
            s => ShellHarness.WaitFor(() => actions.RefreshCalls == 1, "first refresh"),
            s => s.Type(Key.R),
            s => s.AdvanceTime(),
            s => screen = Flat(s.Screen()),
            s => actions.RefreshGate.SetResult(),
            s => s.Press(Key.Q));

        Assert.Equal(1, actions.RefreshCalls);
        Assert.Contains("console info  refresh nodes is already running", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void M_ChoosingTheCurrentMode_SwitchesNothing()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.EbpfTunnel));
        shell.Run(actions,
            s => s.Press(Key.M),
            s => s.Press(Key.Enter),
            s => s.AdvanceTime(),
            s => Assert.Contains("already ebpf-tunnel: nothing to switch", s.Screen(), StringComparison.Ordinal),
            s => s.Press(Key.Q));

        Assert.Empty(actions.ModeCalls);
    }

    [Fact]
    public void Latest_Throws_ShownAndTheShellKeepsRunning()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(FakeActions.Lab());
        string? screen = null;
        var steps = shell.Run(actions,
            s => Assert.Contains("node-1", s.Screen(), StringComparison.Ordinal),
            s =>
            {
                actions.LatestFails = new InvalidOperationException("store closed");
                s.AdvanceTime();
            },
            s => screen = s.Screen(),
            s => s.Press(Key.Q));

        output.WriteLine(screen);
        Assert.Equal(4, steps);
        Assert.Contains("✗ reading the session state failed (see Log)", screen!, StringComparison.Ordinal);
        Assert.Contains("console error cannot read the session state: store closed", screen!, StringComparison.Ordinal);
        Assert.Contains("lab-node-1", screen!, StringComparison.Ordinal);
    }

    [Fact]
    public void Timer_PullsTheLatestSnapshot()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.EbpfTunnel));
        shell.Run(actions,
            s => Assert.Contains("mode: ebpf-tunnel", s.Screen(), StringComparison.Ordinal),
            s =>
            {
                actions.Latest = FakeActions.Lab(DatapathMode.EbpfDsr, busy: "probing nodes");
                s.AdvanceTime();
            },
            s => Assert.Contains("mode: ebpf-dsr │ busy: probing nodes", s.Screen(), StringComparison.Ordinal),
            s => s.Press(Key.Q),
            s => s.Press(Key.Q.WithAlt));
    }

    [Theory]
    [InlineData(KeyCode.Q)]
    [InlineData(KeyCode.F10)]
    [InlineData(KeyCode.Q | KeyCode.CtrlMask)]
    public void Quit_NotBusy_QuitsAtOnce(KeyCode key)
    {
        using var shell = ShellHarness.Create();

        var steps = shell.Run(new FakeActions(FakeActions.Lab()), s => s.Type(new Key(key)));

        Assert.Equal(1, steps);
    }

    [Fact]
    public void Quit_Busy_AsksFirst_EscAndEnterStay_QuitQuits()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(FakeActions.Lab(busy: "switching to ebpf-dsr"));
        string? question = null;
        var steps = shell.Run(actions,
            s => s.Type(Key.Q),
            s => question = Flat(s.Screen()),
            s => s.Press(Key.Esc),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Type(Key.F10),
            s => Assert.NotSame(s.Main, s.App.TopRunnableView),
            s => s.Type(Key.Enter),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Type(Key.Q),
            s => s.Press(Key.Q.WithAlt));

        Assert.Equal(10, steps);
        Assert.Contains("Work is running: switching to ebpf-dsr.", question, StringComparison.Ordinal);
        Assert.Contains("Quit anyway?", question, StringComparison.Ordinal);
    }

    [Fact]
    public void Esc_NotZoomed_DoesNotQuit()
    {
        using var shell = ShellHarness.Create();

        var steps = shell.Run(new FakeActions(FakeActions.Lab()),
            s => s.Press(Key.Esc),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));

        Assert.Equal(3, steps);
    }
}
