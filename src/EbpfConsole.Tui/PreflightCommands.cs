using EbpfConsole.Core.Events;
using EbpfConsole.Core.Shell;
using EbpfConsole.Tui.Dialogs;
using EbpfConsole.Tui.Panes;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.App;

namespace EbpfConsole.Tui;

/// <summary>
/// The Nodes pane's side of the shell: the preflight detail dialogs (a check's evidence and remediation, a node's
/// checks, the cluster's), re-running preflight (all nodes with the main refresh, or the selected node), and the
/// questions background work puts to the user (<see cref="ConsoleSnapshot.Question"/>: an unknown host key, a key's
/// passphrase), each asked once, in a modal opened outside the refresh timer so the screen keeps updating under it.
/// A question the session withdraws (timed out, answered elsewhere) closes its dialog without an answer.
/// </summary>
internal sealed class PreflightCommands
{
    private const string RunKey = "preflight";
    private readonly IApplication _app;
    private readonly MainWindow _main;
    private readonly IConsoleActions _actions;
    private readonly ConsoleOptions _options;
    private readonly Action<EventLevel, string, string> _report;
    private readonly Action<string, Func<CancellationToken, Task>, string?> _fire;
    private readonly HashSet<long> _asked = [];
    private QuestionDialog? _open;
    private bool _pending;
    private bool _withdrawn;

    public PreflightCommands(
        IApplication app,
        MainWindow main,
        IConsoleActions actions,
        ConsoleOptions options,
        Action<EventLevel, string, string> report,
        Action<string, Func<CancellationToken, Task>, string?> fire)
    {
        _app = app;
        _main = main;
        _actions = actions;
        _options = options;
        _report = report;
        _fire = fire;
    }

    /// <summary>The question being asked, if a dialog is open.</summary>
    public UserQuestion? Asking => _open?.Question;

    /// <summary>Sees the latest snapshot (UI thread, every tick): asks a new question, or closes one the session withdrew.</summary>
    public void Tick(ConsoleSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (_open is { } open)
        {
            if (snapshot.Question?.Id != open.Question.Id && !_withdrawn)
            {
                _withdrawn = true;
                _app.RequestStop(open);
            }

            return;
        }

        if (!_pending && snapshot.Question is { } question && _asked.Add(question.Id))
        {
            // Not from inside the timer's callback: a modal run there would hold the timer, and the screen, until closed.
            _pending = true;
            _app.Invoke(() => Ask(question));
        }
    }

    /// <summary>Runs a Nodes-pane command; false when <paramref name="command"/> is not one.</summary>
    public bool Execute(ShellCommand command)
    {
        switch (command)
        {
            case ShellCommand.ShowPreflightDetail:
                ShowDetail();
                return true;
            case ShellCommand.RerunNodePreflight:
                RerunSelectedNode();
                return true;
            default:
                return false;
        }
    }

    /// <summary>The main refresh's preflight half: every node again (not when preflight is not available or already running).</summary>
    public void RunAll()
    {
        if (Startable("re-run preflight") is not null)
        {
            _fire("preflight (all nodes)", ct => _actions.RunPreflightAsync(null, ct), RunKey);
        }
    }

    private void RerunSelectedNode()
    {
        if (Startable("re-run preflight on a node") is null)
        {
            return;
        }

        if (_main.Nodes.SelectedRow is not { } row)
        {
            _report(EventLevel.Info, "re-run preflight", "no node selected: nothing to re-run");
            return;
        }

        if (row.Preflight is null)
        {
            _report(EventLevel.Warning, "re-run preflight", $"{row.Name} is not in the API's node list: preflight cannot check it");
            return;
        }

        _report(EventLevel.Info, "re-run preflight", $"re-running preflight on {row.Name}");
        _fire($"preflight on {row.Name}", ct => _actions.RunPreflightAsync(row.Name, ct), RunKey);
    }

    /// <summary>The preflight shown, when a run can start now; else says why not and gives null.</summary>
    private Core.Preflight.PreflightSnapshot? Startable(string what)
    {
        var preflight = _main.Applied?.Preflight;
        if (preflight is null)
        {
            _report(EventLevel.Info, what, "preflight is not available here: nothing to re-run");
            return null;
        }

        if (preflight.Running)
        {
            _report(EventLevel.Info, what, $"preflight is already running ({preflight.Progress})");
            return null;
        }

        return preflight;
    }

    private void ShowDetail()
    {
        var pane = _main.Nodes;
        var selection = pane.Selection;
        var width = TextDialog.TextWidth(_app.Driver?.Cols);
        var preflight = pane.Preflight;
        if (selection.OnClusterRow && preflight is not null)
        {
            if (selection.CheckId is null)
            {
                Show("Cluster checks", PreflightDetail.Cluster(preflight, _options.Time.LocalTimeZone, width));
            }
            else if (PreflightPresenter.ClusterResult(preflight, selection.CheckId) is { } result)
            {
                Show($"{result.Id} · cluster", PreflightDetail.Check(result, width));
            }
            else
            {
                _report(EventLevel.Info, "preflight detail", PreflightPresenter.ClusterLine(preflight, selection.CheckId));
            }

            return;
        }

        if (selection.Row is not { } row)
        {
            _report(EventLevel.Info, "preflight detail", "no node to show");
            return;
        }

        if (selection.CheckId is not { } id)
        {
            Show($"Node {row.Name}", PreflightDetail.Node(row, _options.Time.LocalTimeZone, width, preflight is not null));
        }
        else if (NodeMatrix.ResultOf(row, id) is { } result)
        {
            Show($"{result.Id} · {row.Name}", PreflightDetail.Check(result, width));
        }
        else
        {
            _report(EventLevel.Info, "preflight detail", PreflightPresenter.CheckLine(row, id));
        }
    }

    private void Show(string title, IReadOnlyList<string> lines)
    {
        using var dialog = new TextDialog(title, lines);
        Theme.Apply(dialog, _options.NoColor);
        _app.Run(dialog);
    }

    private void Ask(UserQuestion question)
    {
        _pending = false;
        string? answer;
        using (var dialog = new QuestionDialog(question, QuestionDialog.TextWidth(_app.Driver?.Cols)))
        {
            Theme.Apply(dialog, _options.NoColor);
            _open = dialog;
            _withdrawn = false;
            try
            {
                _app.Run(dialog);
            }
            finally
            {
                _open = null;
            }

            answer = dialog.Answer;
        }

        if (_withdrawn)
        {
            _report(EventLevel.Info, "question", $"\"{question.Title}\" was withdrawn before it was answered");
            return;
        }

        try
        {
            _actions.Answer(question.Id, answer);
            // Never the secret itself in the Log.
            var said = question.Kind == QuestionKind.Secret ? (answer is null ? "skipped" : "passphrase given") : (answer ?? "no");
            _report(EventLevel.Info, "question", $"{question.Title}: {said}");
        }
#pragma warning disable CA1031 // A session that cannot take the answer must not take the terminal down: say so.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _report(EventLevel.Error, "answer a question", $"answering \"{question.Title}\" failed: {ex.Message}");
        }
    }
}
