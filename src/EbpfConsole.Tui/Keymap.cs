using Terminal.Gui.Input;

namespace EbpfConsole.Tui;

/// <summary>Everything the console shell can be asked to do from the keyboard.</summary>
public enum ShellCommand
{
    Help,
    FocusNodes,
    FocusChecklist,
    FocusCapture,
    FocusLog,
    NextPane,
    PreviousPane,
    Zoom,
    Unzoom,
    RefreshNodes,
    SwitchMode,
    StartCapture,
    ChooseCapturePoints,
    StopCapture,
    ShowPackets,
    ShowCaptureDetail,
    PinSnapshot,
    ComparePinned,
    DeletePin,
    ShowPreflightDetail,
    RerunNodePreflight,
    ShowStepDetail,
    PreviewStep,
    ApplyStep,
    VerifyStep,
    RollbackToStep,
    RollbackAll,
    RefreshChecklist,
    Quit,
}

/// <summary>
/// Where a binding applies. <see cref="Main"/>: the main screen, whichever pane has focus (dialogs keep
/// their own keys). <see cref="Capture"/> / <see cref="Nodes"/> / <see cref="Checklist"/>: while that pane has focus;
/// pane keys never shadow a <see cref="Main"/> key, so the global keys work in every pane.
/// </summary>
public enum KeyScope
{
    Main,
    Capture,
    Nodes,
    Checklist,
}

/// <summary>
/// One key binding, declared as data: the same table drives dispatch, the help dialog and the status bar
/// (lazygit's model). <paramref name="StatusLabel"/> is non-null for bindings shown in the status bar,
/// under <paramref name="StatusKeys"/> when the first key alone would mislead (e.g. "1-4").
/// While a pane scope is active the status bar shows that scope's entries and, of the main ones, only
/// those with <paramref name="StatusEverywhere"/> (80 columns do not hold both sets).
/// </summary>
public sealed record KeyBindingEntry(
    IReadOnlyList<Key> Keys,
    ShellCommand Command,
    string Description,
    string? StatusLabel = null,
    string? StatusKeys = null,
    KeyScope Scope = KeyScope.Main,
    bool StatusEverywhere = false)
{
    /// <summary>The keys as the user types them, e.g. "F1, ?".</summary>
    public string KeysText => string.Join(", ", Keys.Select(Keymap.Format));
}

/// <summary>The console's key bindings.</summary>
public sealed class Keymap
{
    /// <summary>
    /// A keymap; a key bound twice in one scope, or a pane key that would shadow a main key, is rejected,
    /// naming both commands.
    /// </summary>
    public Keymap(IReadOnlyList<KeyBindingEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var bindings = entries.SelectMany(e => e.Keys.Select(k => (e.Scope, Code: k.KeyCode, Key: k, e.Command))).ToList();
        var clash = bindings.GroupBy(b => (b.Scope, b.Code)).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new ArgumentException(
                $"key {Format(clash.First().Key)} is bound twice in scope {clash.Key.Scope}: {string.Join(", ", clash.Select(b => b.Command))}",
                nameof(entries));
        }

        var shadow = bindings
            .Where(b => b.Scope != KeyScope.Main)
            .Select(b => (Pane: b, Main: bindings.FirstOrDefault(m => m.Scope == KeyScope.Main && m.Code == b.Code)))
            .FirstOrDefault(p => p.Main.Key is not null);
        if (shadow.Main.Key is not null)
        {
            throw new ArgumentException(
                $"key {Format(shadow.Pane.Key)} of scope {shadow.Pane.Scope} ({shadow.Pane.Command}) would shadow the main key of {shadow.Main.Command}",
                nameof(entries));
        }

