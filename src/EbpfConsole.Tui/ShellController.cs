using System.Collections.Concurrent;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Events;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Shell;
using EbpfConsole.Tui.Dialogs;
using Terminal.Gui.App;
using Terminal.Gui.Input;

namespace EbpfConsole.Tui;

/// <summary>
/// Turns keys into commands through the <see cref="Keymap"/> and commands into session actions. Actions run
/// on the thread pool; failures come back through a queue the UI timer drains, so nothing blocks the UI
/// thread and no exception reaches Terminal.Gui. Refreshes and mode switches never overlap themselves.
/// Keys of the focused pane's scope (the Capture, Nodes or Checklist pane's) are tried before the main ones. Each refresh also
/// hands the datapath mode to the capture side, which starts a fresh capture when the mode changes, and the
/// snapshot to the preflight side, which asks the user any question background work waits on.
/// </summary>
public sealed class ShellController : IDisposable
{
    private const string Source = "console";
    private readonly IApplication _app;
    private readonly MainWindow _main;
    private readonly IConsoleActions _actions;
    private readonly Keymap _keymap;
    private readonly ConsoleOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<(EventLevel Level, string What, string Message)> _outcomes = new();
    private readonly ConcurrentDictionary<string, Task> _running = new();
    private readonly CaptureCommands _capture;
    private readonly PreflightCommands _preflight;
    private readonly ChecklistCommands _checklist;
    private bool _snapshotFailed;

    public ShellController(IApplication app, MainWindow main, IConsoleActions actions, Keymap keymap, ConsoleOptions options)
        : this(app, main, actions, null, keymap, options)
    {
    }

    /// <summary>A shell whose Capture pane is driven by <paramref name="capture"/> (null: capture is not available here).</summary>
    public ShellController(IApplication app, MainWindow main, IConsoleActions actions, ICaptureActions? capture, Keymap keymap, ConsoleOptions options)
        : this(app, main, actions, capture, null, keymap, options)
    {
    }

    /// <summary>
    /// A shell whose Capture pane is driven by <paramref name="capture"/> and Checklist pane by <paramref name="migration"/>
    /// (null: not available here).
    /// </summary>
    public ShellController(
        IApplication app,
        MainWindow main,
        IConsoleActions actions,
        ICaptureActions? capture,
        IMigrationActions? migration,
        Keymap keymap,
        ConsoleOptions options)
    {
        _app = app ?? throw new ArgumentNullException(nameof(app));
        _main = main ?? throw new ArgumentNullException(nameof(main));
        _actions = actions ?? throw new ArgumentNullException(nameof(actions));
        _keymap = keymap ?? throw new ArgumentNullException(nameof(keymap));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _capture = new CaptureCommands(app, main, capture, options, Report, (what, action) => Fire(what, action));
        _preflight = new PreflightCommands(app, main, actions, options, Report, Fire);
        _checklist = new ChecklistCommands(app, main, migration, options, Report, Fire, _capture.ShowProof);
        _app.Keyboard.KeyDown += OnKeyDown;
        _main.CommandRequested += OnCommandRequested;
    }

    /// <summary>Pulls the latest snapshot and any finished action outcomes into the views (UI thread).</summary>
    public void Tick()
    {
        DrainOutcomes();
        var current = Current();
        _main.Apply(current);
        _preflight.Tick(current);
        _capture.ObserveMode(current.Mode, _checklist.StepRunning);
        _capture.Tick();
        _checklist.Tick();

        // A confirm dialog closed inside this tick reports what it starts ("applying M2") now, before the work's own lines.
        DrainOutcomes();
    }

    private void DrainOutcomes()
    {
        while (_outcomes.TryDequeue(out var outcome))
        {
            _main.AddLocalEvent(new ConsoleEvent(_options.Time.GetUtcNow(), Source, outcome.Level, outcome.Message));
            if (outcome.Level == EventLevel.Error)
            {
                _main.ShowFailure($"{outcome.What} failed");
            }
        }
    }

