using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Events;
using EbpfConsole.Core.Migration;
using EbpfConsole.Tui.Dialogs;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.App;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui;

/// <summary>
/// The Capture pane's side of the shell: pulls <see cref="ICaptureActions.Latest"/> into the pane on the UI
/// timer and runs the capture commands (start, choose points, stop, packets, detail, pin, compare, delete
/// pin). Start and stop run off the UI thread through the shell's <c>fire</c>; everything else is quick and
/// runs here. When the datapath mode changes under a running capture, the capture so far is pinned under
/// its verdict's name and a new one starts at the same points (<see cref="ObserveMode"/>), so one capture
/// never spans two modes. A migration step's proof shows its before/after pins in the pane (<see cref="ShowProof"/>).
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
    private DatapathMode? _lastMode;

    /// <summary>The points the pane last started a capture with; empty: the engine's defaults; null: never started here.</summary>
    private IReadOnlyList<CapturePoint>? _startedWith;

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
        if (command is not (ShellCommand.StartCapture or ShellCommand.ChooseCapturePoints or ShellCommand.StopCapture or ShellCommand.ShowPackets
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
            case ShellCommand.StartCapture when capture.DefaultPoints.Count == 0:
                // On a cluster nothing says where to capture until the user does.
                _report(EventLevel.Info, "start capture", "no default capture points here: press S (or a) and type NODE:IFACE, e.g. node-1:eth0");
                break;
            case ShellCommand.StartCapture:
                var points = capture.DefaultPoints;
                _report(EventLevel.Info, "start capture",
                    points.Count == 0 ? "starting capture" : $"starting capture at {string.Join(", ", points)}");
                Start(capture, []);
                break;
            case ShellCommand.ChooseCapturePoints:
                ChoosePoints(capture);
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
                var detail = CapturePresenter.Detail(_main.Capture.Snapshot, _main.Capture.Running, _main.Capture.Elapsed, _main.Capture.Selected);
                Show(new TextDialog("Capture detail", detail, TextDialog.TextWidth(_app.Driver?.Cols)));
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
        ShellCommand.ChooseCapturePoints => "choose points",
        ShellCommand.StopCapture => "stop",
        ShellCommand.ShowPackets => "packets",
        ShellCommand.ShowCaptureDetail => "detail",
        ShellCommand.PinSnapshot => "pin",
        ShellCommand.ComparePinned => "compare",
        _ => "delete pin",
    };

    /// <summary>
    /// Sees the session's datapath mode (UI thread, every tick). A change from one known mode to another while
    /// a capture runs pins the capture so far (when it has a connection) and starts afresh at the same points —
    /// unless a migration step runs (<paramref name="migrationOwnsCapture"/>): its proof capture must not be cut in two.
    /// </summary>
    public void ObserveMode(DatapathMode? mode, bool migrationOwnsCapture = false)
    {
        if (mode is not { } now)
        {
            return;
        }

        var before = _lastMode;
        _lastMode = now;
        if (before is not { } was || was == now || _capture is not { } capture || migrationOwnsCapture)
        {
            return;
        }

        var running = false;
        if (Try("read the capture", () => running = capture.IsRunning) && running)
        {
            RestartForMode(capture, now);
        }
    }

    private void RestartForMode(ICaptureActions capture, DatapathMode mode)
    {
        var snapshot = CaptureSnapshot.Empty;
        Try("read the capture", () => snapshot = capture.Latest);
        var points = _startedWith ?? [.. snapshot.Points.Select(p => p.Point)];
        string kept;
        if (snapshot.Connections.Count == 0)
        {
            kept = "no connection captured so far, nothing pinned";
        }
        else
        {
            var taken = Pinned(capture).Select(p => p.Name ?? "").ToList();
            var name = CapturePresenter.UniquePinName(CapturePresenter.SuggestedPinName(snapshot.Classification.Verdict, taken.Count), taken);
            kept = Try("pin", () => capture.Pin(name)) ? $"pinned the capture so far as '{name}'" : "the capture so far could not be pinned";
        }

        _report(EventLevel.Info, "mode change", $"mode changed to {mode.ToName()}: {kept}, capturing afresh");
        Start(capture, points, byUser: false);
    }

    /// <summary>
    /// A migration step's proof (issue 6): shows the pins <see cref="ProofComparison.Before"/> and
    /// <see cref="ProofComparison.After"/> side by side in the Capture pane, without moving the focus, and says so in
    /// the Log; a missing pin or capture engine is said instead.
    /// </summary>
    public void ShowProof(ProofComparison proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        const string What = "proof";
        if (_capture is not { } capture)
        {
            _report(EventLevel.Info, What, $"{proof.Step} proof: '{proof.Before}' and '{proof.After}' were captured, but capture is not available here to compare them");
            return;
        }

        var pinned = Pinned(capture);
        var chosen = new[] { proof.Before, proof.After }.Select(name => pinned.LastOrDefault(p => p.Name == name)).ToList();
        var missing = new[] { proof.Before, proof.After }.Where((_, i) => chosen[i] is null).ToList();
        if (missing.Count > 0)
        {
            _report(EventLevel.Warning, What, $"{proof.Step} proof: no pin named '{string.Join("', '", missing)}': nothing to compare");
            return;
        }

        var title = $"{proof.Step} proof: '{proof.Before}' → '{proof.After}' (c: full width, s: capture again)";
        _main.Capture.ShowComparison(title, [.. chosen.Select(c => c!)]);
        _report(EventLevel.Info, What,
            $"{proof.Step} proof in Capture: '{proof.Before}' ({chosen[0]!.Classification.Verdict.ToName()}) → '{proof.After}' ({chosen[1]!.Classification.Verdict.ToName()})");
    }

    private void ChoosePoints(ICaptureActions capture)
    {
        IReadOnlyList<CapturePoint>? chosen;
        using (var dialog = new PointsDialog(CurrentPoints(capture)))
        {
            Theme.Apply(dialog, _options.NoColor);
            _app.Run(dialog);
            chosen = dialog.Chosen;
        }

        if (chosen is { Count: > 0 })
        {
            _report(EventLevel.Info, "start capture", $"starting capture at {string.Join(", ", chosen)}");
            Start(capture, chosen);
        }
    }

    /// <summary>The points to offer: those last started here, else the shown capture's, else the defaults.</summary>
    private IReadOnlyList<CapturePoint> CurrentPoints(ICaptureActions capture) =>
        _startedWith is { Count: > 0 } started ? started
        : _main.Capture.Snapshot.Points is { Count: > 0 } shown ? [.. shown.Select(p => p.Point)]
        : capture.DefaultPoints;

    /// <summary>
    /// Starts at <paramref name="points"/> (empty: the defaults) and remembers them. A start the user asked for
    /// zooms the pane on a short screen; a restart after a mode change leaves the layout alone.
    /// </summary>
    private void Start(ICaptureActions capture, IReadOnlyList<CapturePoint> points, bool byUser = true)
    {
        _startedWith = points;
        _main.Capture.RestartClock();
        _fire("start capture", ct => capture.StartAsync(points, ct));
        if (byUser)
        {
            // A step's proof on screen gives way to the capture the user asked for.
            _main.Capture.ClearComparison();
            _main.ZoomCaptureWhenShort();
        }
    }

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
        if (_main.Capture.Compared is { } proof)
        {
            // A step's proof on screen: c shows that pair at the full width.
            Show(new TextDialog("Compare (migration proof)", ComparisonPresenter.Render(ComparisonPresenter.Rows(proof), TextDialog.TextWidth(_app.Driver?.Cols)), 0));
            return;
        }

        var pinned = Pinned(capture);
        if (pinned.Count == 0)
        {
            _report(EventLevel.Info, "compare", "nothing pinned yet: p pins the current capture");
            return;
        }

        // One pin is compared with what is on screen now; more pins with each other (the last three), and
        // while a capture with connections runs (say after mode changes pinned the earlier ones) with it too.
        var current = _main.Capture.Snapshot with { Name = null };
        var live = _main.Capture.Running && current.Connections.Count > 0;
        IReadOnlyList<CaptureSnapshot> chosen = pinned.Count == 1 ? [pinned[0], current]
            : live ? [.. pinned.Skip(Math.Max(0, pinned.Count - (ComparisonPresenter.MaxColumns - 1))), current]
            : ComparisonPresenter.Chosen(pinned);
        var text = ComparisonPresenter.Render(ComparisonPresenter.Rows(chosen), TextDialog.TextWidth(_app.Driver?.Cols));
        var shownPins = chosen.Count(s => s.Name is not null);
        var title = pinned.Count > shownPins
            ? $"Compare (last {shownPins} of {pinned.Count} pins{(live ? " and the running capture" : "")})"
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
