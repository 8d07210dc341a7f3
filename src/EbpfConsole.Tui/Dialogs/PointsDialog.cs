using EbpfConsole.Core.Capture;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Dialogs;

/// <summary>
/// Asks where to capture: one text field of <c>NODE:IFACE</c> points separated by spaces, prefilled with the
/// current ones. Enter (or Start) checks every point with <see cref="CapturePoint.TryParse"/>: a bad one is
/// named on one line in the dialog, which stays open; Esc cancels.
/// </summary>
public sealed class PointsDialog : Dialog
{
    private readonly TextField _points;
    private readonly Label _error;
    private readonly Button _cancel;
    private IReadOnlyList<CapturePoint>? _chosen;

    public PointsDialog(IReadOnlyList<CapturePoint> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        Title = "Capture points";
        Width = Dim.Percent(90);
        Add(new Label { X = 1, Y = 0, Width = Dim.Fill(1), Text = "Points, NODE:IFACE separated by spaces:" });
        _points = new TextField { X = 1, Y = 1, Width = Dim.Fill(1), Text = Format(current) };
        _error = new Label { X = 1, Y = 2, Width = Dim.Fill(1), Height = 1, Text = "" };
        _error.TextFormatter.WordWrap = false;
        Add(_points, _error);
        _cancel = new Button { Text = "_Cancel" };
        AddButton(_cancel);
        AddButton(new Button { Text = "_Start" });
        _points.SetFocus();
    }

    public TextField PointsField => _points;

    /// <summary>The problem with the text last submitted (shown cut to the dialog's width), or empty.</summary>
    public string ErrorText { get; private set; } = "";

    /// <summary>The points entered when the user chose Start with valid text; null when cancelled.</summary>
    public IReadOnlyList<CapturePoint>? Chosen => Result == 1 ? _chosen : null;

    /// <summary>Points as the field shows them: <c>node-1:eth0 node-2:eth0</c>.</summary>
    public static string Format(IEnumerable<CapturePoint> points) => string.Join(' ', points);

    /// <summary>
    /// Parses points separated by spaces or commas; null error when all are valid (duplicates dropped), else
    /// the first problem in one line.
    /// </summary>
    public static string? TryParse(string? text, out IReadOnlyList<CapturePoint> points)
    {
        points = [];
        var words = (text ?? "").Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            return "give at least one capture point, for example node-1:eth0";
        }

        var parsed = new List<CapturePoint>();
        foreach (var word in words)
        {
            if (!CapturePoint.TryParse(word, out var point, out var error))
            {
                return error;
            }

            if (!parsed.Contains(point))
            {
                parsed.Add(point);
            }
        }

        points = parsed;
        return null;
    }

    /// <summary>Start (the default button, also Enter in the field) with bad text shows the problem and keeps the dialog open.</summary>
    protected override bool OnAccepting(CommandEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Context is { } context && context.TryGetSource(out View? source) && source == _cancel)
        {
            _chosen = null;
            return base.OnAccepting(args);
        }

        if (TryParse(_points.Text, out var points) is { } problem)
        {
            _chosen = null;
            ErrorText = problem;
            _error.Text = CapturePresenter.Truncate(problem, _error.Viewport.Width > 0 ? _error.Viewport.Width : int.MaxValue);
            SetNeedsDraw();
            return true;
        }

        _chosen = points;
        ErrorText = _error.Text = "";
        return base.OnAccepting(args);
    }
}
