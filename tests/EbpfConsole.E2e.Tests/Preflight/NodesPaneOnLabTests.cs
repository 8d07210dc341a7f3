using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Preflight;

/// <summary>The Nodes pane of the installed console (`ebpf-console --lab`, tmux) gives each scenario's verdicts, and a cell's evidence.</summary>
[Collection(LabUsers.Name)]
public sealed class NodesPaneOnLabTests
{
    private static readonly TimeSpan Checked = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Ui = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("missing-bpffs", "P5", "✓", "✗")]
    [InlineData("kubekey-default", "P10", "✗", "✗")]
    [InlineData("healthy", "P5", "✓", "✓")]
    public void Matrix_At80x24_ShowsTheScenariosVerdicts(string scenario, string check, string node1, string node2)
    {
        LabScenarios.Ensure(scenario);
        using var term = Tmux.Start($"{InstalledConsole.Path} --lab", 80, 24);
        var screen = term.WaitFor("checked 2 nodes", Checked);

        Assert.Equal(node1, Cell(screen, "node-1", check));
        Assert.Equal(node2, Cell(screen, "node-2", check));
        term.SendKeys("q");
        term.WaitFor("[exited 0]", Ui);
    }

    [Fact]
    public void EnterOnAFailingCell_ShowsTheEvidenceVerbatim_AndTheRemediation()
    {
        LabScenarios.Ensure("missing-bpffs");
        using var term = Tmux.Start($"{InstalledConsole.Path} --lab", 120, 40);
        var screen = term.WaitFor("checked 2 nodes", Checked);
        var column = Header(screen).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList().IndexOf("P5") - 2; // after NAME, SSH

        term.SendKeys("Down"); // node-2
        for (var i = 0; i < column + 2; i++)
        {
            term.SendKeys("Right");
        }

        term.WaitFor("node-2 P5 BPF filesystem: ✗ fail", Ui);
        term.SendKeys("Enter");
        var detail = term.WaitFor("Evidence (verbatim)", Ui);
        Assert.Contains("$ mount | grep /sys/fs/bpf", detail, StringComparison.Ordinal);
        Assert.Contains("Remediation", detail, StringComparison.Ordinal);
        term.SendKeys("Escape");
        term.WaitFor(s => !s.Contains("Evidence (verbatim)", StringComparison.Ordinal), "the detail closed", Ui); // Esc then q at once reads as Alt+Q
        term.SendKeys("q");
        term.WaitFor("[exited 0]", Ui);
    }

    /// <summary>The glyph in <paramref name="node"/>'s row under the <paramref name="check"/> header (the glyph sits within the header's span).</summary>
    private static string Cell(string screen, string node, string check)
    {
        var header = Header(screen);
        var at = header.IndexOf($" {check} ", StringComparison.Ordinal) + 1;
        Assert.True(at > 0, $"no {check} column in:\n{screen}");
        var row = screen.Split('\n').First(l => l.Contains($"│{node} ", StringComparison.Ordinal));
        return row.Substring(at, check.Length).Trim();
    }

    private static string Header(string screen) => screen.Split('\n').First(l => l.Contains("NAME", StringComparison.Ordinal) && l.Contains(" P2 ", StringComparison.Ordinal));
}
