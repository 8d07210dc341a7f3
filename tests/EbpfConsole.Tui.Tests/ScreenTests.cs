using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Shell;
using EbpfConsole.Tui.Panes;
using Terminal.Gui.Drawing;
using Xunit.Abstractions;

namespace EbpfConsole.Tui.Tests;

/// <summary>The main screen drawn headless at the sizes on-call engineers use.</summary>
public class ScreenTests(ITestOutputHelper output)
{
    public static TheoryData<int, int> Sizes => new() { { 80, 24 }, { 120, 40 } };

    private string Render(int width, int height, ConsoleSnapshot snapshot, bool noColor = false, Action<ShellHarness>? inspect = null)
    {
        var screen = ShellHarness.RenderMain(width, height, snapshot, noColor, inspect);
        output.WriteLine(screen);
        return screen;
    }

    private static string[] Lines(string screen) => screen.TrimEnd('\n', '\r').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MainScreen_AllFourPaneTitlesVisible(int width, int height)
    {
        var screen = Render(width, height, FakeActions.Lab());

        Assert.Contains("┤1 Nodes├", screen, StringComparison.Ordinal);
        Assert.Contains("┤2 Checklist├", screen, StringComparison.Ordinal);
        Assert.Contains("┤3 Capture├", screen, StringComparison.Ordinal);
        Assert.Contains("┤4 Log├", screen, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MainScreen_BothNodesWithGlyphHostnameKernel(int width, int height)
    {
        var lines = Lines(Render(width, height, FakeActions.Lab()));

        var up = Assert.Single(lines, l => l.Contains("node-1 10.99.0.11", StringComparison.Ordinal));
        Assert.Matches(@"node-1 10\.99\.0\.11 +✓ up +lab-node-1 +6\.8\.0-49-generic", up);
        var down = Assert.Single(lines, l => l.Contains("node-2 10.99.0.12", StringComparison.Ordinal));
        Assert.Matches(@"node-2 10\.99\.0\.12 +✗ down +- +- +ssh: connect to", down);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MainScreen_UnreachableNodeSelected_FullErrorUnderTheTable(int width, int height)
    {
        var snapshot = FakeActions.Lab() with { Nodes = [FakeActions.Down, FakeActions.Up] };

        var screen = Render(width, height, snapshot);

        // Word-wrapped to the pane's width at 80 columns: compare without the frame and line breaks.
        var text = string.Join(" ", Lines(screen).Select(l => l.Trim().Trim('│').Trim()));
        Assert.Contains("node-2 (10.99.0.12): ✗ down — ssh: connect to 10.99.0.12:22: Connection refused", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MainScreen_HeaderShowsTargetModeReadOnlyAndBusy(int width, int height)
    {
        var lines = Lines(Render(width, height, FakeActions.Lab(DatapathMode.EbpfTunnel, "switching to ebpf-dsr", readOnly: true)));

        Assert.StartsWith("ebpf-console │ lab │ mode: ebpf-tunnel │ READ-ONLY │ busy: switching to ebpf-dsr", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void MainScreen_UnknownModeAndWritable_QuestionMarkNoReadOnly()
    {
        var lines = Lines(Render(80, 24, FakeActions.Lab(mode: null)));

        Assert.Equal("ebpf-console │ lab │ mode: ?", lines[0].TrimEnd());
        Assert.DoesNotContain(lines, l => l.Contains("READ-ONLY", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MainScreen_StatusBarOnLastLine_FramesEndAboveIt(int width, int height)
    {
        var lines = Lines(Render(width, height, FakeActions.Lab()));

        Assert.Equal(height, lines.Length);
        // The Nodes pane has the focus: its keys, and of the main ones those shown everywhere.
        Assert.Equal("F1  Help │ z  Zoom │ Enter  Detail │ r/R Re-run │ q  Quit │ ebpf-tunnel", lines[^1].Trim());
        Assert.Matches("^╰─+╯$", lines[^2]);
        Assert.Equal(width, lines[^2].Length);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MainScreen_NoMigrationNorCaptureEngine_SayNotAvailableAndInventNothing(int width, int height)
    {
        var checklist = "";
        var text = string.Join(" ", Lines(Render(width, height, FakeActions.Lab(), inspect: s => checklist = s.Main.Checklist.UnavailableText)).Select(l => l.Trim()));

        Assert.Contains("No migration checklist", text, StringComparison.Ordinal);
        Assert.Equal(Presenters.ChecklistPresenter.NotAvailable, checklist);
        Assert.Contains("in this console: it was started without the migration engine", checklist, StringComparison.Ordinal);
        Assert.Contains("Capture is not available here:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("M1 ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SNAT", text, StringComparison.Ordinal);
    }

    [Fact]
    public void MainScreen_LogNewestAtTheBottom()
    {
        var lines = Lines(Render(80, 24, FakeActions.Lab()));

        var first = Array.FindIndex(lines, l => l.Contains("12:00:00 lab info  lab is up: 2 nodes", StringComparison.Ordinal));
        var second = Array.FindIndex(lines, l => l.Contains("12:00:02 ssh error node-2: connection refused", StringComparison.Ordinal));
        Assert.True(first > 0 && second == first + 1, $"lines {first}, {second}");
    }

    [Fact]
    public void LogPane_ManyEvents_FollowsTheNewest()
    {
        var events = Enumerable.Range(1, 60)
            .Select(i => new Core.Events.ConsoleEvent(FakeActions.T0.AddSeconds(i), "lab", Core.Events.EventLevel.Info, $"event {i:00}"))
            .ToArray();

        var screen = Render(80, 24, FakeActions.Lab() with { Events = events });

        Assert.Contains("event 60", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("event 01", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_SameSnapshotTwice_SecondIsNoOp()
    {
        using var main = new MainWindow(Keymap.Default, TimeZoneInfo.Utc);
        var snapshot = FakeActions.Lab();

        Assert.True(main.Apply(snapshot));
        Assert.False(main.Apply(snapshot));
        Assert.True(main.Apply(snapshot with { Busy = "probing" }));
        Assert.Contains("busy: probing", main.HeaderText, StringComparison.Ordinal);
    }

    [Fact]
    public void NoColor_EveryCellUsesTheTerminalsOwnColours()
    {
        var colours = new List<Color>();
        Render(80, 24, FakeActions.Lab(), noColor: true, inspect: h => colours.AddRange(CellColours(h)));
        var colouredDefault = new List<Color>();
        Render(80, 24, FakeActions.Lab(), noColor: false, inspect: h => colouredDefault.AddRange(CellColours(h)));

        Assert.Equal(80 * 24 * 2, colours.Count);
        Assert.All(colours, c => Assert.Equal(Color.None, c));
        Assert.Contains(colouredDefault, c => c != Color.None);
    }

    [Fact]
    public void NoColor_DialogsToo_NoColourAnywhere()
    {
        using var shell = ShellHarness.Create();
        var colours = new Dictionary<string, List<Color>>();
        void Collect(ShellHarness s, string name)
        {
            s.Screen();
            colours[name] = CellColours(s).ToList();
        }

        shell.Run(
            new FakeActions(FakeActions.Lab(busy: "probing nodes")),
            new ConsoleOptions { NoColor = true, Time = new TestTime() },
            s => s.Press(Terminal.Gui.Input.Key.F1),
            s => Collect(s, "help"),
            s => s.Press(Terminal.Gui.Input.Key.Esc),
            s => s.Press(Terminal.Gui.Input.Key.M),
            s => Collect(s, "mode"),
            s => s.Press(Terminal.Gui.Input.Key.Esc),
            s => s.Press(Terminal.Gui.Input.Key.Q),
            s => Collect(s, "quit?"),
            s => s.Press(Terminal.Gui.Input.Key.Q.WithAlt));

        Assert.Equal(["help", "mode", "quit?"], colours.Keys);
        Assert.All(colours, pair => Assert.True(pair.Value.All(c => c == Color.None), $"{pair.Key} has colour"));
    }

    private static IEnumerable<Color> CellColours(ShellHarness harness)
    {
        var contents = harness.App.Driver!.Contents!;
        for (var row = 0; row < contents.GetLength(0); row++)
        {
            for (var col = 0; col < contents.GetLength(1); col++)
            {
                var attribute = contents[row, col].Attribute ?? default;
                yield return attribute.Foreground;
                yield return attribute.Background;
            }
        }
    }
}
