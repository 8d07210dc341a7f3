using System.Collections.ObjectModel;
using EbpfConsole.Tui.Panes;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Dialogs;

/// <summary>Read-only text in a dialog that scrolls (detail, comparison); Esc or Close goes back.</summary>
public sealed class TextDialog : Dialog
{
    /// <summary>Shows <paramref name="text"/>; lines longer than <paramref name="wrapWidth"/> are wrapped (0: never).</summary>
    public TextDialog(string title, string text, int wrapWidth)
        : this(title, WrapOrSplit(text, wrapWidth))
    {
    }

    /// <summary>Shows <paramref name="lines"/> as they are (already laid out for <see cref="TextWidth"/>).</summary>
    public TextDialog(string title, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        Title = title;
        Width = Dim.Percent(96);
        Height = Dim.Percent(90);
        Lines = lines;
        var body = new LogList { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill() };
        body.SetSource(new ObservableCollection<string>(Lines));
        Add(body);
        AddButton(new Button { Text = "_Close" });
        body.SetFocus();
    }

    /// <summary>The lines shown, after wrapping.</summary>
    public IReadOnlyList<string> Lines { get; }

    private static IReadOnlyList<string> WrapOrSplit(string text, int wrapWidth)
    {
        ArgumentNullException.ThrowIfNull(text);
        return wrapWidth > 0 ? ComparisonPresenter.WrapLines(text, wrapWidth) : text.Split('\n');
    }

    /// <summary>The text width a dialog of this kind leaves on a screen <paramref name="columns"/> wide.</summary>
    public static int TextWidth(int? columns) => Math.Max(30, (columns ?? 80) * 96 / 100 - 4);
}
