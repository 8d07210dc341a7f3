using System.Collections.ObjectModel;
using System.Drawing;
using EbpfConsole.Core.Migration;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Panes;

/// <summary>
/// The Checklist pane: the header line (READ-ONLY / DRY-RUN, the running step's progress, install variant, journal),
/// the interrupted banner and the plan's error when there are any, one row per step (glyph, id, title, state word,
/// reason when the width allows) and the selected step's reason. Lines give way to the rows as the pane gets shorter;
/// the header and the banner always stay. The selection is kept by step across refreshes; an interrupted step is
/// selected when it first appears (a resumes it, u rolls it back). Without the migration engine it says so.
/// </summary>
public sealed class ChecklistPane : FrameView
{
    private readonly Label _header;
    private readonly Label _banner;
    private readonly ListView _list;
    private readonly Label _reason;
    private readonly Label _unavailable;
    private ObservableCollection<string> _lines = [];
    private MigrationSnapshot? _snapshot;
    private List<string> _bannerLines = [];
    private bool _available;
    private string? _interruptedSeen;
    private Size _arrangedFor = new(-1, -1);

    public ChecklistPane()
    {
        Title = "2 _Checklist";
        CanFocus = true;
        _header = new Label { X = 0, Y = 0, Width = Dim.Fill(), Height = 1, HotKeySpecifier = NodesPane.NoHotKey };
        _banner = new Label { X = 0, Y = 1, Width = Dim.Fill(), Height = 0, HotKeySpecifier = NodesPane.NoHotKey };
        _list = new ListView { X = 0, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(1), KeystrokeNavigator = null! };
        _list.SetSource(_lines);
        _list.ValueChanged += (_, _) => UpdateReason();
        _reason = new Label { X = 0, Y = Pos.AnchorEnd(1), Width = Dim.Fill(), Height = 1, HotKeySpecifier = NodesPane.NoHotKey };
        _unavailable = new Label
        {
            X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = true, HotKeySpecifier = NodesPane.NoHotKey,
            Text = ChecklistPresenter.NotAvailable,
        };
        _unavailable.TextFormatter.WordWrap = true;
        Add(_header, _banner, _list, _reason, _unavailable);
        Available = false;
    }

    /// <summary>False when the console runs without the migration engine: the pane says so and shows nothing else.</summary>
    public bool Available
    {
        get => _available;
        set
        {
            _available = value;
            _unavailable.Visible = !value;
            _header.Visible = _list.Visible = value;
            _arrangedFor = new Size(-1, -1);
            Arrange();
        }
    }

    /// <summary>The snapshot on screen, if any.</summary>
    public MigrationSnapshot? Snapshot => _snapshot;

    /// <summary>The step under the cursor.</summary>
    public StepRow? Selected =>
        _snapshot is { Rows.Count: > 0 } s && _list.SelectedItem is { } i && i >= 0 && i < s.Rows.Count ? s.Rows[i] : null;

    public string HeaderText => _header.Text;

    public string BannerText => _banner.Text;

    public string ReasonText => _reason.Text;

    public string UnavailableText => _unavailable.Text;

    /// <summary>The rows as shown.</summary>
    public IReadOnlyList<string> RowLines => _lines;

    /// <summary>Moves the cursor to <paramref name="step"/>; false when it is not in the plan.</summary>
    public bool Select(StepId step)
    {
        var index = _snapshot?.Rows.ToList().FindIndex(r => r.Step == step) ?? -1;
        if (index < 0)
        {
            return false;
        }

        _list.SelectedItem = index;
        _list.EnsureSelectedItemVisible();
        UpdateReason();
        return true;
    }

    /// <summary>Shows <paramref name="snapshot"/>; a no-op when it is the one shown. Keeps the selected step selected.</summary>
    public bool Apply(MigrationSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (ReferenceEquals(snapshot, _snapshot))
        {
            return false;
        }

        var selected = Selected?.Step;
        _snapshot = snapshot;
        UpdateTexts();
        var interrupted = snapshot.Rows.FirstOrDefault(r => r.State == StepState.Interrupted);
        if (interrupted is not null && snapshot.Interrupted is { } banner && banner != _interruptedSeen)
        {
            _interruptedSeen = banner;
            Select(interrupted.Step);
        }
        else if (!(selected is { } step && Select(step)) && snapshot.Rows.Count > 0)
        {
            Select(snapshot.Rows[Math.Clamp(_list.SelectedItem ?? 0, 0, snapshot.Rows.Count - 1)].Step);
        }

        SetNeedsDraw();
        return true;
    }

    /// <summary>Re-cuts the lines to the width and re-arranges them when the pane's size changed.</summary>
    protected override void OnSubViewLayout(LayoutEventArgs args)
    {
        if (Viewport.Size != _arrangedFor)
        {
            UpdateTexts();
        }

        base.OnSubViewLayout(args);
    }

    private void UpdateTexts()
    {
        var width = Width0();
        if (_snapshot is not { } snapshot)
        {
            Arrange();
            return;
        }

        _header.Text = ChecklistPresenter.Header(snapshot, width);
        List<string> banner = [];
        if (ChecklistPresenter.Banner(snapshot, width) is { } interrupted)
        {
            banner.Add(interrupted);
        }

        if (snapshot.Error is { Length: > 0 } error)
        {
            banner.Add($"✗ {NodePresenter.OneLine(error)}");
        }

        _bannerLines = banner;
        var rows = ChecklistPresenter.Rows(snapshot.Rows, width);
        if (!rows.SequenceEqual(_lines))
        {
            var keep = _list.SelectedItem;
            _lines = new ObservableCollection<string>(rows);
            _list.SetSource(_lines);
            if (keep is { } k && _lines.Count > 0)
            {
                _list.SelectedItem = Math.Clamp(k, 0, _lines.Count - 1);
            }
        }

        Arrange();
        UpdateReason();
    }

    /// <summary>Header first, then the banner (the news), then the selected step's line when two rows remain for the list.</summary>
    private void Arrange()
    {
        _arrangedFor = Viewport.Size;
        var height = Math.Max(0, Viewport.Height);
        if (!_available)
        {
            _banner.Visible = _reason.Visible = false;
            SetNeedsLayout();
            return;
        }

        var width = Width0();
        var bannerRows = Math.Min(_bannerLines.Count, Math.Max(0, height - 1));
        _banner.Text = string.Join("\n", _bannerLines.Take(bannerRows).Select(l => ChecklistPresenter.Cut(l, width)));
        _banner.Height = bannerRows;
        _banner.Visible = bannerRows > 0;
        var left = height - 1 - bannerRows;
        var reason = left >= 3 ? 1 : 0;
        _reason.Visible = reason == 1;
        _list.Y = 1 + bannerRows;
        _list.Height = Dim.Fill(reason);
        SetNeedsLayout();
    }

    private void UpdateReason() => _reason.Text = ChecklistPresenter.Selected(Selected, Width0());

    private int Width0() => Viewport.Width > 0 ? Viewport.Width : int.MaxValue;
}
