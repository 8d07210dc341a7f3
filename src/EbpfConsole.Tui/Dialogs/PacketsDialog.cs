using EbpfConsole.Core.Capture;
using EbpfConsole.Tui.Panes;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Dialogs;

/// <summary>The packets of one connection at every capture point, in time order; Esc goes back.</summary>
public sealed class PacketsDialog : Dialog
{
    public PacketsDialog(ConnectionView connection, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Title = "Packets";
        Width = Dim.Percent(96);
        Height = Dim.Percent(90);
        var packets = PacketPresenter.InTimeOrder(connection);
        Rows = [.. packets.Select(p => PacketPresenter.ToRow(p, zone))];
        var title = new Label { X = 0, Y = 0, Width = Dim.Fill(), Height = 1, Text = PacketPresenter.Title(connection) };
        var reason = new Label { X = 0, Y = 1, Width = Dim.Fill(), Height = 1, Text = NodePresenter.OneLine(connection.Reason) };
        var table = new TableView
        {
            X = 0,
            Y = 2,
            Width = Dim.Fill(),
            Height = Dim.Fill(),
            FullRowSelect = true,
            Table = new RowsTableSource(PacketPresenter.Columns, Rows),
        };
        table.Style.ShowHorizontalHeaderOverline = false;
        table.Style.ShowHorizontalBottomLine = false;
        table.Style.ShowVerticalCellLines = false;
        table.Style.ShowVerticalHeaderLines = false;
        table.Style.ExpandLastColumn = true;
        table.Style.AlwaysShowHeaders = true;
        Add(title, reason, table);
        AddButton(new Button { Text = "_Close" });
        table.SetFocus();
    }

    /// <summary>The rows shown, in time order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }
}
