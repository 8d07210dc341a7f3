using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Migration;
using EbpfConsole.Tui.Dialogs;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Xunit.Abstractions;

namespace EbpfConsole.Tui.Tests.Checklist;

/// <summary>The Checklist pane's keys, through the real shell with a fake migration engine.</summary>
public class ChecklistShellTests(ITestOutputHelper output)
{
    private static string Flat(string screen) =>
        string.Join(" ", screen.Split('\n').Select(l => l.Trim().Trim('│', '┃').Trim()));

    private static FakeActions Lab(bool readOnly = false) => new(FakeActions.Lab(readOnly: readOnly));

    private static Action<ShellHarness> Focus(StepId step) => s =>
    {
        s.Press(Key.D2);
        Assert.True(s.Main.Checklist.Select(step));
    };

    private static Action<ShellHarness> Until(FakeMigration migration, string call) =>
        _ => ShellHarness.WaitFor(() => migration.Calls.Contains(call), call);

    /// <summary>Lets the timer see the finished preview and the main loop open its dialog.</summary>
    private static IEnumerable<Action<ShellHarness>> DialogOpens<T>() => [s => s.AdvanceTime(), s => { }, s => Assert.IsType<T>(s.TopDialog)];

    [Fact]
    public void A_ShowsThePreviewInAConfirmDialog_CancelIsTheDefaultAndAppliesNothing()
    {
        using var shell = ShellHarness.Create(120, 40);
        var migration = new FakeMigration(FakeMigration.Snapshot());
        migration.Previews[StepId.M4] = FakeMigration.M4Preview();
        string? dialog = null;
        string? after = null;
        shell.Run(Lab(), null, migration,
        [
            Focus(StepId.M4),
            s => s.Type(Key.A),
            Until(migration, "preview M4"),
            .. DialogOpens<ConfirmChangesDialog>(),
            s => dialog = s.Screen(),
            s => Assert.Equal("Apply M4?", s.TopDialog!.Title),
            // Enter on the preview text: the default, Cancel.
            s => s.Press(Key.Enter),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.AdvanceTime(),
            s => after = Flat(s.Screen()),
            s => s.Press(Key.Q),
        ]);

        output.WriteLine(dialog);
        var text = Flat(dialog!);
        Assert.Contains("M4: 1 change", text, StringComparison.Ordinal);
        Assert.Contains("1. patch daemonsets kube-system/kube-proxy (strategic)", text, StringComparison.Ordinal);
        Assert.Contains("+         non-calico: \"true\"", dialog, StringComparison.Ordinal);
        Assert.Contains("note: kube-proxy pods stop", text, StringComparison.Ordinal);
        Assert.Contains("Apply", text, StringComparison.Ordinal);
        Assert.Contains("Cancel", text, StringComparison.Ordinal);
        Assert.Empty(migration.Applied);
        Assert.Contains("M4 not applied: cancelled, nothing changed", after, StringComparison.Ordinal);
    }

    [Fact]
    public void A_EscInTheConfirmDialog_AppliesNothing()
    {
        using var shell = ShellHarness.Create();
        var migration = new FakeMigration(FakeMigration.Snapshot());
        migration.Previews[StepId.M4] = FakeMigration.M4Preview();
        shell.Run(Lab(), null, migration,
        [
            Focus(StepId.M4),
            s => s.Type(Key.A),
            Until(migration, "preview M4"),
            .. DialogOpens<ConfirmChangesDialog>(),
            s => s.Press(Key.Esc),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q),
        ]);

