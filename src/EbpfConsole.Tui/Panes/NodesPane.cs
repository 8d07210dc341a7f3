using System.Drawing;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Panes;

/// <summary>What Enter acts on in the Nodes pane: a cell of the cluster row or of the matrix.</summary>
/// <param name="OnClusterRow">True for the cluster row (then <paramref name="Row"/> is null).</param>
/// <param name="CheckId">The check of the cell; null for "cluster" and for the NAME, SSH, ADDRESS and KERNEL cells.</param>
/// <param name="Row">The node of a matrix cell.</param>
public sealed record NodesSelection(bool OnClusterRow, string? CheckId, NodeRow? Row);

/// <summary>
/// The Nodes pane as the preflight matrix (k9s-like): the cluster summary, the cluster checks as a row of
/// selectable cells, the progress line, then one row per node (NAME, SSH, one narrow column per node check,
/// ADDRESS, KERNEL) with cell selection, the legend and the selected cell in one line. Lines give way to the matrix
/// as the pane gets shorter (<see cref="Arrange"/>); the progress line always stays. Up on the first node
/// row goes to the cluster row, Down there comes back. Without a preflight (not available here) it is the
/// probe's table of nodes, as before. Selection is kept by node name and column across refreshes.
/// </summary>
public sealed class NodesPane : FrameView
{
    private const int DetailHeight = 2;

    /// <summary>The hot key specifier that turns '_' hot keys off.</summary>
    internal static readonly System.Text.Rune NoHotKey = new('\uffff');
    private readonly TimeZoneInfo _zone;
    private readonly Label _summary;
    private readonly TableView _clusterRow;
    private readonly Label _status;
    private readonly TableView _table;
    private readonly Label _legend;
    private readonly Label _detail;
    private IReadOnlyList<NodeStatus> _nodes = [];
    private PreflightSnapshot? _preflight;
    private NodeMatrix _matrix = NodeMatrix.Empty;
    private IReadOnlyList<string> _clusterIds = [];
    private IReadOnlyList<string> _summaryLines = [];
    private string _progress = "";
    private bool _clusterSelected;
    private Size _arrangedFor = new(-1, -1);
    private int _arrangedRows = -1;

    public NodesPane(TimeZoneInfo zone)
    {
        _zone = zone;
        Title = "1 _Nodes";
        CanFocus = true;
        // Text from nodes and the API (paths like id_ed25519): no '_' hot keys in any of these labels.
        _summary = new Label { X = 0, Y = 0, Width = Dim.Fill(), Height = 1, HotKeySpecifier = NoHotKey };
        _status = new Label { X = 0, Y = 0, Width = Dim.Fill(), Height = 1, HotKeySpecifier = NoHotKey };
        _status.TextFormatter.WordWrap = true;
        _table = new TableView { X = 0, Y = 0, Width = Dim.Fill(), Height = 1, FullRowSelect = false, Table = new RowsTableSource([], []) };
        Style(_table.Style, headers: true);
        _table.ValueChanged += (_, _) => UpdateDetail();
        _table.HasFocusChanged += (_, e) => SelectCluster(false, e.NewValue);
        _table.KeyDown += OnMatrixKey;
        _clusterRow = new TableView { X = 0, Y = 0, Width = Dim.Fill(), Height = 1, FullRowSelect = false, Table = new RowsTableSource([], []) };
        Style(_clusterRow.Style, headers: false);
        _clusterRow.Style.ExpandLastColumn = false;
        _clusterRow.ValueChanged += (_, _) => UpdateDetail();
        _clusterRow.HasFocusChanged += (_, e) => SelectCluster(true, e.NewValue);
        _clusterRow.KeyDown += OnClusterKey;
        _legend = new Label { X = 0, Y = 0, Width = Dim.Fill(), Height = 1, Text = PreflightPresenter.Legend };
        _detail = new Label { X = 0, Y = 0, Width = Dim.Fill(), Height = DetailHeight, HotKeySpecifier = NoHotKey, Text = NodePresenter.Detail(null, zone) };
        _detail.TextFormatter.WordWrap = true;
        // The matrix first: it has the focus when the pane gets it; Tab or Up (on the first row) reaches the cluster row.
        Add(_summary, _table, _clusterRow, _status, _legend, _detail);
        Arrange();
    }

    /// <summary>Rows the pane needs to show everything without scrolling (border included).</summary>
    public int PreferredHeight => _preflight is null
        ? _nodes.Count + 2 + DetailHeight + 2
        : 2 + 2 + 1 + StatusLines(Width0()) + 1 + _matrix.Rows.Count + 1 + DetailHeight;

    /// <summary>The preflight on screen; null when preflight is not available here.</summary>
    public PreflightSnapshot? Preflight => _preflight;

    public NodeMatrix Matrix => _matrix;

    /// <summary>The node of the selected matrix row (the first one when nothing is selected yet).</summary>
    public NodeStatus? Selected => SelectedRow?.Status;

