using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Dialogs;

/// <summary>Asks a name for the snapshot to pin, suggesting one from the verdict; Enter pins, Esc cancels.</summary>
public sealed class PinDialog : Dialog
{
    /// <summary>Longest pin name accepted: it heads a column of the comparison.</summary>
    public const int MaxNameLength = 32;

    private readonly TextField _name;

    public PinDialog(string suggested, IReadOnlyCollection<string> existing)
    {
        ArgumentNullException.ThrowIfNull(existing);
        Title = "Pin snapshot";
        Add(new Label { X = 1, Y = 0, Width = Dim.Auto(), Text = "Name (baseline, ebpf-tunnel, ebpf-dsr or any):" });
        _name = new TextField { X = 1, Y = 1, Width = 40, Text = suggested };
        Add(_name);
        if (existing.Count > 0)
        {
            Add(new Label { X = 1, Y = 3, Width = Dim.Auto(), Text = $"Pinned: {string.Join(", ", existing)} (a same name is replaced)" });
        }

        AddButton(new Button { Text = "_Cancel" });
        AddButton(new Button { Text = "_Pin" });
        _name.SetFocus();
    }

    public TextField NameField => _name;

    /// <summary>The name entered, trimmed, when the user chose Pin; null when cancelled.</summary>
    public string? Chosen => Result == 1 ? _name.Text.Trim() : null;

    /// <summary>Null when <paramref name="name"/> is a usable pin name, else what is wrong with it (one line).</summary>
    public static string? Validate(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "a pin needs a name"
        : name.Length > MaxNameLength ? $"pin name '{name[..MaxNameLength]}…' is longer than {MaxNameLength} characters"
        : name.Any(char.IsControl) ? "a pin name cannot contain control characters"
        : null;
}
