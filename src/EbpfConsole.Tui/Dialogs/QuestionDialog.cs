using EbpfConsole.Core.Shell;
using EbpfConsole.Tui.Panes;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Dialogs;

/// <summary>
/// A question background work waits on (<see cref="UserQuestion"/>): an unknown host key to trust (Yes / No,
/// the text in full, word-wrapped so the SHA256 fingerprint reads whole at 80 columns) or a key's passphrase
/// (a field that does not echo, OK / Skip). The safe answer is the default: Enter on the buttons says No,
/// Esc says No or Skip; Enter in the passphrase field says OK.
/// </summary>
public sealed class QuestionDialog : Dialog
{
    private readonly TextField? _secret;

    /// <param name="question">The question.</param>
    /// <param name="wrapWidth">The text's width: the screen's less the dialog's frame (<see cref="TextWidth"/>).</param>
    public QuestionDialog(UserQuestion question, int wrapWidth)
    {
        ArgumentNullException.ThrowIfNull(question);
        Question = question;
        Title = question.Title;
        Lines = ComparisonPresenter.WrapLines(question.Text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n'), wrapWidth);
        var text = new Label { X = 1, Y = 0, Width = Dim.Auto(), Height = Dim.Auto(), HotKeySpecifier = NodesPane.NoHotKey, Text = string.Join("\n", Lines) };
        Add(text);
        if (question.Kind == QuestionKind.Secret)
        {
            _secret = new TextField { X = 1, Y = Pos.Bottom(text) + 1, Width = Math.Min(40, wrapWidth), Secret = true };
            Add(_secret);
            AddButton(new Button { Text = "_Skip" });
            AddButton(new Button { Text = "_OK" });
            _secret.SetFocus();
        }
        else
        {
            AddButton(new Button { Text = "_Yes" });
            var no = new Button { Text = "_No" };
            AddButton(no);
            no.SetFocus();
        }
    }

    public UserQuestion Question { get; }

    /// <summary>The question's text as shown, wrapped.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The passphrase field (Secret questions only).</summary>
    public TextField? SecretField => _secret;

    /// <summary>
    /// The answer for <see cref="IConsoleActions.Answer"/>: "yes" when Yes was chosen, the text typed when OK was,
    /// else null (No, Skip, Esc).
    /// </summary>
    public string? Answer => (Question.Kind, Result) switch
    {
        (QuestionKind.YesNo, 0) => "yes",
        (QuestionKind.Secret, 1) => _secret!.Text,
        _ => null,
    };

    /// <summary>The text width for a screen <paramref name="columns"/> wide: room for the frame, at most 100.</summary>
    public static int TextWidth(int? columns) => Math.Clamp((columns ?? 80) - 8, 30, 100);
}
