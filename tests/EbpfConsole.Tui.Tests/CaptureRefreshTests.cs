using System.Collections;
using EbpfConsole.Core.Capture;
using Terminal.Gui.Input;
using Xunit.Abstractions;
using static EbpfConsole.Tui.Tests.CaptureSamples;

namespace EbpfConsole.Tui.Tests;

/// <summary>The Capture pane under refreshes: selection, elapsed time, failures, and cost with thousands of connections.</summary>
public class CaptureRefreshTests(ITestOutputHelper output)
{
    private static FakeActions Lab() => new(FakeActions.Lab());

    [Fact]
    public void Refresh_SelectionOnTheLastRow_FollowsNewConnections()
    {
        using var shell = ShellHarness.Create();
        var capture = new FakeCapture(Snapshot(Many(3), DatapathVerdict.EbpfDsr, "dsr"));
        shell.Run(Lab(), capture,
            s => Assert.Equal(3, s.Main.Capture.Selected?.Id),
            s =>
            {
                capture.Latest = Snapshot(Many(5), DatapathVerdict.EbpfDsr, "dsr");
                s.AdvanceTime();
            },
            s => Assert.Equal(5, s.Main.Capture.Selected?.Id),
            s => s.Press(Key.Q));
    }

    [Fact]
    public void Refresh_UserMovedTheSelection_KeptByIdWhileRowsShift()
    {
        using var shell = ShellHarness.Create();
        var capture = new FakeCapture(Snapshot(Many(5), DatapathVerdict.EbpfDsr, "dsr"));
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Press(Key.CursorUp),
            s => s.Press(Key.CursorUp),
            s => Assert.Equal(3, s.Main.Capture.Selected?.Id),
            s =>
            {
                // The oldest two aged out, three arrived: id 3 moves from row 2 to row 0.
                capture.Latest = Snapshot(Many(6, firstId: 3), DatapathVerdict.EbpfDsr, "dsr");
                s.AdvanceTime();
            },
            s =>
            {
                Assert.Equal(3, s.Main.Capture.Selected?.Id);
                Assert.Equal(0, s.Main.Capture.SelectedRow);
            },
            s => s.Press(Key.Q));
    }

    [Fact]
    public void Refresh_RunningCapture_ElapsedTimeAdvancesWithoutANewSnapshot()
    {
        using var shell = ShellHarness.Create(120, 40);
        var time = new SteppingTime();
        var capture = new FakeCapture(Mode(DatapathVerdict.EbpfTunnel)) { IsRunning = true };
        shell.Run(Lab(), capture, new ConsoleOptions { Time = time },
            s => Assert.Contains("3 pts 00:00", s.Main.Capture.StatusText, StringComparison.Ordinal),
            s =>
            {
                time.Now += TimeSpan.FromSeconds(65);
                s.AdvanceTime();
            },
            s =>
            {
                Assert.Equal(TimeSpan.FromSeconds(65), s.Main.Capture.Elapsed);
                Assert.Contains("3 pts 01:05", s.Main.Capture.StatusText, StringComparison.Ordinal);
            },
            s => s.Press(Key.Q));
    }

    [Fact]
    public void Latest_Throws_SaidOnceInTheLog_ShellKeepsRunning()
    {
        using var shell = ShellHarness.Create(120, 40);
        var capture = new FakeCapture { Producer = () => throw new InvalidOperationException("analyzer gone") };
        string? screen = null;
        shell.Run(Lab(), capture,
            s => s.AdvanceTime(),
            s => s.AdvanceTime(),
            s => screen = s.Screen(),
            s => s.Press(Key.Q));

        Assert.True(capture.LatestReads >= 2, $"{capture.LatestReads} reads");
        Assert.Single(screen!.Split('\n'), l => l.Contains("console error cannot read the capture state: analyzer gone", StringComparison.Ordinal));
    }

    [Fact]
    public void Draw_5000Connections_ReadsOnlyTheVisibleRows()
    {
        using var shell = ShellHarness.Create(120, 40);
        var connections = new CountingList(Many(5000));
        var capture = new FakeCapture(Snapshot(connections, DatapathVerdict.EbpfDsr, "dsr"));
        var touched = 0;
        shell.Run(Lab(), capture,
            s => s.Press(Key.D3),
            s => s.Press(Key.Z),
            s =>
            {
                connections.Touched.Clear();
                connections.Enumerations = 0;
                s.Screen();
                touched = connections.Touched.Count;
                Assert.Contains("5,000", s.Main.Capture.Snapshot.Connections.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            },
            s => s.Press(Key.Q));

        output.WriteLine($"rows read for one draw of 5000 connections: {touched}");
        Assert.InRange(touched, 1, 40);
        Assert.Equal(0, connections.Enumerations);
    }

    /// <summary>
    /// A new 5,000-connection snapshot on every tick (10 Hz in the real shell) while keys arrive: every key is
    /// handled in the iteration it was sent in. The time per tick is written to the output, not asserted.
    /// </summary>
    [Fact]
    public void Flood_New5000ConnectionSnapshotEveryTick_KeysStillHandled()
    {
        using var shell = ShellHarness.Create(120, 40);
        CaptureSnapshot[] snapshots = [Snapshot(Many(5000), DatapathVerdict.EbpfDsr, "dsr"), Snapshot(Many(5000, firstId: 2), DatapathVerdict.EbpfDsr, "dsr")];
        var produced = 0;
        var capture = new FakeCapture
        {
            IsRunning = true,
            // A new snapshot instance on every read, as a live capture makes them.
            Producer = () => snapshots[produced++ % 2] with { },
        };
        var applyMs = new List<double>();
        var drawMs = new List<double>();
        void Tick(ShellHarness s)
        {
            // What the timer does (one more new snapshot into the pane), timed; then let the real timer run too.
            var next = capture.Latest;
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            s.Main.Capture.Apply(next, running: true, FakeActions.T0);
            applyMs.Add(stopwatch.Elapsed.TotalMilliseconds);
            stopwatch.Restart();
            s.Screen();
            drawMs.Add(stopwatch.Elapsed.TotalMilliseconds);
            s.AdvanceTime();
        }

        // One iteration in which the shell's own timer applies yet another new snapshot.
        static void LetTheTimerRun(ShellHarness s)
        {
        }

        var steps = new List<Action<ShellHarness>> { s => s.Press(Key.D3) };
        for (var i = 0; i < 10; i++)
        {
            steps.Add(Tick);
            steps.Add(LetTheTimerRun);
            steps.Add(s => s.Press(Key.Z));
            steps.Add(s => Assert.Same(s.Main.Capture, s.Main.ZoomedPane));
            steps.Add(Tick);
            steps.Add(LetTheTimerRun);
            steps.Add(s => s.Press(Key.Z));
            steps.Add(s => Assert.Null(s.Main.ZoomedPane));
            steps.Add(s => s.Press(Key.D1));
            steps.Add(s => Assert.Same(s.Main.Nodes, s.Main.FocusedPane));
            steps.Add(s => s.Press(Key.D3));
            steps.Add(s => Assert.Same(s.Main.Capture, s.Main.FocusedPane));
        }

        steps.Add(s => s.Press(Key.Q));
        shell.Run(Lab(), capture, [.. steps]);

        output.WriteLine($"snapshots produced: {produced}; applying a new 5,000-connection snapshot: median {Median(applyMs):F3} ms, " +
            $"max {applyMs.Max():F3} ms; full-screen draw after it: median {Median(drawMs):F2} ms, max {drawMs.Max():F2} ms ({applyMs.Count} ticks)");
        Assert.True(produced >= 20, $"only {produced} snapshots were produced");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>A list that counts which rows are read and refuses to be walked in full unnoticed.</summary>
    private sealed class CountingList(IReadOnlyList<ConnectionView> inner) : IReadOnlyList<ConnectionView>
    {
        public HashSet<int> Touched { get; } = [];

        public int Enumerations { get; set; }

        public ConnectionView this[int index]
        {
            get
            {
                Touched.Add(index);
                return inner[index];
            }
        }

        public int Count => inner.Count;

        public IEnumerator<ConnectionView> GetEnumerator()
        {
            Enumerations++;
            return inner.GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
