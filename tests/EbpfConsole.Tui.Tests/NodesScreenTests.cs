using EbpfConsole.Core.Preflight;
using EbpfConsole.Core.Shell;
using Terminal.Gui.Drawing;
using Xunit.Abstractions;

namespace EbpfConsole.Tui.Tests;

/// <summary>The Nodes pane as the preflight matrix, drawn headless at 80x24 and 120x40.</summary>
public class NodesScreenTests(ITestOutputHelper output)
{
    public static TheoryData<int, int, int> SizesAndNodes => new() { { 80, 24, 2 }, { 80, 24, 12 }, { 120, 40, 2 }, { 120, 40, 12 } };

    private string Render(int width, int height, ConsoleSnapshot snapshot, bool noColor = false, Action<ShellHarness>? inspect = null)
    {
        var screen = ShellHarness.RenderMain(width, height, snapshot, noColor, inspect);
        output.WriteLine(screen);
        return screen;
    }

    private static string[] Lines(string screen) => screen.TrimEnd('\n', '\r').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    private static string Flat(string screen) => string.Join(" ", Lines(screen).Select(l => l.Trim().Trim('│').Trim()));

    private static ConsoleSnapshot Snapshot(int nodes) => nodes == 2 ? PreflightSamples.Lab(PreflightSamples.Done()) : PreflightSamples.Many(nodes);

    /// <summary>The glyph under the header <paramref name="id"/> in the row of <paramref name="node"/> (cells are centred under it).</summary>
    private static string CellUnder(string[] lines, string node, string id)
    {
        var header = Assert.Single(lines, l => l.Contains("│NAME ", StringComparison.Ordinal));
        var column = header.IndexOf($" {id} ", StringComparison.Ordinal) + 1;
        var row = Assert.Single(lines, l => l.StartsWith($"│{node} ", StringComparison.Ordinal) && !l.StartsWith($"│{node} (", StringComparison.Ordinal));
        return row.Substring(column, id.Length).Trim();
    }

    [Theory]
    [MemberData(nameof(SizesAndNodes))]
    public void Matrix_HeaderWithNodeCheckColumns_GlyphInTheRightCell(int width, int height, int nodes)
    {
        var lines = Lines(Render(width, height, Snapshot(nodes)));

        var header = Assert.Single(lines, l => l.Contains("│NAME ", StringComparison.Ordinal));
        // The catalog's node checks, in order (P9, P12 … between them once the catalog lists them).
        Assert.Matches(@"│NAME +SSH +P2 P3 P5 P6 (P\d+ )*P10 (P\d+ )*ADDRESS +KERNEL", header);
        Assert.Equal("✓", CellUnder(lines, "node-1", "P5"));
        Assert.Equal("✗", CellUnder(lines, "node-2", "P5"));
        Assert.Equal("!", CellUnder(lines, "node-1", "P6"));
        Assert.Equal("✓", CellUnder(lines, "node-2", "P10"));
    }

