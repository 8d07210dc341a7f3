using System.Collections.ObjectModel;
using System.Drawing;
using EbpfConsole.Core.Capture;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Panes;

/// <summary>
/// The Capture pane: a status line (state, classification badge, packets / dropped / malformed), the
/// evidence sentence, per-point counters, the connection table and the selected connection's verdict
/// in full. Lines give way to the table as the pane gets shorter; the status line always stays. The
/// table follows new connections while the selection is on the last row and otherwise keeps the
/// selected connection (by id) across refreshes.
/// </summary>
public sealed class CapturePane : FrameView
{
    private const int DetailHeight = 2;
    private readonly TimeZoneInfo _zone;
    private readonly Label _status;
    private readonly Label _evidence;
    private readonly Label _points;
    private readonly TableView _table;
    private readonly Label _detail;
    private readonly Label _unavailable;
    private readonly LogList _comparison;
    private IReadOnlyList<CaptureSnapshot>? _compared;
    private string _comparedTitle = "";
    private ObservableCollection<string> _comparisonLines = [];
    private ConnectionTableSource _source = ConnectionTableSource.Empty;
    private CaptureSnapshot _snapshot = CaptureSnapshot.Empty;
    private bool _applied;
    private bool _running;
    private TimeSpan _elapsed;
    private DateTimeOffset? _startedAt;
    private bool _available;
    private Size _arrangedFor = new(-1, -1);
    private Size _tableSizedFor;

    public CapturePane(TimeZoneInfo zone)
    {
        _zone = zone;
        Title = "3 Ca_pture";
        CanFocus = true;
        _status = Line(0);
        _evidence = Line(1);
        _points = Line(2);
        _table = PaneTable.Create(_source, y: 3, bottomReserved: DetailHeight, headerUnderline: false);
        _table.CollectionNavigator = null;
        _table.ValueChanged += (_, _) => UpdateDetail();
        _detail = new Label { X = 0, Y = Pos.AnchorEnd(DetailHeight), Width = Dim.Fill(), Height = DetailHeight };
        _detail.TextFormatter.WordWrap = true;
        _unavailable = new Label { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = true, Text = CapturePresenter.NotAvailable };
        _unavailable.TextFormatter.WordWrap = true;
        _comparison = new LogList { X = 0, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(), Visible = false };
        Add(_status, _evidence, _points, _table, _detail, _comparison, _unavailable);
        Available = false;
    }

    /// <summary>False when the console runs without a capture engine: the pane says so and shows nothing else.</summary>
    public bool Available
    {
        get => _available;
        set
        {
            _available = value;
            _unavailable.Visible = !value;
            _status.Visible = _table.Visible = value;
            _arrangedFor = new Size(-1, -1);
            Arrange();
            UpdateTexts();
        }
    }

    /// <summary>The snapshot on screen.</summary>
    public CaptureSnapshot Snapshot => _snapshot;

    public bool Running => _running;

    /// <summary>The connection under the cursor, or null when the table is empty.</summary>
    public ConnectionView? Selected =>
        _table.Value is { } selection && selection.SelectedCell.Y >= 0 && selection.SelectedCell.Y < _source.Rows
            ? _source.Connections[selection.SelectedCell.Y]
            : null;

    public int SelectedRow => _table.Value?.SelectedCell.Y ?? -1;

    public int Rows => _source.Rows;

    public string StatusText => _status.Text;

    public string EvidenceText => _evidence.Text;

    public string PointsText => _points.Text;

    public string DetailText => _detail.Text;

    /// <summary>How long the running capture has run, as the pane counts it (from when it first saw it running).</summary>
    public TimeSpan Elapsed => _elapsed;

    internal TableView Table => _table;

    /// <summary>The pinned snapshots compared in the pane (a migration step's proof), or null when it shows the capture.</summary>
    public IReadOnlyList<CaptureSnapshot>? Compared => _compared;

    /// <summary>The comparison's lines as shown (empty when none is).</summary>
    public IReadOnlyList<string> ComparisonLines => _compared is null ? [] : _comparisonLines;

    /// <summary>
    /// Shows <paramref name="snapshots"/> side by side (ComparisonPresenter, at the pane's width) in place of the
    /// connections, under <paramref name="title"/>, until <see cref="ClearComparison"/> (a capture started here).
    /// The status line stays; the focus does not move.
    /// </summary>
    public void ShowComparison(string title, IReadOnlyList<CaptureSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        _compared = snapshots;
        _comparedTitle = title;
        _arrangedFor = new Size(-1, -1);
        Arrange();
        UpdateTexts();
        SetNeedsDraw();
    }

    /// <summary>Back to the capture's connections.</summary>
    public void ClearComparison()
    {
        if (_compared is null)
        {
            return;
        }

        _compared = null;
        _arrangedFor = new Size(-1, -1);
        Arrange();
        SetNeedsDraw();
    }

