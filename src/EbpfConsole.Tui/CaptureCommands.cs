using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Events;
using EbpfConsole.Tui.Dialogs;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.App;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui;

/// <summary>
/// The Capture pane's side of the shell: pulls <see cref="ICaptureActions.Latest"/> into the pane on the UI
/// timer and runs the capture commands (start, stop, packets, detail, pin, compare, delete pin). Start and
/// stop run off the UI thread through the shell's <c>fire</c>; everything else is quick and runs here.
/// Without a capture engine every command says so in the Log instead of failing.
/// </summary>
internal sealed class CaptureCommands
{
    private readonly IApplication _app;
    private readonly MainWindow _main;
    private readonly ICaptureActions? _capture;
    private readonly ConsoleOptions _options;
    private readonly Action<EventLevel, string, string> _report;
    private readonly Action<string, Func<CancellationToken, Task>> _fire;
    private bool _readFailed;

    public CaptureCommands(
        IApplication app,
        MainWindow main,
        ICaptureActions? capture,
        ConsoleOptions options,
        Action<EventLevel, string, string> report,
        Action<string, Func<CancellationToken, Task>> fire)
    {
        _app = app;
        _main = main;
        _capture = capture;
        _options = options;
        _report = report;
        _fire = fire;
        _main.Capture.Available = capture is not null;
    }

