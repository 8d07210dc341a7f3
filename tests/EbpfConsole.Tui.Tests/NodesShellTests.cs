using EbpfConsole.Tui.Dialogs;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.Input;
using Xunit.Abstractions;

namespace EbpfConsole.Tui.Tests;

/// <summary>The Nodes pane's keys through the real shell: cell moves, detail dialogs, re-runs, progress.</summary>
public class NodesShellTests(ITestOutputHelper output)
{
    private static string Flat(string screen) =>
        string.Join(" ", screen.Split('\n').Select(l => l.Trim().Trim('│', '┃').Trim()));

    private static FakeActions Done() => new(PreflightSamples.Lab(PreflightSamples.Done()));

    /// <summary>Steps that move the matrix selection to <paramref name="row"/> and the column of <paramref name="checkId"/>.</summary>
    private static Action<ShellHarness>[] MoveTo(int row, string checkId)
    {
        var steps = new List<Action<ShellHarness>>();
        steps.AddRange(Enumerable.Repeat<Action<ShellHarness>>(s => s.Press(Key.CursorDown), row));
        // The column is known once the pane shows the matrix: move right until the selection is on it.
        steps.Add(s =>
        {
            var column = s.Main.Nodes.Matrix.ColumnOf(checkId);
            Assert.True(column > 0, $"{checkId} has a column");
            for (var i = 0; i < column; i++)
            {
                s.Press(Key.CursorRight);
            }
        });
        return [.. steps];
    }

    [Theory]
    [InlineData(80, 24)]
    [InlineData(120, 40)]
    public void Enter_OnAFailingCell_DetailWithVerdictEvidenceVerbatimAndRemediation(int width, int height)
    {
        using var shell = ShellHarness.Create(width, height);
        string? line = null;
        string? dialog = null;
        shell.Run(Done(),
        [
            s => Assert.Same(s.Main.Nodes.Table, s.Main.Nodes.MostFocused),
            .. MoveTo(1, "P5"),
            s => line = s.Main.Nodes.DetailText,
            s => s.Press(Key.Enter),
            s =>
            {
                Assert.IsType<TextDialog>(s.TopDialog);
                dialog = s.Screen();
            },
            s => s.Press(Key.Esc),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q),
        ]);

        output.WriteLine(dialog);
        Assert.Equal($"node-2 P5 BPF filesystem: ✗ fail — {PreflightSamples.BpffsReason}", line);
        Assert.Contains("P5 BPF filesystem — node node-2", dialog!, StringComparison.Ordinal);
        Assert.Contains("Verdict: ✗ fail", dialog!, StringComparison.Ordinal);
        Assert.Contains("Evidence (verbatim):", dialog!, StringComparison.Ordinal);
        foreach (var evidence in PreflightSamples.MountEvidence.Split('\n').Where(l => l.Length < width - 10))
        {
            Assert.Contains(PreflightDetail.Gutter + evidence, dialog!, StringComparison.Ordinal);
        }