    public void Execute(ShellCommand command)
    {
        if (_capture.Execute(command) || _preflight.Execute(command) || _checklist.Execute(command))
        {
            return;
        }

        switch (command)
        {
            case ShellCommand.Help:
                using (var help = new HelpDialog(_keymap, _app.Driver?.Cols, _app.Driver?.Rows))
                {
                    Theme.Apply(help, _options.NoColor);
                    _app.Run(help);
                }

                break;
            case ShellCommand.FocusNodes or ShellCommand.FocusChecklist or ShellCommand.FocusCapture or ShellCommand.FocusLog:
                _main.FocusPane(command - ShellCommand.FocusNodes);
                break;
            case ShellCommand.NextPane:
                _main.CyclePane(1);
                break;
            case ShellCommand.PreviousPane:
                _main.CyclePane(-1);
                break;
            case ShellCommand.Zoom:
                _main.ToggleZoom();
                break;
            case ShellCommand.Unzoom:
                _main.Unzoom();
                break;
            case ShellCommand.RefreshNodes:
                _main.ClearFailure();
                Fire("refresh nodes", _actions.RefreshNodesAsync);
                _preflight.RunAll();
                break;
            case ShellCommand.SwitchMode:
                SwitchMode();
                break;
            case ShellCommand.Quit:
                Quit();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command, "no handler for this command");
        }
    }

    private void OnKeyDown(object? sender, Key key)
    {
        if (key.Handled || _app.TopRunnableView != _main)
        {
            return;
        }

        var scope = _main.ActiveScope;
        if (!(scope != KeyScope.Main && _keymap.TryGetCommand(key, scope, out var command)) && !_keymap.TryGetCommand(key, KeyScope.Main, out command))
        {
            return;
        }

        key.Handled = true;
        Execute(command);
    }

    /// <summary>The session's latest state; when reading it fails, says so once and keeps the last one shown.</summary>
    private ConsoleSnapshot Current()
    {
        try
        {
            var latest = _actions.Latest;
            _snapshotFailed = false;
            return latest;
        }
#pragma warning disable CA1031 // A session that cannot give its state must not take the terminal down: say so, keep going.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!_snapshotFailed)
            {
                _snapshotFailed = true;
                _main.AddLocalEvent(new ConsoleEvent(_options.Time.GetUtcNow(), Source, EventLevel.Error, $"cannot read the session state: {ex.Message}"));
                _main.ShowFailure("reading the session state failed");
            }

            return _main.Applied ?? ConsoleSnapshot.Empty("?");
        }
    }

    private void OnCommandRequested(object? sender, ShellCommand command)
    {
        if (_app.TopRunnableView == _main)
        {
            Execute(command);
        }
    }

    private void SwitchMode()
    {
        var latest = Current();
        if (latest.ReadOnly)
        {
            MessageDialog.Ask(_app, _options.NoColor, "Read-only", "The console runs read-only: switching the datapath is refused.", "_OK");
            Report(EventLevel.Warning, "switch mode", "mode switch refused: read-only");
            return;
        }

        DatapathMode? chosen;
        bool auto;
        using (var dialog = new ModeDialog(latest.Mode))
        {
            Theme.Apply(dialog, _options.NoColor);
            _app.Run(dialog);
            chosen = dialog.Chosen;
            auto = dialog.ChoseAuto;
        }

        if (auto)
        {
            _main.ClearFailure();
            Fire("hand the datapath back", _actions.ReleaseModeAsync, key: "switch mode");
        }
        else if (chosen == latest.Mode && chosen is { } same)
        {
            Report(EventLevel.Info, "switch mode", $"already {same.ToName()}: nothing to switch");
        }
        else if (chosen is { } mode)
        {
            _main.ClearFailure();
            Fire($"switch to {mode.ToName()}", ct => _actions.SetModeAsync(mode, ct), key: "switch mode");
        }
    }

    /// <summary>Quits at once when idle; while work runs, asks first, with Stay as the default (Enter, Esc).</summary>
    private void Quit()
    {
        if (Current().Busy is { Length: > 0 } busy
            && MessageDialog.Ask(_app, _options.NoColor, "Quit?", $"Work is running: {busy}.\nQuit anyway?", "_Quit", "_Stay") != 0)
        {
            return;
        }

        _app.RequestStop(_main);
    }

    /// <summary>Runs <paramref name="action"/> off the UI thread unless the same kind of action still runs.</summary>
    private void Fire(string what, Func<CancellationToken, Task> action, string? key = null)
    {
        key ??= what;
        if (_running.TryGetValue(key, out var previous) && !previous.IsCompleted)
        {
            Report(EventLevel.Info, what, $"{key} is already running");
            return;
        }

        var token = _stopping.Token;
        _running[key] = Task.Run(async () =>
        {
            try
            {
                await action(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Shutting down: not an error.
            }
#pragma warning disable CA1031 // Any failure of a session action is shown to the user, never thrown into the UI loop.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Report(EventLevel.Error, what, $"{what} failed: {ex.GetType().Name}: {ex.Message}");
            }
        }, CancellationToken.None);
    }

    private void Report(EventLevel level, string what, string message) => _outcomes.Enqueue((level, what, message));

    public void Dispose()
    {
        _app.Keyboard.KeyDown -= OnKeyDown;
        _main.CommandRequested -= OnCommandRequested;
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
