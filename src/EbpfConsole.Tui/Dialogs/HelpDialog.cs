using System.Text;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Dialogs;

/// <summary>The help screen: every binding of the <see cref="Keymap"/>, straight from the table.</summary>
public sealed class HelpDialog : Dialog
{
    public HelpDialog(Keymap keymap)
    {
        ArgumentNullException.ThrowIfNull(keymap);
        Title = "Keys (Enter or Esc closes)";
        Add(new Label { X = 1, Y = 0, Width = Dim.Auto(), Height = Dim.Auto(), Text = Render(keymap) });
        // No Close button: the rows it takes are worth bindings at 80x24. Enter and Esc close the dialog.
    }

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
