using EbpfConsole.Core.Migration;
using Terminal.Gui.Input;
using Xunit.Abstractions;

namespace EbpfConsole.Tui.Tests.Checklist;

/// <summary>The Checklist pane on screen at 80x24 and 120x40, through the real shell.</summary>
public class ChecklistScreenTests(ITestOutputHelper output)
{
    public static TheoryData<int, int> Sizes => new() { { 80, 24 }, { 120, 40 } };

    private static FakeActions Lab() => new(FakeActions.Lab());

    private static string[] Lines(string screen) => screen.TrimEnd('\n', '\r').Split('\n');

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Rows_GlyphIdTitleState_HeaderAndSelectedReason_FitTheScreen(int width, int height)
    {
        using var shell = ShellHarness.Create(width, height);
        var migration = new FakeMigration(FakeMigration.Snapshot(readOnly: true, dryRun: true));
        string? screen = null;
        string? zoomed = null;
        string? status = null;
        shell.Run(Lab(), null, migration,
            s => s.Press(Key.D2),
            s => screen = s.Screen(),
            s => status = Lines(s.Screen())[^1].Trim(),
            s => s.Press(Key.Z),
            s => zoomed = s.Screen(),
            s => s.Press(Key.Q));

        output.WriteLine(screen);
        output.WriteLine(zoomed);
        Assert.All(Lines(screen!), l => Assert.True(l.Length <= width, l));
        Assert.Contains("READ-ONLY · DRY-RUN · manifest (Calic", screen, StringComparison.Ordinal);
        Assert.Contains("✓ M0  Snapshot the", screen, StringComparison.Ordinal);
        // The selected step's reason under the rows.
        Assert.Contains("M0 done: 5 objects in the journal", screen, StringComparison.Ordinal);
        // Zoomed, every step of the plan is on screen with its glyph and state word.
        var rows = Lines(zoomed!);
        foreach (var (glyph, id, state) in new[]
        {
            ("✓", "M0", "done"), ("·", "M1", "n/a"), ("✓", "M2", "done"), ("✓", "M3", "done"), ("○", "M4", "pending"),
            ("·", "M5", "n/a"), ("⊘", "M6", "blocked"), ("⊘", "M7", "blocked"), ("○", "M8", "pending"), ("○", "M10", "pending"),
        })
        {
            Assert.Contains(rows, l => l.Contains($"{glyph} {id.PadRight(3)} ", StringComparison.Ordinal) && l.Contains($" {state}", StringComparison.Ordinal));
        }

        Assert.Equal("F1  Help │ z  Zoom │ p  Preview │ a  Apply │ u/U Undo │ q  Quit │ ebpf-tunnel", status);
    }

    [Fact]
    public void Rows_WideZoomed_ReasonColumnShown()
    {
        using var shell = ShellHarness.Create(120, 40);
        var migration = new FakeMigration(FakeMigration.Snapshot());
        string? screen = null;
        shell.Run(Lab(), null, migration,
            s => s.Press(Key.D2),
            s => s.Press(Key.Z),
            s => screen = s.Screen(),
            s => s.Press(Key.Q));

        output.WriteLine(screen);
        Assert.Contains(Lines(screen!), l => l.Contains("⊘ M6  Enable the eBPF dataplane", StringComparison.Ordinal) && l.Contains("blocked     M4 is not done", StringComparison.Ordinal));
        Assert.Contains("journal /home/op/.local/state/ebpf-console/migrations/lab.jsonl", screen, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Interrupted_BannerShownAboveTheRows_EvenAt80x24(int width, int height)
    {
        using var shell = ShellHarness.Create(width, height);
        var migration = new FakeMigration(FakeMigration.Snapshot(m4: StepState.Interrupted, interrupted: "M4 apply was interrupted at 12:03"));
        string? screen = null;
        shell.Run(Lab(), null, migration,
            s => screen = s.Screen(),
            s => s.Press(Key.Q));

        output.WriteLine(screen);
        Assert.Contains("! M4 apply wa", screen, StringComparison.Ordinal);
        Assert.Contains(": a resume, u roll back", screen, StringComparison.Ordinal);
        Assert.Contains("! M4  Disable kube-proxy", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanError_ShownInsteadOfRows()
    {
        using var shell = ShellHarness.Create(120, 40);
        var migration = new FakeMigration(MigrationSnapshot.Waiting("no plan yet: the API server at https://127.0.0.1:6443 refused the connection"));
        string? screen = null;
        shell.Run(Lab(), null, migration,
            s => screen = s.Screen(),
            s => s.Press(Key.Q));

        Assert.Contains("✗ no plan yet: the API server at https://127.0.0.1:6443", screen, StringComparison.Ordinal);
    }
}