    public NodeRow? SelectedRow =>
        _matrix.Rows.Count == 0 ? null : _matrix.Rows[Math.Clamp(_table.Value?.SelectedCell.Y ?? 0, 0, _matrix.Rows.Count - 1)];

    /// <summary>What Enter opens: the selected cell of the cluster row (when it was selected last) or of the matrix.</summary>
    public NodesSelection Selection
    {
        get
        {
            if (_clusterSelected && _clusterRow.Visible)
            {
                var column = _clusterRow.Value?.SelectedCell.X ?? 0;
                return new NodesSelection(true, column >= 1 && column <= _clusterIds.Count ? _clusterIds[column - 1] : null, null);
            }

            return new NodesSelection(false, _matrix.CheckIdAt(_table.Value?.SelectedCell.X ?? 0), SelectedRow);
        }
    }

    public string SummaryText => _summary.Text;

    public string StatusText => _status.Text;

    public string DetailText => _detail.Text;

    internal TableView Table => _table;

    internal TableView ClusterRow => _clusterRow;

    /// <summary>Shows the probe's <paramref name="nodes"/> without preflight (not available here).</summary>
    public void Apply(IReadOnlyList<NodeStatus> nodes) => Apply(nodes, null);

    /// <summary>Shows <paramref name="nodes"/> and <paramref name="preflight"/>, keeping the selected node and column selected.</summary>
    public bool Apply(IReadOnlyList<NodeStatus> nodes, PreflightSnapshot? preflight)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (ReferenceEquals(nodes, _nodes) && ReferenceEquals(preflight, _preflight) && _arrangedRows >= 0)
        {
            return false;
        }

        var selectedName = SelectedRow?.Name;
        var selectedColumn = _matrix.Columns.ElementAtOrDefault(_table.Value?.SelectedCell.X ?? 0);
        var selectedCluster = _clusterRow.Value?.SelectedCell.X ?? 0;
        var selectedClusterId = selectedCluster >= 1 && selectedCluster <= _clusterIds.Count ? _clusterIds[selectedCluster - 1] : null;
        _nodes = nodes;
        _preflight = preflight;
        _matrix = NodeMatrix.From(nodes, preflight);
        _table.Table = new RowsTableSource(_matrix.Columns, _matrix.Cells);
        StyleColumns();
        if (_matrix.Rows.Count > 0)
        {
            var row = selectedName is null ? 0 : Math.Max(0, _matrix.Rows.ToList().FindIndex(r => r.Name == selectedName));
            var column = selectedColumn is null ? 0 : Math.Max(0, _matrix.Columns.ToList().IndexOf(selectedColumn));
            _table.SetSelection(column, row, false, null);
        }

        if (preflight is not null)
        {
            _clusterIds = PreflightPresenter.ClusterIds(preflight);
            var cells = PreflightPresenter.ClusterRow(preflight);
            _clusterRow.Table = new RowsTableSource([.. cells.Select((_, i) => $"c{i}")], [cells]);
            var column = selectedClusterId is null ? 0 : _clusterIds.ToList().FindIndex(id => id == selectedClusterId) + 1;
            _clusterRow.SetSelection(Math.Max(0, column), 0, false, null);
            _progress = PreflightPresenter.Progress(preflight, _zone);
        }
        else
        {
            _clusterIds = [];
            _progress = "";
        }

