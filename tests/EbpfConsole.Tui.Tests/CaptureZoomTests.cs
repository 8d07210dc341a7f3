using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Datapath;
using EbpfConsole.Tui.Dialogs;
using Terminal.Gui.Input;
using Xunit.Abstractions;
using static EbpfConsole.Tui.Tests.CaptureSamples;

namespace EbpfConsole.Tui.Tests;

/// <summary>Starting a capture on a short screen zooms the Capture pane; z and Esc give the four panes back.</summary>
public class CaptureZoomTests(ITestOutputHelper output)
{
    private static FakeActions Lab() => new(FakeActions.Lab());

    private static string[] Lines(string screen) => screen.TrimEnd('\n', '\r').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    private static Action<ShellHarness> WaitForStarts(FakeCapture capture, int count) =>
        _ => ShellHarness.WaitFor(() => { lock (capture.StartCalls) { return capture.StartCalls.Count == count; } }, $"{count} StartAsync calls");

    [Fact]
    public void S_At80x24_ZoomsTheCapturePane_EveryConnectionVisible()
    {
        using var shell = ShellHarness.Create(80, 24);
        var capture = new FakeCapture(Mixed());
        string? before = null;
        string? after = null;
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => before = s.Screen(),
            s => s.Type(Key.S),
            WaitForStarts(capture, 1),
            s => s.AdvanceTime(),
            s =>
            {
                Assert.Same(s.Main.Capture, s.Main.ZoomedPane);
                Assert.Same(s.Main.Capture, s.Main.FocusedPane);
                after = s.Screen();
            },
            s => s.Press(Key.Q));

        output.WriteLine(before);
        output.WriteLine(after);
        Assert.Contains("┤1 Nodes├", before, StringComparison.Ordinal);
        Assert.DoesNotContain("┤1 Nodes├", after, StringComparison.Ordinal);
        foreach (var port in new[] { "60100", "60101", "60102", "60103" })
        {
            Assert.Contains(Lines(after!), l => l.Contains($":{port} ", StringComparison.Ordinal));
        }

        Assert.Contains("Evidence: connections disagree", after, StringComparison.Ordinal);
        Assert.Contains("Points: node-1:eth0", after, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Esc")]
    [InlineData("z")]
    public void AutoZoomed_EscOrZ_GivesTheFourPanesBackWithTheCapturePaneFocused(string key)
    {
        using var shell = ShellHarness.Create(80, 24);
        var capture = new FakeCapture(Mixed());
        string? screen = null;
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Type(Key.S),
            s => Assert.Same(s.Main.Capture, s.Main.ZoomedPane),
            s => s.Press(key == "z" ? Key.Z : Key.Esc),
            s =>
            {
                Assert.Null(s.Main.ZoomedPane);
                Assert.Same(s.Main.Capture, s.Main.FocusedPane);
                screen = s.Screen();
            },
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));

        Assert.Contains("┤1 Nodes├", screen, StringComparison.Ordinal);
        Assert.Contains("┤4 Log├", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void S_At120x40_KeepsTheFourPanes()
    {
        using var shell = ShellHarness.Create(120, 40);
        var capture = new FakeCapture(Mixed());
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Type(Key.S),
            WaitForStarts(capture, 1),
            s => Assert.Null(s.Main.ZoomedPane),
            s => s.Press(Key.Q));
    }

    [Fact]
    public void S_AgainAfterUnzoom_ZoomsAgain()
    {
        using var shell = ShellHarness.Create(80, 24);
        var capture = new FakeCapture(Mixed());
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Type(Key.S),
            WaitForStarts(capture, 1),
            s => s.Press(Key.Esc),
            s => Assert.Null(s.Main.ZoomedPane),
            s => s.Type(Key.S),
            WaitForStarts(capture, 2),
            s => Assert.Same(s.Main.Capture, s.Main.ZoomedPane),
            s => s.Press(Key.Q));
    }

    [Fact]
    public void PointsDialogStart_At80x24_ZoomsTheCapturePane()
    {
        using var shell = ShellHarness.Create(80, 24);
        var capture = new FakeCapture();
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Press(Key.A),
            s => Assert.IsType<PointsDialog>(s.TopDialog),
            s => s.Press(Key.Enter),
            WaitForStarts(capture, 1),
            s => Assert.Same(s.Main.Capture, s.Main.ZoomedPane),
            s => s.Press(Key.Q));
    }

    [Fact]
    public void PointsDialogCancelled_At80x24_NoZoom()
    {
        using var shell = ShellHarness.Create(80, 24);
        shell.Run(Lab(), new FakeCapture(),
            s => s.Press(Key.D3),
            s => s.Press(Key.A),
            s => s.Press(Key.Esc),
            s => Assert.Null(s.Main.ZoomedPane),
            s => s.Press(Key.Q));
    }

    [Fact]
    public void ModeChangeRestart_At80x24_LeavesTheLayoutAlone()
    {
        using var shell = ShellHarness.Create(80, 24);
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.Iptables));
        var capture = new FakeCapture(Mode(DatapathVerdict.IptablesSnat)) { IsRunning = true };
        shell.Run(actions, capture,
            s =>
            {
                actions.Latest = FakeActions.Lab(DatapathMode.EbpfTunnel);
                s.AdvanceTime();
            },
            WaitForStarts(capture, 1),
            s => Assert.Null(s.Main.ZoomedPane),
            s => Assert.Same(s.Main.Nodes, s.Main.FocusedPane),
            s => s.Press(Key.Q));
    }

    [Fact]
    public void CapturePaneZoomedByHand_S_StaysZoomed_ZUnzooms()
    {
        using var shell = ShellHarness.Create(80, 24);
        var capture = new FakeCapture();
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Type(Key.Z),
            s => s.Type(Key.S),
            WaitForStarts(capture, 1),
            s => Assert.Same(s.Main.Capture, s.Main.ZoomedPane),
            s => s.Type(Key.Z),
            s => Assert.Null(s.Main.ZoomedPane),
            s => s.Press(Key.Q));
    }

    [Fact]
    public void NoColor_AutoZoomed_NoColourAnywhere()
    {
        using var shell = ShellHarness.Create(80, 24);
        var capture = new FakeCapture(Mixed());
        var colours = new List<Terminal.Gui.Drawing.Color>();
        shell.Run(Lab(), capture, new ConsoleOptions { Time = new TestTime(), NoColor = true },
            s => s.Press(Key.D3),
            s => s.Type(Key.S),
            WaitForStarts(capture, 1),
            s =>
            {
                Assert.Contains("[MIX]", s.Screen(), StringComparison.Ordinal);
                foreach (var cell in s.App.Driver!.Contents!)
                {
                    colours.Add(cell.Attribute?.Foreground ?? default);
                    colours.Add(cell.Attribute?.Background ?? default);
                }
            },
            s => s.Press(Key.Q));

        Assert.All(colours, c => Assert.Equal(Terminal.Gui.Drawing.Color.None, c));
    }
}
