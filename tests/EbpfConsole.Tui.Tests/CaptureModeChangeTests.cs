using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Datapath;
using EbpfConsole.Tui.Dialogs;
using Terminal.Gui.Input;
using Xunit.Abstractions;
using static EbpfConsole.Tui.Tests.CaptureSamples;

namespace EbpfConsole.Tui.Tests;

/// <summary>A datapath mode change under a running capture: the capture so far is pinned and a fresh one starts.</summary>
public class CaptureModeChangeTests(ITestOutputHelper output)
{
    public static TheoryData<int, int> Sizes => new() { { 80, 24 }, { 120, 40 } };

    private static string Flat(string screen) =>
        string.Join(" ", screen.Split('\n').Select(l => l.Trim().Trim('│', '┃').Trim()));

    /// <summary>The session now reports <paramref name="mode"/> (switched with m here or with lab mode elsewhere).</summary>
    private static Action<ShellHarness> ModeBecomes(FakeActions actions, DatapathMode? mode) => s =>
    {
        actions.Latest = FakeActions.Lab(mode);
        s.AdvanceTime();
    };

    private static Action<ShellHarness> WaitForStarts(FakeCapture capture, int count) =>
        _ => ShellHarness.WaitFor(() => { lock (capture.StartCalls) { return capture.StartCalls.Count == count; } }, $"{count} StartAsync calls");

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ModeChanges_TwiceWithTraffic_PinsEachCaptureAndComparesAllThree(int width, int height)
    {
        using var shell = ShellHarness.Create(width, height);
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.Iptables));
        var capture = new FakeCapture(Mode(DatapathVerdict.IptablesSnat));
        TextDialog? compare = null;
        string? screen = null;
        string? log = null;
        shell.Run(actions, capture,
            s => s.Press(Key.D3),
            s => s.Type(Key.S),
            WaitForStarts(capture, 1),
            ModeBecomes(actions, DatapathMode.EbpfTunnel),
            WaitForStarts(capture, 2),
            s => capture.Latest = Mode(DatapathVerdict.EbpfTunnel),
            ModeBecomes(actions, DatapathMode.EbpfDsr),
            WaitForStarts(capture, 3),
            s =>
            {
                capture.Latest = Mode(DatapathVerdict.EbpfDsr);
                s.AdvanceTime();
            },
            s => s.Main.Unzoom(),
            s =>
            {
                screen = Flat(s.Screen());
                log = string.Join("\n", s.Main.Log.Lines);
            },
            s => s.Press(Key.C),
            s => compare = Assert.IsType<TextDialog>(s.TopDialog),
            s => output.WriteLine(s.Screen()),
            s => s.Press(Key.Esc),
            s => s.Press(Key.Q));

        output.WriteLine(screen);
        Assert.Equal(["baseline", "ebpf-tunnel"], capture.Pinned.Select(p => p.Name));
        Assert.Equal([DatapathVerdict.IptablesSnat, DatapathVerdict.EbpfTunnel], capture.Pinned.Select(p => p.Classification.Verdict));
        Assert.All(capture.StartCalls, points => Assert.Empty(points));
        Assert.Contains("console info  mode changed to ebpf-tunnel: pinned the capture so far", screen, StringComparison.Ordinal);
        Assert.Contains("mode changed to ebpf-tunnel: pinned the capture so far as 'baseline', capturing afresh", log, StringComparison.Ordinal);
        Assert.Contains("mode changed to ebpf-dsr: pinned the capture so far as 'ebpf-tunnel', capturing afresh", log, StringComparison.Ordinal);
        Assert.Matches(@"│ baseline +│ ebpf-tunnel +│ \(current\)", compare!.Lines[0]);
        Assert.Matches(@"verdict +│ \[SNAT\].*│ \[TUN\] ebpf-tunnel +│ \[DSR\] ebpf-dsr", compare.Lines[2]);
    }

    [Fact]
    public void ModeChanges_WhileAMigrationStepRuns_LeaveItsProofCaptureAlone()
    {
        using var shell = ShellHarness.Create(120, 40);
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.EbpfTunnel));
        var capture = new FakeCapture(Mode(DatapathVerdict.EbpfDsr)) { IsRunning = true };
        var migration = new Checklist.FakeMigration(Checklist.FakeMigration.Snapshot() with { Running = Core.Migration.StepId.M7 });
        string? log = null;
        shell.Run(actions, capture, migration,
            s => s.AdvanceTime(),
            ModeBecomes(actions, DatapathMode.EbpfDsr),
            s => s.AdvanceTime(),
            s => log = string.Join("\n", s.Main.Log.Lines),
            s => s.Press(Key.Q));

        Assert.Empty(capture.StartCalls); // M7's proof capture is not cut in two by the mode change it causes
        Assert.Empty(capture.Pinned);
        Assert.DoesNotContain("capturing afresh", log, StringComparison.Ordinal);
    }

    [Fact]
    public void ModeChanges_NameTaken_PinsUnderTheNextFreeNumber()
    {
        using var shell = ShellHarness.Create(120, 40);
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.Iptables));
        var capture = new FakeCapture(Mode(DatapathVerdict.IptablesSnat)) { IsRunning = true };
        capture.AddPin("baseline", Mode(DatapathVerdict.IptablesSnat));
        capture.AddPin("Baseline-2", Mode(DatapathVerdict.IptablesSnat));
        string? screen = null;
        shell.Run(actions, capture,
            ModeBecomes(actions, DatapathMode.EbpfDsr),
            WaitForStarts(capture, 1),
            s => s.AdvanceTime(),
            s => screen = Flat(s.Screen()),
            s => s.Press(Key.Q));

        Assert.Equal(["baseline", "Baseline-2", "baseline-3"], capture.Pinned.Select(p => p.Name));
        Assert.Contains("pinned the capture so far as 'baseline-3'", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void ModeChanges_NoConnectionYet_NothingPinnedButCapturesAfresh()
    {
        using var shell = ShellHarness.Create(120, 40);
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.Iptables));
        var capture = new FakeCapture(CaptureSnapshot.Empty with { Points = Stats() }) { IsRunning = true };
        string? screen = null;
        shell.Run(actions, capture,
            ModeBecomes(actions, DatapathMode.EbpfTunnel),
            WaitForStarts(capture, 1),
            s => s.AdvanceTime(),
            s => screen = Flat(s.Screen()),
            s => s.Press(Key.Q));

        Assert.Empty(capture.Pinned);
        Assert.Contains("mode changed to ebpf-tunnel: no connection captured so far, nothing pinned, capturing afresh", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void ModeChanges_CaptureStartedAtChosenPoints_RestartsAtThoseSamePoints()
    {
        using var shell = ShellHarness.Create(120, 40);
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.EbpfTunnel));
        var capture = new FakeCapture(Mode(DatapathVerdict.EbpfTunnel));
        shell.Run(actions, capture,
            s => s.Press(Key.D3),
            s => s.Press(Key.A),
            s => Assert.IsType<PointsDialog>(s.TopDialog).PointsField.Text = "node-1:eth0 node-2:vxlan.calico",
            s => s.Press(Key.Enter),
            WaitForStarts(capture, 1),
            ModeBecomes(actions, DatapathMode.EbpfDsr),
            WaitForStarts(capture, 2),
            s => s.Press(Key.Q));

        IReadOnlyList<CapturePoint> chosen = [Node1, new("node-2", "vxlan.calico")];
        Assert.Equal(chosen, capture.StartCalls[0]);
        Assert.Equal(chosen, capture.StartCalls[1]);
    }

    [Fact]
    public void ModeChanges_CaptureStartedElsewhere_RestartsAtTheCapturesOwnPoints()
    {
        using var shell = ShellHarness.Create(120, 40);
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.EbpfTunnel));
        var capture = new FakeCapture(Mode(DatapathVerdict.EbpfTunnel)) { IsRunning = true };
        shell.Run(actions, capture,
            ModeBecomes(actions, DatapathMode.EbpfDsr),
            WaitForStarts(capture, 1),
            s => s.Press(Key.Q));

        Assert.Equal(LabPoints, capture.StartCalls[0]);
    }

    [Fact]
    public void ModeChanges_NoCaptureRunning_NothingPinnedNothingStarted()
    {
        using var shell = ShellHarness.Create(120, 40);
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.Iptables));
        var capture = new FakeCapture(Mode(DatapathVerdict.IptablesSnat));
        string? screen = null;
        shell.Run(actions, capture,
            ModeBecomes(actions, DatapathMode.EbpfDsr),
            s => s.AdvanceTime(),
            s => screen = Flat(s.Screen()),
            s => s.Press(Key.Q));

        Assert.Empty(capture.StartCalls);
        Assert.Empty(capture.Pinned);
        Assert.DoesNotContain("mode changed", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void ModeBecomesUnknownAndComesBackTheSame_NoRestart()
    {
        using var shell = ShellHarness.Create(120, 40);
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.EbpfTunnel));
        var capture = new FakeCapture(Mode(DatapathVerdict.EbpfTunnel)) { IsRunning = true };
        shell.Run(actions, capture,
            ModeBecomes(actions, null),
            s => s.AdvanceTime(),
            ModeBecomes(actions, DatapathMode.EbpfTunnel),
            s => s.AdvanceTime(),
            s => s.Press(Key.Q));

        Assert.Empty(capture.StartCalls);
        Assert.Empty(capture.Pinned);
    }

    [Fact]
    public void ModeFirstKnownWhileCapturing_NotAChange_NoRestart()
    {
        using var shell = ShellHarness.Create(120, 40);
        var actions = new FakeActions(FakeActions.Lab(null));
        var capture = new FakeCapture(Mode(DatapathVerdict.EbpfDsr)) { IsRunning = true };
        shell.Run(actions, capture,
            s => s.AdvanceTime(),
            ModeBecomes(actions, DatapathMode.EbpfDsr),
            s => s.AdvanceTime(),
            s => s.Press(Key.Q));

        Assert.Empty(capture.StartCalls);
    }

    [Fact]
    public void ModeChanges_WhileUnknownInBetween_StillARestart()
    {
        using var shell = ShellHarness.Create(120, 40);
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.Iptables));
        var capture = new FakeCapture(Mode(DatapathVerdict.IptablesSnat)) { IsRunning = true };
        shell.Run(actions, capture,
            ModeBecomes(actions, null),
            s => s.AdvanceTime(),
            ModeBecomes(actions, DatapathMode.EbpfTunnel),
            WaitForStarts(capture, 1),
            s => s.Press(Key.Q));

        Assert.Equal(["baseline"], capture.Pinned.Select(p => p.Name));
    }

    [Fact]
    public void ModeSwitchedWithM_RunningCapture_PinnedAndRestarted()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.Iptables));
        var capture = new FakeCapture(Mode(DatapathVerdict.IptablesSnat)) { IsRunning = true };
        shell.Run(actions, capture,
            s => s.Type(Key.M),
            s => Assert.IsType<ModeDialog>(s.TopDialog),
            s => s.Press(Key.CursorDown),
            s => s.Press(Key.CursorDown),
            s => s.Press(Key.Enter),
            s => ShellHarness.WaitFor(() => { lock (actions.ModeCalls) { return actions.ModeCalls.Count == 1; } }, "SetModeAsync"),
            ModeBecomes(actions, DatapathMode.EbpfDsr),
            WaitForStarts(capture, 1),
            s => s.Press(Key.Q));

        Assert.Equal([DatapathMode.EbpfDsr], actions.ModeCalls);
        Assert.Equal(["baseline"], capture.Pinned.Select(p => p.Name));
    }

    [Fact]
    public void ModeChanges_ElapsedTimeStartsAgainForTheFreshCapture()
    {
        using var shell = ShellHarness.Create(120, 40);
        var time = new SteppingTime();
        var actions = new FakeActions(FakeActions.Lab(DatapathMode.Iptables));
        var capture = new FakeCapture(Mode(DatapathVerdict.IptablesSnat)) { IsRunning = true };
        shell.Run(actions, capture, new ConsoleOptions { Time = time },
            s =>
            {
                time.Now += TimeSpan.FromSeconds(90);
                s.AdvanceTime();
            },
            s => Assert.Equal(TimeSpan.FromSeconds(90), s.Main.Capture.Elapsed),
            ModeBecomes(actions, DatapathMode.EbpfTunnel),
            WaitForStarts(capture, 1),
            s =>
            {
                time.Now += TimeSpan.FromSeconds(5);
                s.AdvanceTime();
            },
            s =>
            {
                Assert.Equal(TimeSpan.FromSeconds(5), s.Main.Capture.Elapsed);
                Assert.Contains("3 pts 00:05", s.Main.Capture.StatusText, StringComparison.Ordinal);
            },
            s => s.Press(Key.Q));
    }
}
