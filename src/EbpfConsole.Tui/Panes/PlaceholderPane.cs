using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Panes;

/// <summary>A pane whose engine does not exist yet: it says what will appear there, and shows no data.</summary>
public sealed class PlaceholderPane : FrameView
{
    public PlaceholderPane(string title, string promise)
    {
        Title = title;
        CanFocus = true;
        Message = $"{promise}\nNot implemented yet: nothing shown here is live.";
        var label = new Label
        {
            X = 0,
            Y = 0,
            Width = Dim.Fill(),
            Height = Dim.Fill(),
            CanFocus = true,
            Text = Message,
        };
        label.TextFormatter.WordWrap = true;
        Add(label);
    }

    public string Message { get; }

    public static PlaceholderPane Checklist() =>
        new("2 _Checklist", "Migration checklist M0–M10: arrives with the migration engine.");
}