    /// <summary>Pulls the capture's latest snapshot into the pane (UI thread); a cheap no-op when nothing changed.</summary>
    public void Tick()
    {
        if (_capture is null)
        {
            return;
        }

        try
        {
            var latest = _capture.Latest;
            var running = _capture.IsRunning;
            _readFailed = false;
            _main.Capture.Apply(latest, running, _options.Time.GetUtcNow());
        }
#pragma warning disable CA1031 // A capture that cannot give its state must not take the terminal down: say so once, keep going.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!_readFailed)
            {
                _readFailed = true;
                _report(EventLevel.Error, "reading the capture", $"cannot read the capture state: {ex.Message}");
            }
        }
    }

    /// <summary>Runs a capture command; false when <paramref name="command"/> is not one.</summary>
    public bool Execute(ShellCommand command)
    {
        if (command is not (ShellCommand.StartCapture or ShellCommand.StopCapture or ShellCommand.ShowPackets
            or ShellCommand.ShowCaptureDetail or ShellCommand.PinSnapshot or ShellCommand.ComparePinned or ShellCommand.DeletePin))
        {
            return false;
        }

        if (_capture is not { } capture)
        {
            _report(EventLevel.Warning, "capture", $"capture is not available here: {Describe(command)} ignored");
            return true;
        }

        switch (command)
        {
            case ShellCommand.StartCapture:
                var points = capture.DefaultPoints;
                _report(EventLevel.Info, "start capture",
                    points.Count == 0 ? "starting capture" : $"starting capture at {string.Join(", ", points)}");
                _fire("start capture", ct => capture.StartAsync([], ct));
                break;
            case ShellCommand.StopCapture when !capture.IsRunning:
                _report(EventLevel.Info, "stop capture", "no capture is running");
                break;
            case ShellCommand.StopCapture:
                _fire("stop capture", _ => capture.StopAsync());
                break;
            case ShellCommand.ShowPackets:
                ShowPackets();
                break;
            case ShellCommand.ShowCaptureDetail:
                Show(new TextDialog("Capture detail", CapturePresenter.Detail(_main.Capture.Snapshot, _main.Capture.Running, _main.Capture.Elapsed), TextDialog.TextWidth(_app.Driver?.Cols)));
                break;
            case ShellCommand.PinSnapshot:
                PinSnapshot(capture);
                break;
            case ShellCommand.ComparePinned:
                Compare(capture);
                break;
            default:
                DeletePin(capture);
                break;
        }

        return true;
    }

    private static string Describe(ShellCommand command) => command switch
    {
        ShellCommand.StartCapture => "start",
        ShellCommand.StopCapture => "stop",
        ShellCommand.ShowPackets => "packets",
        ShellCommand.ShowCaptureDetail => "detail",
        ShellCommand.PinSnapshot => "pin",
        ShellCommand.ComparePinned => "compare",
        _ => "delete pin",
    };

    private void ShowPackets()
    {
        if (_main.Capture.Selected is not { } connection)
        {
            _report(EventLevel.Info, "packets", "no connection selected: nothing captured yet");
            return;
        }

        Show(new PacketsDialog(connection, _options.Time.LocalTimeZone));
    }

    private void PinSnapshot(ICaptureActions capture)
    {
        var snapshot = _main.Capture.Snapshot;
        if (snapshot.Packets == 0 && snapshot.Connections.Count == 0)
        {
            _report(EventLevel.Info, "pin", "nothing to pin: no packets captured yet");
            return;
        }

        var pinned = Pinned(capture);
        string? name;
        using (var dialog = new PinDialog(
            CapturePresenter.SuggestedPinName(snapshot.Classification.Verdict, pinned.Count),
            [.. pinned.Select(p => p.Name ?? "?")]))
        {
            Theme.Apply(dialog, _options.NoColor);
            _app.Run(dialog);
            name = dialog.Chosen;
        }

        if (name is null)
        {
            return;
        }

        if (PinDialog.Validate(name) is { } problem)
        {
            _report(EventLevel.Warning, "pin", $"not pinned: {problem}");
            return;
        }

        if (Try("pin", () => capture.Pin(name)))
        {
            _report(EventLevel.Info, "pin", $"pinned '{name}': {snapshot.Classification.Verdict.ToName()}, {snapshot.Connections.Count} connections");
        }
    }

    private void Compare(ICaptureActions capture)
    {
        var pinned = Pinned(capture);
        if (pinned.Count == 0)
        {
            _report(EventLevel.Info, "compare", "nothing pinned yet: p pins the current capture");
            return;
        }

        // One pin is compared with what is on screen now; more pins with each other (the last three).
        IReadOnlyList<CaptureSnapshot> chosen = pinned.Count == 1 ? [pinned[0], _main.Capture.Snapshot with { Name = null }] : ComparisonPresenter.Chosen(pinned);
        var text = ComparisonPresenter.Render(ComparisonPresenter.Rows(chosen), TextDialog.TextWidth(_app.Driver?.Cols));
        var title = pinned.Count > ComparisonPresenter.MaxColumns
            ? $"Compare (last {ComparisonPresenter.MaxColumns} of {pinned.Count} pins)"
            : "Compare";
        Show(new TextDialog(title, text, 0));
    }

    private void DeletePin(ICaptureActions capture)
    {
        var pinned = Pinned(capture);
        if (pinned.Count == 0)
        {
            _report(EventLevel.Info, "delete pin", "nothing pinned");
            return;
        }

        string? name;
        using (var dialog = new UnpinDialog([.. pinned.Select(p => p.Name ?? "?")]))
        {
            Theme.Apply(dialog, _options.NoColor);
            _app.Run(dialog);
            name = dialog.Chosen;
        }

        if (name is not null && Try("delete pin", () => capture.Unpin(name)))
        {
            _report(EventLevel.Info, "delete pin", $"deleted pin '{name}'");
        }
    }

    private IReadOnlyList<CaptureSnapshot> Pinned(ICaptureActions capture)
    {
        IReadOnlyList<CaptureSnapshot> pinned = [];
        return Try("read pins", () => pinned = capture.Pinned) ? pinned : [];
    }

    private void Show(Dialog dialog)
    {
        using (dialog)
        {
            Theme.Apply(dialog, _options.NoColor);
            _app.Run(dialog);
        }
    }

    private bool Try(string what, Action action)
    {
        try
        {
            action();
            return true;
        }
#pragma warning disable CA1031 // ICaptureActions promises not to throw at the UI; if it does anyway, it is shown, not fatal.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _report(EventLevel.Error, what, $"{what} failed: {ex.Message}");
            return false;
        }
    }
}
