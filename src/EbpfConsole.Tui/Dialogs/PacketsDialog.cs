using System.Collections.ObjectModel;
using EbpfConsole.Core.Capture;
using EbpfConsole.Tui.Panes;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Dialogs;

/// <summary>
/// The packets of one connection at every capture point, in time order, over the whole screen. The rows are
/// laid out for the width (<see cref="PacketTable"/>): at 80 columns points are numbered (a legend names
/// them) and ack and the VXLAN outer pair move to the line under the list, which describes the selected
/// packet in full. All rows scroll; Esc goes back.
/// </summary>
public sealed class PacketsDialog : Dialog
{
    /// <summary>Rows for the selected packet's line: a long point name with a VXLAN outer pair takes two at 80 columns.</summary>
    private const int SelectedHeight = 2;
    private readonly IReadOnlyList<PacketView> _packets;
    private readonly TimeZoneInfo _zone;
    private readonly Label _title;
    private readonly Label _reason;
    private readonly Label _legend;
    private readonly Label _header;
    private readonly LogList _list;
    private readonly Label _selected;
    private int _laidOutFor = -1;

    public PacketsDialog(ConnectionView connection, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _zone = zone;
        Title = "Packets";
        Width = Dim.Fill();
        Height = Dim.Fill();
        _packets = PacketPresenter.InTimeOrder(connection);
        Rows = [.. _packets.Select(p => PacketPresenter.ToRow(p, zone))];
        _title = Wrapped(0, PacketPresenter.Title(connection));
        _reason = Wrapped(Pos.Bottom(_title), NodePresenter.OneLine(connection.Reason));
        _legend = new Label { X = 0, Y = Pos.Bottom(_reason), Width = Dim.Fill(), Height = 1 };
        _header = new Label { X = 0, Y = Pos.Bottom(_legend), Width = Dim.Fill(), Height = 1 };
        _list = new LogList { X = 0, Y = Pos.Bottom(_header), Width = Dim.Fill(), Height = Dim.Fill(SelectedHeight) };
        _selected = Wrapped(Pos.AnchorEnd(SelectedHeight), "");
        _selected.Height = SelectedHeight;
        _list.ValueChanged += (_, _) => UpdateSelected();
        Add(_title, _reason, _legend, _header, _list, _selected);
        AddButton(new Button { Text = "_Close" });
        Layout(int.MaxValue);
        _list.SetFocus();
    }

    /// <summary>Every field of every packet, in time order (columns of <see cref="PacketPresenter.Columns"/>).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }

    /// <summary>The rows as laid out for the dialog's width.</summary>
    public PacketTable Table { get; private set; } = new(PacketRowFormat.Wide, "", [], null);

    /// <summary>The full description of the selected packet, under the list.</summary>
    public string SelectedText => _selected.Text;

    /// <summary>Lays the rows out again when the width changed (first layout, terminal resize).</summary>
    protected override void OnSubViewsLaidOut(LayoutEventArgs args)
    {
        base.OnSubViewsLaidOut(args);
        if (_list.Viewport.Width > 0 && _list.Viewport.Width != _laidOutFor)
        {
            Layout(_list.Viewport.Width);
        }
    }

    private void Layout(int width)
    {
        _laidOutFor = width;
        var selected = _list.SelectedItem ?? 0;
        Table = PacketTable.For(_packets, _zone, width);
        _legend.Visible = Table.Legend is not null;
        _legend.Height = Table.Legend is null ? 0 : 1;
        _legend.Text = Table.Legend ?? "";
        _header.Text = Table.Header;
        _title.Height = _title.Text.Length > width ? 2 : 1;
        _reason.Height = _reason.Text.Length > width ? 2 : 1;
        _list.SetSource(new ObservableCollection<string>(Table.Lines));
        if (Table.Lines.Count > 0)
        {
            _list.SelectedItem = Math.Clamp(selected, 0, Table.Lines.Count - 1);
            _list.EnsureSelectedItemVisible();
        }

        UpdateSelected();
        SetNeedsLayout();
    }

    private void UpdateSelected() =>
        _selected.Text = _list.SelectedItem is { } i && i >= 0 && i < _packets.Count ? PacketTable.Describe(_packets[i]) : "";

    private static Label Wrapped(Pos y, string text)
    {
        var label = new Label { X = 0, Y = y, Width = Dim.Fill(), Height = 1, Text = text };
        label.TextFormatter.WordWrap = true;
        return label;
    }
}
