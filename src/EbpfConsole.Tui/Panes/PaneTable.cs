using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Panes;

/// <summary>The table style the panes share: full-row selection, no cell lines, last column expanded, headers always shown.</summary>
internal static class PaneTable
{
    /// <summary>A table from row <paramref name="y"/> down to <paramref name="bottomReserved"/> rows above the pane's bottom.</summary>
    public static TableView Create(ITableSource source, int y, int bottomReserved, bool headerUnderline)
    {
        var table = new TableView
        {
            X = 0,
            Y = y,
            Width = Dim.Fill(),
            Height = Dim.Fill(bottomReserved),
            FullRowSelect = true,
            Table = source,
        };
        table.Style.ShowHorizontalHeaderOverline = false;
        table.Style.ShowHorizontalHeaderUnderline = headerUnderline;
        table.Style.ShowHorizontalBottomLine = false;
        table.Style.ShowVerticalCellLines = false;
        table.Style.ShowVerticalHeaderLines = false;
        table.Style.ExpandLastColumn = true;
        table.Style.AlwaysShowHeaders = true;
        return table;
    }
}
