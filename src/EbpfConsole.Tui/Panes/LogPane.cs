using System.Collections.ObjectModel;
using EbpfConsole.Core.Events;
using EbpfConsole.Tui.Presenters;
using Attribute = Terminal.Gui.Drawing.Attribute;
using Terminal.Gui.Drawing;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Panes;

/// <summary>
/// The Log pane: console events, newest at the bottom. It follows new events while the selection is on the
/// last line; move up to read back and it stays put until you return to the end.
/// </summary>
public sealed class LogPane : FrameView
{
    private readonly TimeZoneInfo _zone;
    private readonly LogList _list;
    private ObservableCollection<string> _lines = [];

    public LogPane(TimeZoneInfo zone)
    {
        _zone = zone;
        Title = "4 _Log";
        CanFocus = true;
        _list = new LogList { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill() };
        _list.SetSource(_lines);
        Add(_list);
    }

    public IReadOnlyList<string> Lines => _lines;

    /// <summary>Shows <paramref name="events"/> (oldest first).</summary>
    public void Apply(IEnumerable<ConsoleEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var following = _list.SelectedItem is null || _list.SelectedItem >= _lines.Count - 1;
        var selected = _list.SelectedItem;
        _lines = new ObservableCollection<string>(events.Select(e => EventPresenter.ToLine(e, _zone)));
        _list.SetSource(_lines);
        if (_lines.Count == 0)
        {
            return;
        }

        _list.SelectedItem = following ? _lines.Count - 1 : Math.Min(selected ?? 0, _lines.Count - 1);
        _list.EnsureSelectedItemVisible();
        SetNeedsDraw();
    }
}

/// <summary>A list whose cursor line is highlighted only while it has focus: the log is read, not selected.</summary>
internal sealed class LogList : ListView
{
    protected override bool OnGettingAttributeForRole(in VisualRole role, ref Attribute currentAttribute)
    {
        if (!HasFocus && role is VisualRole.Active or VisualRole.HotActive or VisualRole.Focus or VisualRole.HotFocus or VisualRole.Highlight)
        {
            currentAttribute = GetScheme().Normal;
            return true;
        }

        return base.OnGettingAttributeForRole(role, ref currentAttribute);
    }
}
