using System.Collections.ObjectModel;
using System.Text;
using EbpfConsole.Tui.Panes;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Dialogs;

/// <summary>
/// The help screen: every binding of the <see cref="Keymap"/>, straight from the table, one per line. On a screen
/// too short for all of them the list scrolls (arrows, PgUp/PgDn, End).
/// </summary>
public sealed class HelpDialog : Dialog
{
    /// <summary>A help sized for the whole screen when its size is unknown.</summary>
    public HelpDialog(Keymap keymap)
        : this(keymap, null, null)
    {
    }

    /// <summary>A help no larger than a screen of <paramref name="columns"/> x <paramref name="rows"/>.</summary>
    public HelpDialog(Keymap keymap, int? columns, int? rows)
    {
        ArgumentNullException.ThrowIfNull(keymap);
        Title = "Keys (Enter or Esc closes)";
        Lines = Render(keymap).Split('\n');
        // No Close button: the rows it takes are worth bindings at 80x24. Enter and Esc close the dialog.
        var textWidth = Lines.Max(l => l.Length) + 1;
        Width = Math.Min(textWidth, Math.Max(20, (columns ?? int.MaxValue / 2) - 4)) + 4;
        // Frame, and the row the dialog keeps for buttons even without any.
        Height = Math.Min(Lines.Count, Math.Max(3, (rows ?? int.MaxValue / 2) - 5)) + 3;
        List = new LogList { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill() };
        List.SetSource(new ObservableCollection<string>(Lines));
        Add(List);
        List.SetFocus();
    }

    /// <summary>Every line of the help, one per binding.</summary>
    public IReadOnlyList<string> Lines { get; }

    internal ListView List { get; }

    /// <summary>One line per binding: keys, then what they do.</summary>
    public static string Render(Keymap keymap)
    {
        ArgumentNullException.ThrowIfNull(keymap);
        var width = keymap.Entries.Max(e => e.KeysText.Length);
        var text = new StringBuilder();
        foreach (var entry in keymap.Entries)
        {
            text.Append(entry.KeysText.PadRight(width)).Append("  ").AppendLine(entry.Description);
        }

        return text.ToString().TrimEnd();
    }
}
