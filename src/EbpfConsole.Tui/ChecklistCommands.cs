using System.Collections.Concurrent;
using EbpfConsole.Core.Events;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Preview;
using EbpfConsole.Tui.Dialogs;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.App;

namespace EbpfConsole.Tui;

/// <summary>
/// The Checklist pane's side of the shell: pulls <see cref="IMigrationActions.Latest"/> into the pane on the UI timer and
/// runs the checklist keys. Previews, applies, verifies and rollbacks run off the UI thread through the shell's
/// <c>fire</c>, one migration operation at a time; a preview that came back is confirmed in a dialog opened on the main
/// loop (never from inside the timer, never over another dialog), showing the full preview with Cancel as the default.
/// READ-ONLY refuses every change before any dialog. A new <see cref="MigrationSnapshot.Comparison"/> hands the
/// before/after pins to the Capture pane (<c>showProof</c>), which shows them without taking the focus.
/// </summary>
internal sealed class ChecklistCommands
{
    private const string OperationKey = "migration";
    private const string PreviewKey = "migration preview";
    private readonly IApplication _app;
    private readonly MainWindow _main;
    private readonly IMigrationActions? _migration;
    private readonly ConsoleOptions _options;
    private readonly Action<EventLevel, string, string> _report;
    private readonly Action<string, Func<CancellationToken, Task>, string?> _fire;
    private readonly Action<ProofComparison> _showProof;
    private readonly ConcurrentQueue<Action> _dialogs = new();
    private bool _readFailed;
    private bool _dialogPending;
    private long _comparisonSeq;

    public ChecklistCommands(
        IApplication app,
        MainWindow main,
        IMigrationActions? migration,
        ConsoleOptions options,
        Action<EventLevel, string, string> report,
        Action<string, Func<CancellationToken, Task>, string?> fire,
        Action<ProofComparison> showProof)
    {
        _app = app;
        _main = main;
        _migration = migration;
        _options = options;
        _report = report;
        _fire = fire;
        _showProof = showProof;
        _main.Checklist.Available = migration is not null;
    }

