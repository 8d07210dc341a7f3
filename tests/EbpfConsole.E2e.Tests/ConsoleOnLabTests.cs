using System.Text.Json;
using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests;

/// <summary>The installed binary in a real terminal (tmux) against the real lab: what a trainer does first.</summary>
[Collection(LabUsers.Name)]
public sealed class ConsoleOnLabTests
{
    private static readonly TimeSpan LabStart = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Ui = TimeSpan.FromSeconds(20);

    [Fact]
    public void Console_At80x24_ShowsBothNodesReachable_SwitchesMode_AndQuits()
    {
        InstalledConsole.RequireRoot();
        LabScenarios.Ensure("healthy");
        Assert.Equal(0, InstalledConsole.Run("lab", "mode", "iptables").ExitCode);

        using var term = Tmux.Start($"{InstalledConsole.Path} lab", 80, 24);
        term.WaitFor(s => s.Contains("node-1", StringComparison.Ordinal) && CountReachable(s) >= 2, "both nodes ✓ up", LabStart);
        term.WaitFor("mode: iptables", Ui);

        term.SendKeys("m");
        term.WaitFor("Switch to", Ui);
        term.SendKeys("Down");
        term.SendKeys("Enter");
        term.WaitFor("mode: ebpf-tunnel", Ui);
        term.WaitFor("datapath is now ebpf-tunnel", Ui);

        // The switch is real: an independent client sees the datapath change.
        using (var status = JsonDocument.Parse(InstalledConsole.Run("lab", "status", "--json").Stdout))
        {
            Assert.Equal("ebpf-tunnel", status.RootElement.GetProperty("mode").GetString());
        }

        var curl = InstalledConsole.Run("lab", "curl", "--json");
        Assert.Equal(0, curl.ExitCode);
        using (var results = JsonDocument.Parse(curl.Stdout))
        {
            var first = results.RootElement[0];
            Assert.Equal(first.GetProperty("fromIp").GetString(), first.GetProperty("podSaw").GetString());
        }

        term.SendKeys("q");
        term.WaitFor("[exited 0]", Ui);
    }

    [Fact]
    public void Console_At120x40_HelpListsTheKeys_AndPaneKeysMoveFocus()
    {
        InstalledConsole.RequireRoot();
        using var term = Tmux.Start($"{InstalledConsole.Path} lab", 120, 40);
        term.WaitFor(s => CountReachable(s) >= 2, "both nodes ✓ up", LabStart);

        term.SendKeys("F1");
        var help = term.WaitFor("Keys", Ui);
        Assert.Contains("Quit", help, StringComparison.Ordinal);
        Assert.Contains("Zoom", help, StringComparison.Ordinal);
        // A lone Esc is told apart from Alt+key by a pause, as in every terminal program: wait until it took effect.
        term.SendKeys("Escape");
        term.WaitFor(s => !s.Contains("Show this help", StringComparison.Ordinal), "help closed", Ui);

        term.SendKeys("4");
        term.SendKeys("z");
        term.WaitFor(s => !s.Contains("1 Nodes", StringComparison.Ordinal) && s.Contains("4 Log", StringComparison.Ordinal), "Log pane zoomed", Ui);

        term.SendKeys("q");
        term.WaitFor("[exited 0]", Ui);
    }

    private static int CountReachable(string screen) =>
        screen.Split('\n').Count(line => line.Contains("✓ up", StringComparison.Ordinal) && line.Contains("10.99.0.1", StringComparison.Ordinal));
}