        Assert.Contains("mount -t bpf bpf /sys/fs/bpf", dialog!, StringComparison.Ordinal);
    }

    [Fact]
    public void Enter_OnTheNameColumn_ListsTheNodesChecks()
    {
        using var shell = ShellHarness.Create(100, 30);
        string? dialog = null;
        shell.Run(Done(),
            s => s.Press(Key.CursorDown),
            s => s.Press(Key.Enter),
            s => dialog = Flat(s.Screen()),
            s => s.Press(Key.Esc),
            s => s.Press(Key.Q));

        output.WriteLine(dialog);
        Assert.Contains("Node node-2", dialog!, StringComparison.Ordinal);
        Assert.Contains("P5  ✗ fail    BPF filesystem: /sys/fs/bpf is not mounted", dialog!, StringComparison.Ordinal);
        Assert.Contains("P2  ✓ pass    Kernel:", dialog!, StringComparison.Ordinal);
        Assert.Contains("Preflight: done in 0.8 s — 1 fail, 1 warn", dialog!, StringComparison.Ordinal);
    }

    [Fact]
    public void Up_FromTheFirstRow_ClusterRow_EnterOpensTheClusterCheck_DownGoesBack()
    {
        using var shell = ShellHarness.Create(120, 40);
        string? line = null;
        string? dialog = null;
        shell.Run(Done(),
            s => s.Press(Key.CursorUp),
            s => Assert.Same(s.Main.Nodes.ClusterRow, s.Main.Nodes.MostFocused),
            s => Assert.Equal("cluster: 4 checks — 1 fail (Enter lists them)", s.Main.Nodes.DetailText),
            s => s.Press(Key.CursorRight),
            s => s.Press(Key.CursorRight),
            s => s.Press(Key.CursorRight),
            s => s.Press(Key.CursorRight),
            s => line = s.Main.Nodes.DetailText,
            s => s.Press(Key.Enter),
            s => dialog = s.Screen(),
            s => s.Press(Key.Esc),
            s => s.Press(Key.CursorDown),
            s =>
            {
                Assert.Same(s.Main.Nodes.Table, s.Main.Nodes.MostFocused);
                Assert.StartsWith("node-1 (10.99.0.11)", s.Main.Nodes.DetailText, StringComparison.Ordinal);
            },
            s => s.Press(Key.Q));

        output.WriteLine(dialog);
        Assert.Equal("cluster P8 ConfigMap plumbing: ✗ fail — calico-node has no envFrom configMapRef kubernetes-services-endpoint", line);
        Assert.Contains("P8 ConfigMap plumbing — cluster check", dialog!, StringComparison.Ordinal);
        Assert.Contains("  daemonsets kube-system/calico-node: containers[0].envFrom: (none)", dialog!, StringComparison.Ordinal);
        Assert.Contains("patch the DaemonSet or upgrade Calico", dialog!, StringComparison.Ordinal);
    }

    [Fact]
    public void Enter_OnTheClusterCell_ListsTheClusterChecks()
    {
        using var shell = ShellHarness.Create(120, 40);
        string? dialog = null;
        shell.Run(Done(),
            s => s.Press(Key.CursorUp),
            s => s.Press(Key.Enter),
            s => dialog = Flat(s.Screen()),
            s => s.Press(Key.Esc),
            s => s.Press(Key.Q));

        output.WriteLine(dialog);
        Assert.Contains("Cluster checks", dialog!, StringComparison.Ordinal);
        Assert.Contains("Calico v3.29.3 manifest · kube-proxy iptables", dialog!, StringComparison.Ordinal);
        Assert.Contains("P8 ✗ fail    ConfigMap plumbing:", dialog!, StringComparison.Ordinal);
    }

    [Fact]
    public void ShiftR_RerunsTheSelectedNodeOnly()
    {
        using var shell = ShellHarness.Create();
        var actions = Done();
        shell.Run(actions,
            s => s.Press(Key.CursorDown),
            s => s.Type(Key.R.WithShift),
            s => ShellHarness.WaitFor(() => { lock (actions.PreflightCalls) { return actions.PreflightCalls.Count == 1; } }, "RunPreflightAsync"),
            s => s.Press(Key.Q));

        Assert.Equal(["node-2"], actions.PreflightCalls);
        Assert.Equal(0, actions.RefreshCalls);
    }

    [Fact]
    public void ShiftR_AnotherPaneFocused_RerunsNothing()
    {
        using var shell = ShellHarness.Create();
        var actions = Done();
        shell.Run(actions,
            s => s.Press(Key.D4),
            s => s.Type(Key.R.WithShift),
            s => s.Press(Key.Enter),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));

        Assert.Empty(actions.PreflightCalls);
    }

    [Fact]
    public void R_ProbesAndRerunsPreflightOnEveryNode()
    {
        using var shell = ShellHarness.Create();
        var actions = Done();
        shell.Run(actions,
            s => s.Type(Key.R),
            s => ShellHarness.WaitFor(() => actions.RefreshCalls == 1, "RefreshNodesAsync"),
            s => ShellHarness.WaitFor(() => { lock (actions.PreflightCalls) { return actions.PreflightCalls.Count == 1; } }, "RunPreflightAsync"),
            s => s.Press(Key.Q));

        Assert.Equal([null], actions.PreflightCalls);
    }

    [Fact]
    public void R_WhilePreflightRuns_ProbesOnly_AndSaysSo()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(PreflightSamples.Lab(PreflightSamples.Running(3)));
        string? screen = null;
        shell.Run(actions,
            s => s.Type(Key.R),
            s => ShellHarness.WaitFor(() => actions.RefreshCalls == 1, "RefreshNodesAsync"),
            s => s.AdvanceTime(),
            s => screen = Flat(s.Screen()),
            s => s.Press(Key.Q));

        Assert.Empty(actions.PreflightCalls);
        Assert.Contains("preflight is already running (1/3 nodes checked)", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void R_WithoutPreflight_ProbesOnly()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(FakeActions.Lab());
        shell.Run(actions,
            s => s.Type(Key.R),
            s => ShellHarness.WaitFor(() => actions.RefreshCalls == 1, "RefreshNodesAsync"),
            s => s.Press(Key.Q));

        Assert.Empty(actions.PreflightCalls);
    }

    [Fact]
    public void Progress_FollowsTheSnapshot_RunningThenDone()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(PreflightSamples.Lab(PreflightSamples.Running(2)));
        shell.Run(actions,
            s => Assert.Contains("checking… 1/2 nodes", s.Screen(), StringComparison.Ordinal),
            s =>
            {
                actions.Latest = PreflightSamples.Lab(PreflightSamples.Done());
                s.AdvanceTime();
            },
            s =>
            {
                var screen = s.Screen();
                Assert.Contains("checked 2 nodes in 2.1 s at 12:00:12 — 2 fail, 2 warn", screen, StringComparison.Ordinal);
                Assert.DoesNotContain("checking…", screen, StringComparison.Ordinal);
            },
            s => s.Press(Key.Q));
    }

    [Fact]
    public void StatusBar_NodesKeysInTheNodesPane_MainKeysElsewhere()
    {
        using var shell = ShellHarness.Create();
        string? nodes = null;
        string? log = null;
        shell.Run(Done(),
            s => nodes = s.Screen().TrimEnd().Split('\n')[^1].Trim(),
            s => s.Press(Key.D4),
            s => log = s.Screen().TrimEnd().Split('\n')[^1].Trim(),
            s => s.Press(Key.Q));

        Assert.Equal("F1  Help │ z  Zoom │ Enter  Detail │ r/R Re-run │ q  Quit │ ebpf-tunnel", nodes);
        Assert.Equal("F1  Help │ 1-4 Panes │ z  Zoom │ r  Refresh │ m  Mode │ q  Quit │ ebpf-tunnel", log);
    }

    [Fact]
    public void Enter_OnARunningCell_NoDialog_SaysWhereItStands()
    {
        using var shell = ShellHarness.Create(120, 40);
        var actions = new FakeActions(PreflightSamples.Lab(PreflightSamples.Running(3)));
        string? screen = null;
        shell.Run(actions,
        [
            .. MoveTo(1, "P5"),
            s => s.Press(Key.Enter),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.AdvanceTime(),
            s => screen = Flat(s.Screen()),
            s => s.Press(Key.Q),
        ]);

        Assert.Contains("console info  node-2 P5", screen, StringComparison.Ordinal);
        Assert.Contains("… running", screen, StringComparison.Ordinal);
    }
}
