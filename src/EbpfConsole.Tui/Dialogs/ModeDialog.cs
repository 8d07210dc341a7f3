using System.Collections.ObjectModel;
using EbpfConsole.Core.Datapath;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Dialogs;

/// <summary>
/// Chooses the datapath: one of the three modes (held as a manual override), or auto (the last row: the
/// target's own state decides again, e.g. the lab's API objects). The current mode is selected.
/// </summary>
public sealed class ModeDialog : Dialog
{
    public const string AutoRow = "auto (cluster decides)";
    private static readonly DatapathMode[] Modes = Enum.GetValues<DatapathMode>();
    private readonly ListView _list;

    public ModeDialog(DatapathMode? current)
    {
        Title = "Datapath mode";
        Add(new Label { X = 1, Y = 0, Width = Dim.Auto(), Text = $"Now: {(current is { } c ? c.ToName() : "unknown")}. Switch to:" });
        _list = new ListView { X = 1, Y = 2, Width = AutoRow.Length + 2, Height = Modes.Length + 1 };
        _list.SetSource(new ObservableCollection<string>(Modes.Select(m => m == current ? $"{m.ToName()} (now)" : m.ToName()).Append(AutoRow)));
        _list.SelectedItem = current is { } mode ? Array.IndexOf(Modes, mode) : 0;
        Add(_list);
        AddButton(new Button { Text = "_Cancel" });
        AddButton(new Button { Text = "_Switch" });
        _list.SetFocus();
    }

    /// <summary>The mode chosen, or null when cancelled or auto was chosen.</summary>
    public DatapathMode? Chosen =>
        Result == 1 && _list.SelectedItem is { } index && index >= 0 && index < Modes.Length ? Modes[index] : null;

    /// <summary>True when auto was chosen: end the manual override.</summary>
    public bool ChoseAuto => Result == 1 && _list.SelectedItem == Modes.Length;
}
