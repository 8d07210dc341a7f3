using EbpfConsole.Core.Events;
using EbpfConsole.Core.Shell;
using EbpfConsole.Tui.Panes;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui;

/// <summary>
/// The console's main screen: a header line (target, mode, READ-ONLY, busy), four panes and a status bar.
/// Nodes and Log hold wide rows, so they span the full width; Checklist and Capture share the middle row.
/// Any pane can be zoomed to the whole screen (tmux prefix-z); starting a capture on a short screen zooms the
/// Capture pane by itself (<see cref="ZoomCaptureWhenShort"/>). It renders snapshots and knows nothing of
/// the session: <see cref="ShellController"/> turns keys into actions.
/// </summary>
public sealed class MainWindow : Runnable
{
    private readonly Label _header;
    private readonly StatusBar _statusBar;
    private readonly Shortcut _modeItem;
    private readonly List<(KeyBindingEntry Entry, Shortcut Item)> _statusItems;
    private readonly Keymap _keymap;
    private readonly FrameView[] _panes;
    private readonly List<ConsoleEvent> _localEvents = [];
    private ConsoleSnapshot? _applied;
    private string? _lastFailure;
    private bool _localDirty;

    public MainWindow(Keymap keymap, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(keymap);
        Width = Dim.Fill();
        Height = Dim.Fill();
        Title = "ebpf-console";
        _header = new Label { X = 0, Y = 0, Width = Dim.Fill(), Height = 1, Text = "ebpf-console" };
        _keymap = keymap;
        _modeItem = new Shortcut(Terminal.Gui.Input.Key.Empty, ShellPresenter.ModeName(null), null);
        _statusItems = [.. keymap.Entries.Where(e => e.StatusLabel is not null).Select(e => (e, StatusShortcut(e)))];
        _statusBar = new StatusBar([.. _statusItems.Select(i => i.Item), _modeItem]);
        Nodes = new NodesPane(zone);
        Checklist = new ChecklistPane();
        Capture = new CapturePane(zone);
        Log = new LogPane(zone);
        _panes = [Nodes, Checklist, Capture, Log];
        Add(_header, Nodes, Checklist, Capture, Log, _statusBar);
        Capture.HasFocusChanged += (_, _) => UpdateStatusScope();
        Nodes.HasFocusChanged += (_, _) => UpdateStatusScope();
        Checklist.HasFocusChanged += (_, _) => UpdateStatusScope();
        UpdateStatusScope();
        LayoutPanes();
    }

    /// <summary>A status bar item was activated (mouse); keys are dispatched before they reach it.</summary>
    public event EventHandler<ShellCommand>? CommandRequested;

    public NodesPane Nodes { get; }

    public ChecklistPane Checklist { get; }

    public CapturePane Capture { get; }

    public LogPane Log { get; }

    /// <summary>Panes in focus order: 1 Nodes, 2 Checklist, 3 Capture, 4 Log.</summary>
    public IReadOnlyList<FrameView> Panes => _panes;

    public FrameView? FocusedPane => _panes.FirstOrDefault(p => p.HasFocus);

    public FrameView? ZoomedPane { get; private set; }

    public string HeaderText => _header.Text;

    /// <summary>The snapshot on screen, if any.</summary>
    public ConsoleSnapshot? Applied => _applied;

    public StatusBar StatusBar => _statusBar;

    /// <summary>The key scope of the focused pane: <see cref="KeyScope.Capture"/>, <see cref="KeyScope.Nodes"/> or <see cref="KeyScope.Checklist"/> while that pane has focus.</summary>
    public KeyScope ActiveScope =>
        Capture.HasFocus ? KeyScope.Capture : Nodes.HasFocus ? KeyScope.Nodes : Checklist.HasFocus ? KeyScope.Checklist : KeyScope.Main;

    /// <summary>Shows <paramref name="snapshot"/>; does nothing when it is the one already shown.</summary>
    public bool Apply(ConsoleSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (ReferenceEquals(snapshot, _applied) && !_localDirty)
        {
            return false;
        }

        var nodesHeight = Nodes.PreferredHeight;
        var eventsChanged = _localDirty || !ReferenceEquals(_applied?.Events, snapshot.Events);
        _applied = snapshot;
        _localDirty = false;
        UpdateHeader();
        Nodes.Apply(snapshot.Nodes, snapshot.Preflight);
        if (eventsChanged)
        {
            Log.Apply(snapshot.Events.Concat(_localEvents).OrderBy(e => e.Time));
        }

        if (Nodes.PreferredHeight != nodesHeight)
        {
            SetNeedsLayout();
        }

        SetNeedsDraw();
        return true;
    }

    /// <summary>Records something the shell itself has to say (a refused or failed action) in the Log pane.</summary>
    public void AddLocalEvent(ConsoleEvent entry)
    {
        _localEvents.Add(entry);
        _localDirty = true;
    }

    /// <summary>Marks the header with the last failed action until <see cref="ClearFailure"/>.</summary>
    public void ShowFailure(string what)
    {
        _lastFailure = what;
        _localDirty = true;
    }

    public void ClearFailure()
    {
        if (_lastFailure is not null)
        {
            _lastFailure = null;
            _localDirty = true;
        }
    }