        Entries = entries;
    }

    public IReadOnlyList<KeyBindingEntry> Entries { get; }

    /// <summary>The bindings of the console shell.</summary>
    public static Keymap Default { get; } = new(
    [
        new([Key.F1, new Key('?')], ShellCommand.Help, "Show this help: every key binding", StatusLabel: "Help", StatusEverywhere: true),
        new([Key.D1, Key.N.WithAlt], ShellCommand.FocusNodes, "Go to the Nodes pane", StatusLabel: "Panes", StatusKeys: "1-4"),
        new([Key.D2, Key.C.WithAlt], ShellCommand.FocusChecklist, "Go to the Checklist pane"),
        new([Key.D3, Key.P.WithAlt], ShellCommand.FocusCapture, "Go to the Capture pane"),
        new([Key.D4, Key.L.WithAlt], ShellCommand.FocusLog, "Go to the Log pane"),
        new([Key.F6], ShellCommand.NextPane, "Next pane"),
        new([Key.F6.WithShift], ShellCommand.PreviousPane, "Previous pane"),
        new([Key.Z], ShellCommand.Zoom, "Zoom the focused pane to full screen, or unzoom", StatusLabel: "Zoom", StatusEverywhere: true),
        new([Key.Esc], ShellCommand.Unzoom, "Leave zoom (never quits)"),
        new([Key.R], ShellCommand.RefreshNodes, "Refresh: probe every node, re-run preflight on all of them", StatusLabel: "Refresh"),
        new([Key.M], ShellCommand.SwitchMode, "Switch the datapath mode (iptables, ebpf-tunnel, ebpf-dsr)", StatusLabel: "Mode"),
        new([Key.S], ShellCommand.StartCapture, "Capture: start at the default points; zooms under 30 rows",
            StatusLabel: "Start/Stop", StatusKeys: "s/x", Scope: KeyScope.Capture),
        new([Key.S.WithShift, Key.A], ShellCommand.ChooseCapturePoints, "Capture: choose the points (node:iface …) and start there", Scope: KeyScope.Capture),
        new([Key.X], ShellCommand.StopCapture, "Capture: stop (nothing is left running on the nodes)", Scope: KeyScope.Capture),
        new([Key.Enter], ShellCommand.ShowPackets, "Capture: packets of the selected connection, all points", Scope: KeyScope.Capture),
        new([Key.E], ShellCommand.ShowCaptureDetail, "Capture: evidence, assumptions and per-point counters", Scope: KeyScope.Capture),
        new([Key.P], ShellCommand.PinSnapshot, "Capture: pin the current analysis under a name",
            StatusLabel: "Pin", StatusKeys: "p", Scope: KeyScope.Capture),
        new([Key.C], ShellCommand.ComparePinned, "Capture: compare pinned snapshots side by side",
            StatusLabel: "Compare", StatusKeys: "c", Scope: KeyScope.Capture),
        new([Key.D, Key.Delete], ShellCommand.DeletePin, "Capture: delete a pinned snapshot", Scope: KeyScope.Capture),
        new([Key.Enter], ShellCommand.ShowPreflightDetail, "Nodes: detail of the selected cell: evidence, remediation",
            StatusLabel: "Detail", Scope: KeyScope.Nodes),
        new([Key.R.WithShift], ShellCommand.RerunNodePreflight, "Nodes: re-run preflight on the selected node only",
            StatusLabel: "Re-run", StatusKeys: "r/R", Scope: KeyScope.Nodes),
        new([Key.Enter], ShellCommand.ShowStepDetail, "Checklist: the step in full: why, last preview and verify",
            Scope: KeyScope.Checklist),
        new([Key.P], ShellCommand.PreviewStep, "Checklist: preview the step's changes (diffs, commands)",
            StatusLabel: "Preview", Scope: KeyScope.Checklist),
        new([Key.A], ShellCommand.ApplyStep, "Checklist: preview, confirm, apply the step (or resume it)",
            StatusLabel: "Apply", Scope: KeyScope.Checklist),
        new([Key.V], ShellCommand.VerifyStep, "Checklist: verify the selected step again", Scope: KeyScope.Checklist),
        new([Key.U], ShellCommand.RollbackToStep, "Checklist: roll back the steps after the selected one",
            StatusLabel: "Undo", StatusKeys: "u/U", Scope: KeyScope.Checklist),
        new([Key.U.WithShift], ShellCommand.RollbackAll, "Checklist: roll back every step, back to M0's snapshot",
            Scope: KeyScope.Checklist),
        new([Key.R.WithShift], ShellCommand.RefreshChecklist, "Checklist: check every step again against the cluster",
            Scope: KeyScope.Checklist),
        new([Key.Q, Key.F10, Key.Q.WithCtrl], ShellCommand.Quit, "Quit (asks first while work is running)", StatusLabel: "Quit", StatusEverywhere: true),
    ]);

    /// <summary>The command bound to <paramref name="key"/> in <paramref name="scope"/>, if any.</summary>
    public bool TryGetCommand(Key key, KeyScope scope, out ShellCommand command)
    {
        foreach (var entry in Entries)
        {
            if (entry.Scope == scope && entry.Keys.Any(k => k == key))
            {
                command = entry.Command;
                return true;
            }
        }

        command = default;
        return false;
    }

    /// <summary>The bindings shown in the status bar of the main scope, in table order.</summary>
    public IEnumerable<KeyBindingEntry> StatusEntries => StatusEntriesFor(KeyScope.Main);

    /// <summary>
    /// The bindings the status bar shows while <paramref name="scope"/> is active, in table order: the main
    /// ones, or for a pane scope its own plus the main ones marked <see cref="KeyBindingEntry.StatusEverywhere"/>.
    /// </summary>
    public IEnumerable<KeyBindingEntry> StatusEntriesFor(KeyScope scope) =>
        Entries.Where(e => e.StatusLabel is not null
            && (scope == KeyScope.Main ? e.Scope == KeyScope.Main : e.Scope == scope || (e.Scope == KeyScope.Main && e.StatusEverywhere)));

    /// <summary>A key as shown to the user: "F1", "?", "q", "Ctrl+Q", "Alt+N", "Shift+F6".</summary>
    public static string Format(Key key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.IsKeyCodeAtoZ && !key.IsCtrl && !key.IsAlt && !key.IsShift)
        {
            return key.ToString().ToLowerInvariant();
        }

        return key.ToString();
    }
}
