using System.Text.RegularExpressions;
using EbpfConsole.Core.Capture;
using EbpfConsole.Tui.Dialogs;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Xunit.Abstractions;
using static EbpfConsole.Tui.Tests.CaptureSamples;

namespace EbpfConsole.Tui.Tests;

/// <summary>The Capture pane drawn headless by the real shell, at 80x24 and 120x40.</summary>
public class CaptureScreenTests(ITestOutputHelper output)
{
    public static TheoryData<int, int> Sizes => new() { { 80, 24 }, { 120, 40 } };

    /// <summary>Runs the shell with <paramref name="capture"/>, focuses the pane (and zooms it), returns the screen.</summary>
    private string Show(int width, int height, FakeCapture capture, bool zoom, bool noColor = false, Action<ShellHarness>? inspect = null)
    {
        using var shell = ShellHarness.Create(width, height);
        string? screen = null;
        var options = new ConsoleOptions { Time = new TestTime(), NoColor = noColor };
        shell.Run(new FakeActions(FakeActions.Lab()), capture, options,
            s => s.Press(Key.D3),
            s =>
            {
                if (zoom)
                {
                    s.Press(Key.Z);
                }
            },
            s =>
            {
                screen = s.Screen();
                inspect?.Invoke(s);
            },
            s => s.Press(Key.Q));
        output.WriteLine(screen);
        return screen!;
    }

