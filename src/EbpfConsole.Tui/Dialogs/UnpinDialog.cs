using System.Collections.ObjectModel;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Dialogs;

/// <summary>Chooses a pinned snapshot to delete: a list of the pins, the last one selected.</summary>
public sealed class UnpinDialog : Dialog
{
    private readonly IReadOnlyList<string> _names;
    private readonly ListView _list;

    public UnpinDialog(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = names;
        Title = "Delete pin";
        Add(new Label { X = 1, Y = 0, Width = Dim.Auto(), Text = "Delete which pinned snapshot?" });
        _list = new ListView { X = 1, Y = 2, Width = Math.Max(20, names.Count == 0 ? 0 : names.Max(n => n.Length) + 2), Height = Math.Max(1, Math.Min(names.Count, 8)) };
        _list.SetSource(new ObservableCollection<string>(names));
        _list.SelectedItem = names.Count - 1;
        Add(_list);
        AddButton(new Button { Text = "_Cancel" });
        AddButton(new Button { Text = "_Delete" });
        _list.SetFocus();
    }

    /// <summary>The pin chosen, or null when cancelled.</summary>
    public string? Chosen =>
        Result == 1 && _list.SelectedItem is { } index && index >= 0 && index < _names.Count ? _names[index] : null;
}