        Arrange();
        UpdateDetail();
        SetNeedsDraw();
        return true;
    }

    /// <summary>Re-arranges the lines when the pane's size changed.</summary>
    protected override void OnSubViewLayout(LayoutEventArgs args)
    {
        if (Viewport.Size != _arrangedFor)
        {
            Arrange();
        }

        base.OnSubViewLayout(args);
    }

    /// <summary>The tables size their columns from what they can show: size them again once their size is known.</summary>
    protected override void OnSubViewsLaidOut(LayoutEventArgs args)
    {
        base.OnSubViewsLaidOut(args);
        foreach (var table in new[] { _table, _clusterRow })
        {
            table.RefreshContentSize();
            table.EnsureCursorIsVisible();
        }
    }

    /// <summary>
    /// Which lines the pane's height leaves room for, in this order: the progress line (an error in full), the matrix header and
    /// first row, the cluster row, the summary, the selected cell's line, every node row, the legend, the
    /// selected cell's second line, the rest of a long error, the second summary line. The matrix gets what is left.
    /// </summary>
    private void Arrange()
    {
        _arrangedFor = Viewport.Size;
        _arrangedRows = _matrix.Rows.Count;
        var left = Math.Max(0, Viewport.Height);
        int Take(int want)
        {
            var got = Math.Clamp(want, 0, left);
            left -= got;
            return got;
        }

        var preflight = _preflight is not null;
        _table.Style.ShowHorizontalHeaderUnderline = !preflight;
        if (!preflight)
        {
            var detail = left >= DetailHeight + 3 ? DetailHeight : 0;
            foreach (var view in new View[] { _summary, _clusterRow, _status, _legend })
            {
                Place(view, 0, 0);
            }

            Place(_table, 0, Math.Max(1, left - detail));
            Place(_detail, Math.Max(1, left - detail), detail);
            SetNeedsLayout();
            return;
        }

        var width = Width0();
        _summaryLines = PreflightPresenter.Summary(_preflight!, width);
        // The legend rides on the progress line when both fit (120 columns), else it takes a line of its own.
        var legendInline = Viewport.Width > 0 && _progress.Length + 3 + PreflightPresenter.Legend.Length <= width;
        _status.Text = legendInline ? _progress.PadRight(width - PreflightPresenter.Legend.Length) + PreflightPresenter.Legend : _progress;
        var rows = _matrix.Rows.Count;
        // An error is the news: it is shown in full before anything else; otherwise its line comes first.
        var status = Take(_preflight!.Error is null ? 1 : StatusLines(width));
        var table = Take(rows == 0 ? 1 : 2);
        var cluster = Take(1);
        var summary = Take(_preflight.Cluster is null && _preflight.Error is not null ? 0 : 1);
        var detailLines = Take(1);
        table += Take(rows - 1);
        var legend = legendInline ? 0 : Take(1);
        detailLines += Take(DetailHeight - 1);
        status += _preflight.Error is null ? Take(StatusLines(width) - 1) : 0;
        summary += summary == 0 ? 0 : Take(_summaryLines.Count - 1);
        table += left;

        _summary.Text = string.Join("\n", _summaryLines.Take(summary));
        var y = Place(_summary, 0, summary);
        y = Place(_clusterRow, y, cluster);
        y = Place(_status, y, status);
        y = Place(_table, y, table);
        y = Place(_legend, y, legend);
        Place(_detail, y, detailLines);
        SetNeedsLayout();
    }

    /// <summary>Puts <paramref name="view"/> at row <paramref name="y"/>, <paramref name="height"/> rows high (hidden at 0); the next free row.</summary>
    private static int Place(View view, int y, int height)
    {
        view.Y = y;
        view.Height = height;
        view.Visible = height > 0;
        return y + height;
    }

    private int StatusLines(int width) =>
        width <= 0 || _preflight is null ? 1 : Math.Clamp(ComparisonPresenter.Wrap(_progress, width).Count, 1, 3);

    private int Width0() => Viewport.Width > 0 ? Viewport.Width : int.MaxValue;

    private void SelectCluster(bool cluster, bool focused)
    {
        if (focused && _clusterSelected != cluster)
        {
            _clusterSelected = cluster;
            UpdateDetail();
        }
    }

    private void OnMatrixKey(object? sender, Key key)
    {
        if (key == Key.CursorUp && _clusterRow.Visible && (_table.Value?.SelectedCell.Y ?? 0) == 0)
        {
            key.Handled = true;
            _clusterRow.SetFocus();
        }
    }

    private void OnClusterKey(object? sender, Key key)
    {
        if (key == Key.CursorDown && _table.Visible)
        {
            key.Handled = true;
            _table.SetFocus();
        }
    }

    private void UpdateDetail()
    {
        var selection = Selection;
        _detail.Text = (selection, _preflight) switch
        {
            ({ OnClusterRow: true }, { } preflight) => PreflightPresenter.ClusterLine(preflight, selection.CheckId),
            ({ Row: null }, _) => NodePresenter.Detail(null, _zone),
            ({ Row: { Preflight: null, Status: { } status } }, null) => NodePresenter.Detail(status, _zone),
            ({ CheckId: { } id, Row: { } row }, _) => PreflightPresenter.CheckLine(row, id),
            ({ Row: { } row }, _) => PreflightPresenter.NodeLine(row, _zone),
        };
    }

    private void StyleColumns()
    {
        _table.Style.ColumnStyles.Clear();
        if (!_matrix.HasPreflight)
        {
            return;
        }

        _table.Style.GetOrCreateColumnStyle(1).MaxWidth = 12;
        for (var column = NodeMatrix.FirstCheckColumn; column < NodeMatrix.FirstCheckColumn + _matrix.CheckIds.Count; column++)
        {
            _table.Style.GetOrCreateColumnStyle(column).Alignment = Terminal.Gui.ViewBase.Alignment.Center;
        }
    }

    private static void Style(TableStyle style, bool headers)
    {
        style.ShowHeaders = headers;
        style.AlwaysShowHeaders = headers;
        style.ShowHorizontalHeaderOverline = false;
        style.ShowHorizontalHeaderUnderline = false;
        style.ShowHorizontalBottomLine = false;
        style.ShowVerticalCellLines = false;
        style.ShowVerticalHeaderLines = false;
        style.ExpandLastColumn = true;
    }
}

/// <summary>A read-only table of strings for <see cref="TableView"/>.</summary>
internal sealed class RowsTableSource(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows) : ITableSource
{
    public object this[int row, int col] => rows[row][col];

    public string[] ColumnNames { get; } = [.. columns];

    public int Columns => ColumnNames.Length;

    public int Rows => rows.Count;
}