    [Theory]
    [InlineData(80, 24, 4)]
    [InlineData(120, 40, 12)]
    public void Matrix_TwelveNodes_AsManyRowsAsThePaneHolds(int width, int height, int visible)
    {
        var lines = Lines(Render(width, height, Snapshot(12)));

        // Each row names its node, state and address (the console's end-to-end tests count "✓ up" rows with an address).
        var rows = lines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^│node-\d+ +✓ up .* 10\.99\.0\.\d+ ")).ToList();
        Assert.Equal(visible, rows.Count);
        Assert.StartsWith("│node-1 ", rows[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("┤2 Checklist├", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("┤4 Log├", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SizesAndNodes))]
    public void Top_SummaryClusterRowAndProgress(int width, int height, int nodes)
    {
        var lines = Lines(Render(width, height, Snapshot(nodes)));

        Assert.Contains(lines, l => l.StartsWith("│Calico v3.29.3 manifest · kube-proxy iptables · BPF off · Tunnel · ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("│cluster P1 ✓  P4 ✓  P7 ✓  P8 ✗", StringComparison.Ordinal));
        var fails = nodes == 2 ? "2 fail, 2 warn" : "2 fail, 12 warn";
        Assert.Contains(lines, l => l.StartsWith($"│checked {nodes} nodes in 2.1 s at 12:00:12 — {fails}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(80, 24)]
    [InlineData(120, 40)]
    public void Legend_ShownWithTwoNodes(int width, int height) =>
        Assert.Contains("✓ pass  ! warn  ✗ fail  ? unknown  … running  · pending", Render(width, height, Snapshot(2)), StringComparison.Ordinal);

    [Fact]
    public void WideScreen_SecondSummaryLineWithServerAndEndpoints() =>
        Assert.Contains("│server https://127.0.0.1:6443 (v1.32.0) · endpoints 10.99.0.11:6443", Render(120, 40, Snapshot(2)), StringComparison.Ordinal);

    [Theory]
    [InlineData(80, 24)]
    [InlineData(120, 40)]
    public void Running_ProgressAndCellsRunningOrPending(int width, int height)
    {
        var lines = Lines(Render(width, height, FakeActions.Lab() with { Nodes = [], Preflight = PreflightSamples.Running(3) }));

        Assert.Contains(lines, l => l.StartsWith("│checking… 1/3 nodes", StringComparison.Ordinal));
        Assert.Equal("✓", CellUnder(lines, "node-1", "P2"));
        Assert.Equal("…", CellUnder(lines, "node-2", "P2"));
        Assert.Equal("·", CellUnder(lines, "node-3", "P2"));
        Assert.Matches(@"│node-2 +… checking", Assert.Single(lines, l => l.StartsWith("│node-2 …", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(80, 24)]
    [InlineData(120, 40)]
    public void Error_InFull_EvenAt80Columns(int width, int height)
    {
        const string error = "kubeconfig /root/.kube/config: context 'prod' not found; known contexts: lab, staging, kind-kind (set --context or KUBECONFIG)";
        var snapshot = FakeActions.Lab() with { Preflight = PreflightSnapshot.NotStarted with { Error = error } };

        var screen = Render(width, height, snapshot);

        Assert.Contains($"preflight could not run: {error}", Flat(screen), StringComparison.Ordinal);
        // The probe's nodes still show, without check columns.
        Assert.Contains(Lines(screen), l => l.StartsWith("│node-1 ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(80, 24)]
    [InlineData(120, 40)]
    public void NoColor_GlyphsCarryTheVerdicts_AndNoColourAnywhere(int width, int height)
    {
        var colours = new List<Color>();
        var lines = Lines(Render(width, height, Snapshot(2), noColor: true, inspect: h => colours.AddRange(CellColours(h))));

        Assert.All(colours, c => Assert.Equal(Color.None, c));
        Assert.Equal("✗", CellUnder(lines, "node-2", "P5"));
        Assert.Equal("!", CellUnder(lines, "node-2", "P6"));
        Assert.Contains(lines, l => l.Contains("P8 ✗", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("✗ fail", StringComparison.Ordinal));
    }

    [Fact]
    public void NoPreflight_TheProbesTableAsBefore_NoClusterOrLegend()
    {
        var screen = Render(80, 24, FakeActions.Lab());

        Assert.Matches(@"node-1 10\.99\.0\.11 +✓ up +lab-node-1", screen);
        Assert.DoesNotContain("cluster", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("✓ pass  ! warn", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void SelectedCell_ItsLineUnderTheMatrix()
    {
        using var main = new MainWindow(Keymap.Default, TimeZoneInfo.Utc);
        main.Apply(Snapshot(2));
        var p5 = main.Nodes.Matrix.ColumnOf("P5");

        main.Nodes.Table.SetSelection(p5, 1, false, null);

        Assert.Equal($"node-2 P5 BPF filesystem: ✗ fail — {PreflightSamples.BpffsReason}", main.Nodes.DetailText);
        Assert.Equal(new Panes.NodesSelection(false, "P5", main.Nodes.Matrix.Rows[1]), main.Nodes.Selection);
    }

    [Fact]
    public void NodeFailure_InFullUnderTheMatrix_UnderscoresKept_SshCellSaysWhy()
    {
        const string failure = "ssh root@10.99.0.12:22: key /root/.ssh/id_ed25519: authentication failed (publickey)";
        var preflight = PreflightSamples.Done() with
        {
            Nodes = [new NodePreflight("node-2", "10.99.0.12", NodeRunState.Done, [], failure), .. PreflightSamples.Done().Nodes.Take(1)],
        };

        var screen = Render(120, 40, PreflightSamples.Lab(preflight));

        Assert.Contains($"preflight: ✗ {failure}", Flat(screen), StringComparison.Ordinal);
        Assert.Matches(@"│node-2 +✗ auth ", screen);
    }

    [Fact]
    public void Apply_NewSnapshot_KeepsTheSelectedNodeAndColumn()
    {
        using var main = new MainWindow(Keymap.Default, TimeZoneInfo.Utc);
        main.Apply(Snapshot(2));
        main.Nodes.Table.SetSelection(main.Nodes.Matrix.ColumnOf("P6"), 1, false, null);
        var reordered = PreflightSamples.Done() with { Nodes = [.. PreflightSamples.Done().Nodes.Reverse()] };

        main.Apply(PreflightSamples.Lab(reordered));

        Assert.Equal("node-2", main.Nodes.SelectedRow!.Name);
        Assert.Equal(0, main.Nodes.Table.Value!.SelectedCell.Y);
        Assert.Equal("P6", main.Nodes.Selection.CheckId);
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