        Assert.Empty(migration.Applied);
    }

    [Fact]
    public void A_ApplyButton_AppliesExactlyThePreviewedChanges()
    {
        using var shell = ShellHarness.Create();
        var migration = new FakeMigration(FakeMigration.Snapshot());
        var preview = FakeMigration.M4Preview();
        migration.Previews[StepId.M4] = preview;
        string? after = null;
        shell.Run(Lab(), null, migration,
        [
            Focus(StepId.M4),
            s => s.Type(Key.A),
            Until(migration, "preview M4"),
            .. DialogOpens<ConfirmChangesDialog>(),
            // A second a is not a hot key for Apply: a key pressed twice never applies.
            s => s.Type(Key.A),
            s => Assert.IsType<ConfirmChangesDialog>(s.TopDialog),
            s => s.Press(Key.Tab),
            s => Assert.Equal("Apply", s.App.Navigation!.GetFocused()!.Text),
            s => s.Press(Key.Enter),
            Until(migration, "apply M4"),
            s => s.AdvanceTime(),
            s => after = Flat(s.Screen()),
            s => s.Press(Key.Q),
        ]);

        Assert.Same(preview, Assert.Single(migration.Applied));
        Assert.Equal(["preview M4", "apply M4"], migration.Calls);
        Assert.Contains("applying M4", after, StringComparison.Ordinal);
    }

    [Fact]
    public void P_ShowsThePreviewInATextDialog_AppliesNothing()
    {
        using var shell = ShellHarness.Create();
        var migration = new FakeMigration(FakeMigration.Snapshot());
        migration.Previews[StepId.M4] = FakeMigration.M4Preview();
        TextDialog? shown = null;
        shell.Run(Lab(), null, migration,
        [
            Focus(StepId.M4),
            s => s.Type(Key.P),
            Until(migration, "preview M4"),
            .. DialogOpens<TextDialog>(),
            s => shown = (TextDialog)s.TopDialog!,
            s => s.Press(Key.Esc),
            s => s.Press(Key.Q),
        ]);

        Assert.Equal("Preview M4", shown!.Title);
        Assert.Contains(shown.Lines, l => l.Contains("+         non-calico: \"true\"", StringComparison.Ordinal));
        Assert.Empty(migration.Applied);
    }

    [Fact]
    public void P_StepThatCannotBePreviewed_SaysSo_NoDialog()
    {
        using var shell = ShellHarness.Create();
        var migration = new FakeMigration(FakeMigration.Snapshot());
        string? screen = null;
        shell.Run(Lab(), null, migration,
        [
            Focus(StepId.M6),
            s => s.Type(Key.A),
            Until(migration, "preview M6"),
            s => s.AdvanceTime(),
            s => { },
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => screen = Flat(s.Screen()),
            s => s.Press(Key.Q),
        ]);

        Assert.Contains("M6 could not be previewed, so nothing was applied", screen, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KeyCode.A)]
    [InlineData(KeyCode.U)]
    [InlineData(KeyCode.U | KeyCode.ShiftMask)]
    public void ReadOnly_ChangeKeys_RefusedBeforeAnyPreviewOrDialog(KeyCode code)
    {
        using var shell = ShellHarness.Create();
        var migration = new FakeMigration(FakeMigration.Snapshot(readOnly: true));
        migration.Previews[StepId.M4] = FakeMigration.M4Preview();
        migration.RollbackPlans = _ => new RollbackPlan(null, [FakeMigration.M4Preview()]);
        string? screen = null;
        shell.Run(Lab(readOnly: true), null, migration,
        [
            Focus(StepId.M4),
            s => s.Press(new Key(code)),
            s => s.AdvanceTime(),
            s => { },
            s => s.AdvanceTime(),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => screen = Flat(s.Screen()),
            s => s.Press(Key.Q),
        ]);

        Assert.Empty(migration.Calls);
        Assert.Contains("read-only: no changes", screen, StringComparison.Ordinal);
        Assert.Contains("READ-ONLY", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void U_PreviewsTheRollbackToTheSelectedStep_RollBackButtonRollsBackThatPlan()
    {
        using var shell = ShellHarness.Create(120, 40);
        var migration = new FakeMigration(FakeMigration.Snapshot(m4: StepState.Done));
        var plan = new RollbackPlan(StepId.M3, [FakeMigration.M4Preview()]);
        migration.RollbackPlans = to => to == StepId.M3 ? plan : null;
        string? dialog = null;
        shell.Run(Lab(), null, migration,
        [
            Focus(StepId.M3),
            s => s.Type(Key.U),
            Until(migration, "preview-rollback M3"),
            .. DialogOpens<ConfirmChangesDialog>(),
            s => dialog = Flat(s.Screen()),
            s => Assert.Equal("Roll back to M3?", s.TopDialog!.Title),
            s => s.Press(Key.Tab),
            s => s.Press(Key.Enter),
            Until(migration, "rollback M3"),
            s => s.Press(Key.Q),
        ]);

        Assert.Contains("roll back to M3: undo M4, in this order", dialog, StringComparison.Ordinal);
        Assert.Same(plan, Assert.Single(migration.RolledBack));
    }

    [Fact]
    public void ShiftU_PreviewsRollingBackEverything()
    {
        using var shell = ShellHarness.Create();
        var migration = new FakeMigration(FakeMigration.Snapshot(m4: StepState.Done));
        migration.RollbackPlans = to => to is null ? new RollbackPlan(null, [FakeMigration.M4Preview()]) : null;
        ConfirmChangesDialog? dialog = null;
        shell.Run(Lab(), null, migration,
        [
            Focus(StepId.M8),
            s => s.Press(Key.U.WithShift),
            Until(migration, "preview-rollback all"),
            .. DialogOpens<ConfirmChangesDialog>(),
            s => dialog = (ConfirmChangesDialog)s.TopDialog!,
            s => s.Press(Key.Esc),
            s => s.Press(Key.Q),
        ]);

        Assert.Equal("Roll back everything?", dialog!.Title);
        Assert.Equal("roll back everything: undo M4, in this order", dialog.Lines[0]);
        Assert.Empty(migration.RolledBack);
    }

    [Fact]
    public void U_NothingToRollBack_SaysSo_NoDialog()
    {
        using var shell = ShellHarness.Create();
        var migration = new FakeMigration(FakeMigration.Snapshot());
        migration.RollbackPlans = to => new RollbackPlan(to, []);
        string? screen = null;
        shell.Run(Lab(), null, migration,
        [
            Focus(StepId.M8),
            s => s.Type(Key.U),
            Until(migration, "preview-rollback M8"),
            s => s.AdvanceTime(),
            s => { },
            s => s.AdvanceTime(),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => screen = Flat(s.Screen()),
            s => s.Press(Key.Q),
        ]);

        Assert.Contains("roll back to M8: nothing to roll back", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void Interrupted_BannerSaysWhereItStopped_StepSelected_AResumes_URollsItBack()
    {
        using var shell = ShellHarness.Create();
        const string Interrupted = "M4 apply was interrupted at 12:03 (the console stopped after patching daemonsets kube-system/kube-proxy)";
        var migration = new FakeMigration(FakeMigration.Snapshot(m4: StepState.Interrupted, interrupted: Interrupted));
        migration.Previews[StepId.M4] = FakeMigration.M4Preview();
        migration.RollbackPlans = to => to == StepId.M3 ? new RollbackPlan(StepId.M3, [FakeMigration.M4Preview()]) : null;
        string? screen = null;
        string? resumeTitle = null;
        string? rollbackTitle = null;
        string? banner = null;
        shell.Run(Lab(), null, migration,
        [
            s => s.Press(Key.D2),
            s => screen = s.Screen(),
            s => banner = s.Main.Checklist.BannerText,
            s => Assert.Equal(StepId.M4, s.Main.Checklist.Selected?.Step),
            s => s.Type(Key.A),
            Until(migration, "preview M4"),
            .. DialogOpens<ConfirmChangesDialog>(),
            s => resumeTitle = s.TopDialog!.Title,
            s => s.Press(Key.Esc),
            s => s.Type(Key.U),
            Until(migration, "preview-rollback M3"),
            .. DialogOpens<ConfirmChangesDialog>(),
            s => rollbackTitle = s.TopDialog!.Title,
            s => s.Press(Key.Esc),
            s => s.Press(Key.Q),
        ]);

        output.WriteLine(screen);
        // 80 columns: the text is cut in its middle, the keys stay.
        Assert.Equal("! M4 apply was…: a resume, u roll back", banner);
        Assert.Contains(banner!, screen, StringComparison.Ordinal);
        Assert.Equal("Resume M4?", resumeTitle);
        Assert.Equal("Roll back to M3?", rollbackTitle);
        Assert.Empty(migration.Applied);
    }

    [Fact]
    public void VAndShiftR_VerifyTheStepAndCheckEveryStep()
    {
        using var shell = ShellHarness.Create();
        var migration = new FakeMigration(FakeMigration.Snapshot(readOnly: true));
        shell.Run(Lab(), null, migration,
        [
            Focus(StepId.M3),
            s => s.Type(Key.V),
            Until(migration, "verify M3"),
            s => s.Press(Key.R.WithShift),
            Until(migration, "refresh"),
            s => s.Press(Key.Q),
        ]);

        Assert.Equal(["verify M3", "refresh"], migration.Calls);
    }

    [Fact]
    public void Enter_DetailShowsWhyLastPreviewAndLastVerify()
    {
        using var shell = ShellHarness.Create();
        var migration = new FakeMigration(FakeMigration.Snapshot());
        TextDialog? detail = null;
        shell.Run(Lab(), null, migration,
        [
            Focus(StepId.M3),
            s => s.Press(Key.Enter),
            s => detail = Assert.IsType<TextDialog>(s.TopDialog),
            s => s.Press(Key.Esc),
            s => s.Press(Key.Q),
        ]);

        Assert.Equal("M3 · Restart calico-node", detail!.Title);
        var text = string.Join("\n", detail.Lines);
        Assert.Contains("state: ✓ done — 3/3 calico-node pods Ready", text, StringComparison.Ordinal);
        Assert.Contains("  calico-node reads the ConfigMap at start.", text, StringComparison.Ordinal);
        Assert.Contains("  1. restart pods k8s-app=calico-node in kube-system (3 now)", text, StringComparison.Ordinal);
        Assert.Contains("  log: Kubernetes server override env vars.", text, StringComparison.Ordinal);
        Assert.Empty(migration.Calls);
    }
}