    private static string[] Lines(string screen) => screen.TrimEnd('\n', '\r').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    private static string Flat(string screen) => string.Join(" ", Lines(screen).Select(l => l.Trim().Trim('│').Trim()));

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Idle_NothingCaptured_SaysIdleAndUnknown(int width, int height)
    {
        var screen = Show(width, height, new FakeCapture(), zoom: false);

        Assert.Contains("┤3 Capture├", screen, StringComparison.Ordinal);
        Assert.Contains("○ idle", screen, StringComparison.Ordinal);
        Assert.Contains("[ ? ]", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("not available", screen, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Focused_StatusBarShowsTheCaptureKeys(int width, int height)
    {
        var lines = Lines(Show(width, height, new FakeCapture(), zoom: false));

        Assert.Equal("F1  Help │ z  Zoom │ s/x Start/Stop │ p Pin │ c Compare │ q  Quit │ ebpf-tunnel", lines[^1].Trim());
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Capturing_EachVerdict_RowsWithBadgesPodSawAndReply(int width, int height)
    {
        var capture = new FakeCapture(Mixed()) { IsRunning = true };

        var lines = Lines(Show(width, height, capture, zoom: true));

        Assert.Contains(lines, l => Regex.IsMatch(l, "● (capturing at 3 points for|3 pts) 00:00"));
        Assert.Contains(lines, l => l.Contains("[MIX] mixed", StringComparison.Ordinal));
        Assert.Contains(lines, l => Regex.IsMatch(l, "2,400 (packets|pkts) · 0 drop(ped)? · 2 (malformed|bad)"));
        Assert.Contains(lines, l => l.Contains("Evidence: connections disagree", StringComparison.Ordinal));
        Assert.Single(lines, l => Regex.IsMatch(l, @"TIME +VERDICT +CLIENT +POD SAW +REPLY +TUN"));
        Assert.Single(lines, l => Regex.IsMatch(l, @"12:00:00 +\[SNAT\] +10\.99\.0\.100:60100 +SNAT node-1 10\.99\.0\.11 +via node-1 +yes"));
        Assert.Single(lines, l => Regex.IsMatch(l, @"12:00:01 +\[TUN\] +10\.99\.0\.100:60101 +client IP +via node-1 +yes"));
        Assert.Single(lines, l => Regex.IsMatch(l, @"12:00:02 +\[DSR\] +10\.99\.0\.101:60102 +client IP +DSR from node-2 +yes"));
        Assert.Single(lines, l => Regex.IsMatch(l, @"12:00:03 +\[ \? \] +10\.99\.0\.100:60103 +\? +\? +-"));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Capturing_NewestLastAndSelected_DetailUnderTheTable(int width, int height)
    {
        var screen = Show(width, height, new FakeCapture(Mixed()) { IsRunning = true }, zoom: true);

        Assert.Contains("#4 10.99.0.100:60103 → 10.99.0.11:30604: [ ? ] unknown — no packet towards the pod", Flat(screen), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Unzoomed_StatusLineAndBadgeVisible(int width, int height)
    {
        var screen = Show(width, height, new FakeCapture(Mode(DatapathVerdict.EbpfDsr)) { IsRunning = true }, zoom: false);

        Assert.Contains("[DSR]", screen, StringComparison.Ordinal);
        Assert.Contains("●", screen, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void FailedPoint_ItsErrorAndTheDropsAreShown(int width, int height)
    {
        var snapshot = Snapshot([Connection(1, DatapathVerdict.EbpfTunnel)], DatapathVerdict.EbpfTunnel, "tunnel",
            Stats(dropped: 31, failure: "node-2: tcpdump: cali1a2b3c4d5e6: No such device exists"));

        var screen = Show(width, height, new FakeCapture(snapshot) { IsRunning = true }, zoom: true);

        Assert.Contains("Points: node-2:cali1a2b3c4d5e6 ✗ node-2: tcpdump: cali1a2b3c4d5e6: No such", screen, StringComparison.Ordinal);
        Assert.Contains("⚠ 31 DROPPED", screen, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Compare_ThreePins_OneColumnEach(int width, int height)
    {
        var capture = new FakeCapture(Mode(DatapathVerdict.EbpfDsr));
        capture.AddPin("baseline", Mode(DatapathVerdict.IptablesSnat));
        capture.AddPin("ebpf-tunnel", Mode(DatapathVerdict.EbpfTunnel));
        capture.AddPin("ebpf-dsr", Mode(DatapathVerdict.EbpfDsr));
        using var shell = ShellHarness.Create(width, height);
        string? screen = null;
        shell.Run(new FakeActions(FakeActions.Lab()), capture,
            s => s.Press(Key.D3),
            s => s.Press(Key.C),
            s =>
            {
                Assert.IsType<TextDialog>(s.TopDialog);
                screen = s.Screen();
            },
            s => s.Press(Key.Esc),
            s => s.Press(Key.Q));
        output.WriteLine(screen);

        var lines = Lines(screen!);
        Assert.Single(lines, l => Regex.IsMatch(l, @"│ baseline +│ ebpf-tunnel +│ ebpf-dsr"));
        Assert.Single(lines, l => Regex.IsMatch(l, @"verdict +│ \[SNAT\].*│ \[TUN\] ebpf-tunnel +│ \[DSR\] ebpf-dsr"));
        Assert.Single(lines, l => Regex.IsMatch(l, @"pod saw +│ SNAT node-1 .*│ client IP ×3 +│ client IP ×3"));
        Assert.Single(lines, l => Regex.IsMatch(l, @"reply +│ via node-1 ×3 +│ via node-1 ×3 +│ DSR from node-2"));
        Assert.Contains(lines, l => l.Contains("evidence", StringComparison.Ordinal));
    }

    [Fact]
    public void NoColor_CapturingWithDrops_BadgesReadableAndNoColourAnywhere()
    {
        var colours = new List<Color>();
        var snapshot = Mixed() with { Points = Stats(dropped: 4) };

        var screen = Show(80, 24, new FakeCapture(snapshot) { IsRunning = true }, zoom: true, noColor: true, inspect: h =>
        {
            var contents = h.App.Driver!.Contents!;
            foreach (var cell in contents)
            {
                colours.Add(cell.Attribute?.Foreground ?? default);
                colours.Add(cell.Attribute?.Background ?? default);
            }
        });

        Assert.All(colours, c => Assert.Equal(Color.None, c));
        foreach (var badge in new[] { "[SNAT]", "[TUN]", "[DSR]", "[ ? ]", "[MIX]", "⚠ 4 DROPPED" })
        {
            Assert.Contains(badge, screen, StringComparison.Ordinal);
        }
    }
}