    public void FocusPane(int index)
    {
        var pane = _panes[index];
        if (ZoomedPane is not null && ZoomedPane != pane)
        {
            ZoomedPane = pane;
            LayoutPanes();
        }

        pane.SetFocus();
    }

    public void CyclePane(int step)
    {
        var current = FocusedPane is { } focused ? Array.IndexOf(_panes, focused) : 0;
        FocusPane(((current + step) % _panes.Length + _panes.Length) % _panes.Length);
    }

    public void ToggleZoom()
    {
        ZoomedPane = ZoomedPane is null ? FocusedPane ?? Nodes : null;
        LayoutPanes();
        (ZoomedPane ?? FocusedPane ?? Nodes).SetFocus();
    }

    /// <summary>
    /// Below this many rows the Capture pane is zoomed when a capture starts: in the shared middle row it
    /// shows its status line and two or three connections only (z or Esc gives the four panes back).
    /// </summary>
    public const int ShortScreenRows = 30;

    /// <summary>On a screen shorter than <see cref="ShortScreenRows"/> and with nothing zoomed, zooms the Capture pane.</summary>
    public bool ZoomCaptureWhenShort()
    {
        if (ZoomedPane is not null || Viewport.Height <= 0 || Viewport.Height >= ShortScreenRows)
        {
            return false;
        }

        ZoomedPane = Capture;
        LayoutPanes();
        Capture.SetFocus();
        return true;
    }

    public void Unzoom()
    {
        if (ZoomedPane is not null)
        {
            ToggleZoom();
        }
    }

    /// <summary>Shows the status entries of the active scope (the Capture pane's keys while it has focus).</summary>
    private void UpdateStatusScope()
    {
        var shown = _keymap.StatusEntriesFor(ActiveScope).ToHashSet();
        var wanted = _statusItems.Where(i => shown.Contains(i.Entry)).Select(i => i.Item).Append(_modeItem).ToList();
        var current = _statusBar.SubViews.OfType<Shortcut>().ToList();
        if (wanted.SequenceEqual(current))
        {
            return;
        }

        // Hidden shortcuts would keep their room in the bar: take them out and put the wanted ones back in order.
        foreach (var item in current)
        {
            _statusBar.Remove(item);
        }

        foreach (var item in wanted)
        {
            _statusBar.Add(item);
        }

        _statusBar.SetNeedsLayout();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Shortcuts out of the bar are not disposed with it.
            var inBar = _statusBar.SubViews.ToHashSet();
            foreach (var (_, item) in _statusItems.Where(i => !inBar.Contains(i.Item)))
            {
                item.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    protected override void OnViewportChanged(DrawEventArgs e)
    {
        base.OnViewportChanged(e);
        UpdateHeader();
    }

    private void UpdateHeader()
    {
        if (_applied is { } snapshot)
        {
            _header.Text = ShellPresenter.Header(snapshot, _lastFailure, Viewport.Width > 0 ? Viewport.Width : int.MaxValue);
            _modeItem.Title = ShellPresenter.ModeName(snapshot.Mode);
        }
    }

    private void LayoutPanes()
    {
        foreach (var pane in _panes)
        {
            pane.Visible = ZoomedPane is null || pane == ZoomedPane;
        }

        if (ZoomedPane is { } zoomed)
        {
            Place(zoomed, 0, 1, Dim.Fill(), Dim.Fill(to: _statusBar));
        }
        else
        {
            Place(Nodes, 0, 1, Dim.Fill(), Dim.Func(_ => NodesHeight(), this));
            Place(Checklist, 0, Pos.Bottom(Nodes), Dim.Percent(50), Dim.Func(_ => MiddleHeight(), this));
            Place(Capture, Pos.Right(Checklist), Pos.Bottom(Nodes), Dim.Fill(), Dim.Func(_ => MiddleHeight(), this));
            Place(Log, 0, Pos.Bottom(Checklist), Dim.Fill(), Dim.Fill(to: _statusBar));
        }

        SetNeedsLayout();
    }

    private static void Place(View view, Pos x, Pos y, Dim width, Dim height)
    {
        view.X = x;
        view.Y = y;
        view.Width = width;
        view.Height = height;
    }

    /// <summary>Rows between the header and the status bar.</summary>
    private int PaneArea => Math.Max(0, Viewport.Height - 2);

    /// <summary>The rows the Nodes pane's matrix needs, up to half the screen (the preflight matrix needs more than the probe's table).</summary>
    private int NodesHeight() => Math.Clamp(Nodes.PreferredHeight, 7, Math.Max(7, PaneArea * (Nodes.Preflight is null ? 40 : 50) / 100));

    private int MiddleHeight() => Math.Max(5, PaneArea * 35 / 100);

    private Shortcut StatusShortcut(KeyBindingEntry entry)
    {
        var action = new Action(() => CommandRequested?.Invoke(this, entry.Command));
        return entry.StatusKeys is { } keys
            ? new Shortcut(Terminal.Gui.Input.Key.Empty, $"{keys} {entry.StatusLabel}", action)
            : new Shortcut(entry.Keys[0], entry.StatusLabel!, action);
    }
}