    /// <summary>
    /// Shows <paramref name="snapshot"/>. A new snapshot replaces the table's source (no copy) and restores
    /// the selection; the same snapshot only updates the elapsed time, and only when the shown second changed.
    /// Returns whether anything was redrawn.
    /// </summary>
    public bool Apply(CaptureSnapshot snapshot, bool running, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _startedAt = running ? _startedAt ?? now : null;
        var elapsed = _startedAt is { } started ? TimeSpan.FromSeconds(Math.Floor((now - started).TotalSeconds)) : TimeSpan.Zero;
        var sameData = _applied && ReferenceEquals(snapshot, _snapshot);
        if (sameData && running == _running && elapsed == _elapsed)
        {
            return false;
        }

        _running = running;
        _elapsed = elapsed;
        if (!sameData)
        {
            _applied = true;
            _snapshot = snapshot;
            Replace(snapshot.Connections);
            UpdateTexts();
        }
        else
        {
            _status.Text = CapturePresenter.StatusLine(_snapshot, _running, _elapsed, Width0());
        }

        SetNeedsDraw();
        return true;
    }

    /// <summary>A new capture was started here: the elapsed time counts from the next refresh that sees it running.</summary>
    public void RestartClock() => _startedAt = null;

    /// <summary>Before each layout of the lines and the table: re-arrange and re-cut the texts when the size changed.</summary>
    protected override void OnSubViewLayout(LayoutEventArgs args)
    {
        if (Viewport.Size != _arrangedFor)
        {
            Arrange();
            UpdateTexts();
        }

        base.OnSubViewLayout(args);
    }

    /// <summary>
    /// The table sizes its columns from the rows it can show: when its size is first known (or changed), size
    /// them again, or a snapshot applied before the first layout keeps header-wide columns.
    /// </summary>
    protected override void OnSubViewsLaidOut(LayoutEventArgs args)
    {
        base.OnSubViewsLaidOut(args);
        if (_table.Viewport.Size != _tableSizedFor)
        {
            _tableSizedFor = _table.Viewport.Size;
            _table.RefreshContentSize();
            _table.EnsureCursorIsVisible();
            _table.SetNeedsDraw();
        }
    }

    private void Replace(IReadOnlyList<ConnectionView> connections)
    {
        var previousRows = _source.Rows;
        var previousRow = SelectedRow;
        var following = previousRows == 0 || previousRow >= previousRows - 1;
        var selectedId = Selected?.Id;
        _source = new ConnectionTableSource(connections, _zone);
        _table.Table = _source;
        if (_source.Rows == 0)
        {
            UpdateDetail();
            return;
        }

        var row = following || selectedId is not { } id ? _source.Rows - 1 : _source.IndexOf(id);
        if (row < 0)
        {
            row = Math.Clamp(previousRow, 0, _source.Rows - 1);
        }

        _table.SetSelection(0, row, false, null);
        _table.EnsureCursorIsVisible();
        UpdateDetail();
    }

    /// <summary>Which lines the pane's height leaves room for: the status line always, then the table.</summary>
    private void Arrange()
    {
        var height = Viewport.Height;
        _arrangedFor = Viewport.Size;
        var comparing = _available && _compared is not null;
        _comparison.Visible = comparing;
        _table.Visible = _available && !comparing;
        var showEvidence = _available && !comparing && height >= 5;
        var showPoints = _available && !comparing && height >= 8;
        var showDetail = _available && !comparing && height >= 10;
        _evidence.Visible = showEvidence;
        _points.Visible = showPoints;
        _detail.Visible = showDetail;
        _table.Y = 1 + (showEvidence ? 1 : 0) + (showPoints ? 1 : 0);
        _table.Height = Dim.Fill(showDetail ? DetailHeight : 0);
        SetNeedsLayout();
    }

    private void UpdateTexts()
    {
        var width = Width0();
        _status.Text = CapturePresenter.StatusLine(_snapshot, _running, _elapsed, width);
        _evidence.Text = CapturePresenter.Evidence(_snapshot, width);
        _points.Text = CapturePresenter.Points(_snapshot.Points, width);
        UpdateDetail();
        if (_compared is { } compared)
        {
            var text = ComparisonPresenter.Render(ComparisonPresenter.Rows(compared), width == int.MaxValue ? 80 : width);
            _comparisonLines = new ObservableCollection<string>([_comparedTitle, .. text.Split('\n')]);
            _comparison.SetSource(_comparisonLines);
        }
    }

    private void UpdateDetail() =>
        _detail.Text = _source.Rows == 0 ? "No NodePort connection captured yet." : ConnectionPresenter.Detail(Selected);

    private int Width0() => Viewport.Width > 0 ? Viewport.Width : int.MaxValue;

    private static Label Line(int y) => new() { X = 0, Y = y, Width = Dim.Fill(), Height = 1 };
}
