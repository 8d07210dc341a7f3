using EbpfConsole.Core.Capture;
using EbpfConsole.Tui.Dialogs;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Xunit.Abstractions;
using static EbpfConsole.Tui.Tests.CaptureSamples;

namespace EbpfConsole.Tui.Tests;

/// <summary>Choosing the capture points (Shift+S or a): the dialog, its validation and where the capture starts.</summary>
public class CapturePointsTests(ITestOutputHelper output)
{
    public static TheoryData<int, int> Sizes => new() { { 80, 24 }, { 120, 40 } };

    private static FakeActions Lab() => new(FakeActions.Lab());

    private static Action<ShellHarness> WaitForStarts(FakeCapture capture, int count) =>
        _ => ShellHarness.WaitFor(() => { lock (capture.StartCalls) { return capture.StartCalls.Count == count; } }, $"{count} StartAsync calls");

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ShiftS_NothingStartedYet_PrefilledWithTheDefaultPoints_EnterStartsThere(int width, int height)
    {
        using var shell = ShellHarness.Create(width, height);
        var capture = new FakeCapture();
        string? screen = null;
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Type(Key.S.WithShift),
            s =>
            {
                Assert.IsType<PointsDialog>(s.TopDialog);
                screen = s.Screen();
            },
            s => s.Press(Key.Enter),
            WaitForStarts(capture, 1),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));

        output.WriteLine(screen);
        Assert.Contains("node-1:eth0 node-2:eth0 node-2:cali1a2b3c4d5e6", screen, StringComparison.Ordinal);
        Assert.Contains("Capture points", screen, StringComparison.Ordinal);
        Assert.Equal(LabPoints, capture.StartCalls[0]);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void A_BadPoint_ErrorInTheDialogOnOneLine_DialogStaysOpen(int width, int height)
    {
        using var shell = ShellHarness.Create(width, height);
        var capture = new FakeCapture();
        PointsDialog? dialog = null;
        string? screen = null;
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Type(Key.A),
            s =>
            {
                dialog = Assert.IsType<PointsDialog>(s.TopDialog);
                dialog.PointsField.Text = "node-1:eth0 node-2";
            },
            s => s.Press(Key.Enter),
            s =>
            {
                Assert.Same(dialog, s.TopDialog);
                screen = s.Screen();
            },
            s => s.Press(Key.Esc),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));

        output.WriteLine(screen);
        Assert.Equal("capture point 'node-2' is not NODE:IFACE (for example node-1:eth0)", dialog!.ErrorText);
        Assert.DoesNotContain('\n', dialog.ErrorText);
        Assert.Contains("capture point 'node-2' is not NODE:IFACE", screen, StringComparison.Ordinal);
        Assert.Empty(capture.StartCalls);
    }

    [Fact]
    public void A_FixedAfterAnError_StartsAtTheFixedPoints()
    {
        using var shell = ShellHarness.Create();
        var capture = new FakeCapture();
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Press(Key.A),
            s => Assert.IsType<PointsDialog>(s.TopDialog).PointsField.Text = "node-1:eth0;reboot",
            s => s.Press(Key.Enter),
            s => Assert.Contains("is not a Linux interface name", Assert.IsType<PointsDialog>(s.TopDialog).ErrorText, StringComparison.Ordinal),
            s => Assert.IsType<PointsDialog>(s.TopDialog).PointsField.Text = "node-1:eth0, node-1:eth0 node-2:any",
            s => s.Press(Key.Enter),
            WaitForStarts(capture, 1),
            s => s.Press(Key.Q));

        Assert.Equal([Node1, new CapturePoint("node-2", "any")], capture.StartCalls[0]);
    }

    [Fact]
    public void A_EscCancels_NothingStarted()
    {
        using var shell = ShellHarness.Create();
        var capture = new FakeCapture();
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Press(Key.A),
            s => Assert.IsType<PointsDialog>(s.TopDialog),
            s => s.Press(Key.Esc),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.AdvanceTime(),
            s => s.Press(Key.Q));

        Assert.Empty(capture.StartCalls);
    }

    [Fact]
    public void A_CancelButton_NothingStartedEvenWithBadText()
    {
        using var shell = ShellHarness.Create();
        var capture = new FakeCapture();
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Press(Key.A),
            s =>
            {
                var dialog = Assert.IsType<PointsDialog>(s.TopDialog);
                dialog.PointsField.Text = "bad";
                dialog.Buttons[0].SetFocus();
            },
            s => s.Press(Key.Enter),
            s => output.WriteLine($"{(s.TopDialog as PointsDialog)?.ErrorText} {(s.TopDialog as PointsDialog)?.Result}"),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));

        Assert.Empty(capture.StartCalls);
    }

    [Fact]
    public void A_AfterChosenPoints_PrefilledWithThoseNotTheDefaults()
    {
        using var shell = ShellHarness.Create(120, 40);
        var capture = new FakeCapture();
        string? second = null;
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Press(Key.A),
            s => Assert.IsType<PointsDialog>(s.TopDialog).PointsField.Text = "node-2:eth0",
            s => s.Press(Key.Enter),
            WaitForStarts(capture, 1),
            s => s.Press(Key.A),
            s => second = Assert.IsType<PointsDialog>(s.TopDialog).PointsField.Text,
            s => s.Press(Key.Esc),
            s => s.Press(Key.Q));

        Assert.Equal("node-2:eth0", second);
    }

    [Fact]
    public void A_CaptureShownWithItsOwnPoints_PrefilledWithThose()
    {
        using var shell = ShellHarness.Create(120, 40);
        var capture = new FakeCapture(Mode(DatapathVerdict.EbpfDsr) with { Points = [new PointStats(Node2, 10, 0, 0, 0)] }) { IsRunning = true };
        string? text = null;
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Press(Key.A),
            s => text = Assert.IsType<PointsDialog>(s.TopDialog).PointsField.Text,
            s => s.Press(Key.Esc),
            s => s.Press(Key.Q));

        Assert.Equal("node-2:eth0", text);
    }

    [Fact]
    public void A_AnotherPaneFocused_NoDialog()
    {
        using var shell = ShellHarness.Create();
        shell.Run(Lab(), new FakeCapture(),
            s => s.Type(Key.A),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));
    }

    [Fact]
    public void A_NoCaptureEngine_SaysNotAvailable()
    {
        using var shell = ShellHarness.Create(120, 40);
        string? log = null;
        shell.Run(Lab(), (FakeCapture?)null,
            s => s.Press(Key.D3),
            s => s.Press(Key.A),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.AdvanceTime(),
            s => log = string.Join("\n", s.Main.Log.Lines),
            s => s.Press(Key.Q));

        Assert.Contains("capture is not available here: choose points ignored", log, StringComparison.Ordinal);
    }

    [Fact]
    public void NoColor_PointsDialogWithAnError_NoColourAnywhere()
    {
        using var shell = ShellHarness.Create();
        var colours = new List<Color>();
        string? screen = null;
        shell.Run(Lab(), new FakeCapture(), new ConsoleOptions { Time = new TestTime(), NoColor = true },
            s => s.Press(Key.D3),
            s => s.Press(Key.A),
            s => Assert.IsType<PointsDialog>(s.TopDialog).PointsField.Text = "eth0",
            s => s.Press(Key.Enter),
            s =>
            {
                screen = s.Screen();
                foreach (var cell in s.App.Driver!.Contents!)
                {
                    colours.Add(cell.Attribute?.Foreground ?? default);
                    colours.Add(cell.Attribute?.Background ?? default);
                }
            },
            s => s.Press(Key.Esc),
            s => s.Press(Key.Q));

        Assert.Contains("capture point 'eth0' is not NODE:IFACE", screen, StringComparison.Ordinal);
        Assert.All(colours, c => Assert.Equal(Color.None, c));
    }

    [Theory]
    [InlineData("node-1:eth0", null)]
    [InlineData("  node-1:eth0,node-2:eth0  ", null)]
    [InlineData("", "give at least one capture point, for example node-1:eth0")]
    [InlineData("   ", "give at least one capture point, for example node-1:eth0")]
    [InlineData("node-1:eth0 :eth0", "capture point ':eth0' is not NODE:IFACE (for example node-1:eth0)")]
    [InlineData("node-1:-i", "capture point 'node-1:-i': interface '-i' is not a Linux interface name")]
    [InlineData("node$(x):eth0", "capture point 'node$(x):eth0': node 'node$(x)' may only contain")]
    public void TryParse_SaysTheFirstProblem(string text, string? problem)
    {
        var error = PointsDialog.TryParse(text, out var points);

        if (problem is null)
        {
            Assert.Null(error);
            Assert.NotEmpty(points);
        }
        else
        {
            Assert.StartsWith(problem, error, StringComparison.Ordinal);
            Assert.Empty(points);
        }
    }
}