    /// <summary>True while a step is applied, verified or rolled back: its proof captures own the Capture pane's session.</summary>
    public bool StepRunning
    {
        get
        {
            try
            {
                return _migration?.Latest.Running is not null;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>The pane's snapshot into view, a new proof comparison to the Capture pane, a waiting dialog opened (UI thread).</summary>
    public void Tick()
    {
        if (_migration is null)
        {
            return;
        }

        try
        {
            var latest = _migration.Latest;
            _readFailed = false;
            _main.Checklist.Apply(latest);
            if (latest.Comparison is { } comparison && comparison.Seq > _comparisonSeq)
            {
                _comparisonSeq = comparison.Seq;
                _showProof(comparison);
            }
        }
#pragma warning disable CA1031 // An engine that cannot give its state must not take the terminal down: say so once, keep going.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!_readFailed)
            {
                _readFailed = true;
                _report(EventLevel.Error, "reading the migration", $"cannot read the migration state: {ex.Message}");
            }
        }

        // A confirmation waits for the main screen: never on top of a dialog the user is in.
        if (!_dialogPending && _app.TopRunnableView == _main && _dialogs.TryDequeue(out var open))
        {
            // Not from inside the timer's callback: a modal run there would hold the timer, and the screen, until closed.
            _dialogPending = true;
            _app.Invoke(() =>
            {
                _dialogPending = false;
                open();
            });
        }
    }

    /// <summary>Runs a checklist command; false when <paramref name="command"/> is not one.</summary>
    public bool Execute(ShellCommand command)
    {
        if (command is not (ShellCommand.ShowStepDetail or ShellCommand.PreviewStep or ShellCommand.ApplyStep or ShellCommand.VerifyStep
            or ShellCommand.RollbackToStep or ShellCommand.RollbackAll or ShellCommand.RefreshChecklist))
        {
            return false;
        }

        if (_migration is not { } migration)
        {
            _report(EventLevel.Warning, "checklist", "the migration checklist is not available here: nothing to do");
            return true;
        }

        if (command == ShellCommand.RefreshChecklist)
        {
            _report(EventLevel.Info, "check the steps", "checking every step against the cluster");
            _fire("check the steps", migration.RefreshAsync, PreviewKey);
            return true;
        }

        if (command == ShellCommand.RollbackAll)
        {
            Rollback(migration, null, "roll back everything");
            return true;
        }

        if (_main.Checklist.Selected is not { } row)
        {
            _report(EventLevel.Info, "checklist", "no step to act on: the plan is empty");
            return true;
        }

        switch (command)
        {
            case ShellCommand.ShowStepDetail:
                Show(new TextDialog($"{row.Step} · {row.Title}", ChecklistDetail.Lines(row, _main.Checklist.Snapshot!, Width())));
                break;
            case ShellCommand.PreviewStep:
                Preview(migration, row);
                break;
            case ShellCommand.ApplyStep:
                Apply(migration, row);
                break;
            case ShellCommand.VerifyStep:
                _report(EventLevel.Info, "verify", $"verifying {row.Step}");
                _fire($"verify {row.Step}", ct => migration.VerifyAsync(row.Step, ct), OperationKey);
                break;
            default:
                // On an interrupted step "u roll back" means that step too: roll back to the one before it.
                var target = row.State == StepState.Interrupted ? Before(row.Step) : row.Step;
                Rollback(migration, target, target is { } t ? $"roll back to {t}" : "roll back everything");
                break;
        }

        return true;
    }

    private void Preview(IMigrationActions migration, StepRow row)
    {
        var step = row.Step;
        _report(EventLevel.Info, "preview", $"previewing {step} against the live objects");
        _fire($"preview {step}", async ct =>
        {
            var preview = await migration.PreviewAsync(step, ct).ConfigureAwait(false);
            if (preview is null)
            {
                _report(EventLevel.Warning, "preview", $"{step} could not be previewed (the reason is in the Log)");
                return;
            }

            _dialogs.Enqueue(() => Show(new TextDialog($"Preview {step}", ChecklistDetail.Wrap(PreviewText.Lines(preview), Width()))));
        }, PreviewKey);
    }

    private void Apply(IMigrationActions migration, StepRow row)
    {
        var step = row.Step;
        if (Refused($"apply {step}"))
        {
            return;
        }

        if (row.State == StepState.NotApplicable)
        {
            _report(EventLevel.Info, $"apply {step}", $"{step} is not part of this cluster's plan: {row.Reason}");
            return;
        }

        var resume = row.State == StepState.Interrupted;
        _report(EventLevel.Info, $"apply {step}", $"previewing {step} before {(resume ? "resuming" : "applying")} it");
        _fire($"preview {step}", async ct =>
        {
            var preview = await migration.PreviewAsync(step, ct).ConfigureAwait(false);
            if (preview is null)
            {
                _report(EventLevel.Warning, $"apply {step}", $"{step} could not be previewed, so nothing was applied (the reason is in the Log)");
                return;
            }

            _dialogs.Enqueue(() =>
            {
                var title = $"{(resume ? "Resume" : "Apply")} {step}?{DryRunTitle()}";
                if (!Confirm(title, PreviewText.Lines(preview), resume ? "Resume" : "Apply"))
                {
                    _report(EventLevel.Info, $"apply {step}", $"{step} not applied: cancelled, nothing changed");
                    return;
                }

                _report(EventLevel.Info, $"apply {step}", $"applying {step}{(Latest()?.DryRun == true ? " (server-side dry run)" : "")}");
                _fire($"apply {step}", ct2 => migration.ApplyAsync(preview, ct2), OperationKey);
            });
        }, PreviewKey);
    }

    private void Rollback(IMigrationActions migration, StepId? target, string what)
    {
        if (Refused(what))
        {
            return;
        }

        _report(EventLevel.Info, what, $"previewing: {what}");
        _fire($"preview: {what}", async ct =>
        {
            var plan = await migration.PreviewRollbackAsync(target, ct).ConfigureAwait(false);
            if (plan is null)
            {
                _report(EventLevel.Warning, what, $"{what}: could not be previewed, nothing was changed (the reason is in the Log)");
                return;
            }

            if (plan.IsEmpty)
            {
                _report(EventLevel.Info, what, $"{what}: nothing to roll back");
                return;
            }

            _dialogs.Enqueue(() =>
            {
                var title = target is { } t ? $"Roll back to {t}?{DryRunTitle()}" : $"Roll back everything?{DryRunTitle()}";
                if (!Confirm(title, PreviewText.Lines(plan), "Roll back"))
                {
                    _report(EventLevel.Info, what, $"{what}: cancelled, nothing changed");
                    return;
                }

                _report(EventLevel.Info, what, $"{what}: undoing {string.Join(", ", plan.Steps.Select(s => s.Step))}");
                _fire(what, ct2 => migration.RollbackAsync(plan, ct2), OperationKey);
            });
        }, PreviewKey);
    }

    /// <summary>READ-ONLY: says so in the Log and refuses, before any preview or dialog.</summary>
    private bool Refused(string what)
    {
        if (Latest()?.ReadOnly != true && _main.Applied?.ReadOnly != true)
        {
            return false;
        }

        _report(EventLevel.Warning, what, $"{what}: read-only: no changes");
        return true;
    }

    private bool Confirm(string title, IReadOnlyList<string> lines, string action)
    {
        using var dialog = new ConfirmChangesDialog(title, ChecklistDetail.Wrap(lines, Width()), action);
        Theme.Apply(dialog, _options.NoColor);
        _app.Run(dialog);
        return dialog.Approved;
    }

    private string DryRunTitle() => Latest()?.DryRun == true ? " (DRY-RUN: server-side dry run, nothing is stored)" : "";

    /// <summary>The step before <paramref name="step"/> in the plan; null for the first.</summary>
    private StepId? Before(StepId step)
    {
        var rows = _main.Checklist.Snapshot?.Rows ?? [];
        var index = rows.ToList().FindIndex(r => r.Step == step);
        return index > 0 ? rows[index - 1].Step : null;
    }

    private MigrationSnapshot? Latest() => _main.Checklist.Snapshot;

    private int Width() => TextDialog.TextWidth(_app.Driver?.Cols);

    private void Show(TextDialog dialog)
    {
        using (dialog)
        {
            Theme.Apply(dialog, _options.NoColor);
            _app.Run(dialog);
        }
    }
}
