using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Dialogs;

/// <summary>A small modal question in the console's theme (MessageBox cannot take the NO_COLOR scheme).</summary>
public static class MessageDialog
{
    /// <summary>Runs the dialog; the index of the button chosen, or null when dismissed with Esc. The last button is the default.</summary>
    public static int? Ask(IApplication app, bool noColor, string title, string message, params string[] buttons)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(buttons);
        using var dialog = Create(title, message, buttons);
        Theme.Apply(dialog, noColor);
        app.Run(dialog);
        return dialog.Result;
    }

    public static Dialog Create(string title, string message, IEnumerable<string> buttons)
    {
        ArgumentNullException.ThrowIfNull(buttons);
        var dialog = new Dialog { Title = title };
        dialog.Add(new Label { X = 1, Y = 1, Width = Dim.Auto(), Height = Dim.Auto(), Text = message });
        Button? last = null;
        foreach (var text in buttons)
        {
            last = new Button { Text = text };
            dialog.AddButton(last);
        }

        // The last button is the default: give it the focus too, so Enter means the same as it says.
        last?.SetFocus();
        return dialog;
    }
}
