using EbpfConsole.Core.Capture;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Panes;

/// <summary>
/// The connections of one snapshot as a table. Nothing is copied or formatted up front: a cell is
/// formatted when the table draws it, and the table only asks for visible rows, so the cost of a refresh
/// does not depend on how many connections (or packets) the capture holds.
/// </summary>
internal sealed class ConnectionTableSource(IReadOnlyList<ConnectionView> connections, TimeZoneInfo zone) : ITableSource
{
    private static readonly string[] Names = [.. ConnectionPresenter.Columns];

    public static ConnectionTableSource Empty { get; } = new([], TimeZoneInfo.Utc);

    public IReadOnlyList<ConnectionView> Connections => connections;

    public object this[int row, int col] => ConnectionPresenter.Cell(connections[row], col, zone);

    public string[] ColumnNames => Names;

    public int Columns => Names.Length;

    public int Rows => connections.Count;

    /// <summary>The row of the connection with <paramref name="id"/>, or -1.</summary>
    public int IndexOf(int id)
    {
        for (var i = connections.Count - 1; i >= 0; i--)
        {
            if (connections[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }
}
