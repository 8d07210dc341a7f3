using System.Collections.ObjectModel;
using EbpfConsole.Tui.Panes;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Dialogs;

/// <summary>
/// Asks before the console changes the cluster: the full preview (diffs, commands, notes) in a list that scrolls,
/// then the action's button and Cancel. Cancel is the default: Enter on the text and Esc both cancel, and the action's
/// button has no hot key, so a key pressed twice never approves; only Tab to the action's button and Enter (or a click)
/// approves (issue: every apply in the TUI asks, showing the preview).
/// </summary>
public sealed class ConfirmChangesDialog : Dialog
{
    /// <param name="title">"Apply M4?", "Roll back to M2?".</param>
    /// <param name="lines">The preview, laid out for <see cref="TextDialog.TextWidth"/>.</param>
    /// <param name="action">The approving button's text, without a hot key: "Apply", "Roll back".</param>
    public ConfirmChangesDialog(string title, IReadOnlyList<string> lines, string action)
    {
        ArgumentNullException.ThrowIfNull(lines);
        Title = title;
        Width = Dim.Percent(96);
        Height = Dim.Percent(90);
        Lines = lines;
        Body = new LogList { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill() };
        Body.SetSource(new ObservableCollection<string>(lines));
        Add(Body);
        AddButton(new Button { Text = action });
        var cancel = new Button { Text = "_Cancel" };
        AddButton(cancel);
        // The text has the focus so arrows and PgDn read it; Tab reaches the action, then Cancel.
        Body.SetFocus();
    }

    /// <summary>The preview as shown.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>True only when the action's button was chosen.</summary>
    public bool Approved => Result == 0;

    internal ListView Body { get; }
}
