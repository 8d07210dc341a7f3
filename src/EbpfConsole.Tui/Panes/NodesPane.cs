using EbpfConsole.Core.Nodes;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Panes;

/// <summary>The Nodes pane: one row per node and, under the table, the selected node in full (error included).</summary>
public sealed class NodesPane : FrameView
{
    private const int DetailHeight = 2;
    private readonly TimeZoneInfo _zone;
    private readonly TableView _table;
    private readonly Label _detail;
    private IReadOnlyList<NodeStatus> _nodes = [];

    public NodesPane(TimeZoneInfo zone)
    {
        _zone = zone;
        Title = "1 _Nodes";
        CanFocus = true;
        _table = PaneTable.Create(new RowsTableSource(NodePresenter.Columns, []), y: 0, bottomReserved: DetailHeight, headerUnderline: true);
        _table.ValueChanged += (_, _) => UpdateDetail();
        _detail = new Label
        {
            X = 0,
            Y = Pos.AnchorEnd(DetailHeight),
            Width = Dim.Fill(),
            Height = DetailHeight,
            Text = NodePresenter.Detail(null, zone),
        };
        _detail.TextFormatter.WordWrap = true;
        Add(_table, _detail);
    }

    /// <summary>Rows the pane needs to show every node without scrolling (table, header, detail, border).</summary>
    public int PreferredHeight => _nodes.Count + 2 + DetailHeight + 2;

    public NodeStatus? Selected =>
        _table.Value is { } selection && selection.SelectedCell.Y >= 0 && selection.SelectedCell.Y < _nodes.Count
            ? _nodes[selection.SelectedCell.Y]
            : _nodes.Count > 0 ? _nodes[0] : null;

    public string DetailText => _detail.Text;

    /// <summary>Shows <paramref name="nodes"/>, keeping the selected node selected.</summary>
    public void Apply(IReadOnlyList<NodeStatus> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (ReferenceEquals(nodes, _nodes))
        {
            return;
        }

        var selectedName = Selected?.Name;
        _nodes = nodes;
        _table.Table = new RowsTableSource(NodePresenter.Columns, nodes.Select(NodePresenter.ToRow).ToArray());
        var row = selectedName is null ? 0 : Math.Max(0, nodes.ToList().FindIndex(n => n.Name == selectedName));
        if (nodes.Count > 0)
        {
            _table.SetSelection(0, row, false, null);
        }

        UpdateDetail();
        SetNeedsDraw();
    }

    private void UpdateDetail() => _detail.Text = NodePresenter.Detail(Selected, _zone);
}

/// <summary>A read-only table of strings for <see cref="TableView"/>.</summary>
internal sealed class RowsTableSource(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows) : ITableSource
{
    public object this[int row, int col] => rows[row][col];

    public string[] ColumnNames { get; } = [.. columns];

    public int Columns => ColumnNames.Length;

    public int Rows => rows.Count;
}
