using EbpfConsole.Tui.Dialogs;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;

namespace EbpfConsole.Tui.Tests;

public class KeymapTests
{
    private static readonly Keymap Map = Keymap.Default;

    [Fact]
    public void Default_NoKeyIsBoundTwiceInAScope()
    {
        var keys = Map.Entries.SelectMany(e => e.Keys.Select(k => (e.Scope, k.KeyCode))).ToList();

        Assert.True(keys.Count > Map.Entries.Count, "entries with several keys exist, so the check sees them");
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void Constructor_KeyBoundTwice_RejectedNamingBothCommands()
    {
        var error = Assert.Throws<ArgumentException>(() => new Keymap(
        [
            new([Key.R], ShellCommand.RefreshNodes, "Refresh"),
            new([Key.F5, Key.R], ShellCommand.SwitchMode, "Mode"),
        ]));

        Assert.Contains("key r is bound twice in scope Main: RefreshNodes, SwitchMode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_EveryCommandHasABinding() =>
        Assert.Equal(Enum.GetValues<ShellCommand>().Order(), Map.Entries.Select(e => e.Command).Distinct().Order());

    [Fact]
    public void Default_EveryBindingIsDescribed() =>
        Assert.All(Map.Entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Description)));

    [Theory]
    [InlineData(KeyCode.F1, ShellCommand.Help)]
    [InlineData((KeyCode)'?', ShellCommand.Help)]
    [InlineData(KeyCode.D1, ShellCommand.FocusNodes)]
    [InlineData(KeyCode.D2, ShellCommand.FocusChecklist)]
    [InlineData(KeyCode.D3, ShellCommand.FocusCapture)]
    [InlineData(KeyCode.D4, ShellCommand.FocusLog)]
    [InlineData(KeyCode.N | KeyCode.AltMask, ShellCommand.FocusNodes)]
    [InlineData(KeyCode.C | KeyCode.AltMask, ShellCommand.FocusChecklist)]
    [InlineData(KeyCode.P | KeyCode.AltMask, ShellCommand.FocusCapture)]
    [InlineData(KeyCode.L | KeyCode.AltMask, ShellCommand.FocusLog)]
    [InlineData(KeyCode.F6, ShellCommand.NextPane)]
    [InlineData(KeyCode.F6 | KeyCode.ShiftMask, ShellCommand.PreviousPane)]
    [InlineData(KeyCode.Z, ShellCommand.Zoom)]
    [InlineData(KeyCode.Esc, ShellCommand.Unzoom)]
    [InlineData(KeyCode.R, ShellCommand.RefreshNodes)]
    [InlineData(KeyCode.M, ShellCommand.SwitchMode)]
    [InlineData(KeyCode.Q, ShellCommand.Quit)]
    [InlineData(KeyCode.F10, ShellCommand.Quit)]
    [InlineData(KeyCode.Q | KeyCode.CtrlMask, ShellCommand.Quit)]
    public void TryGetCommand_BoundKey_GivesItsCommand(KeyCode code, ShellCommand expected)
    {
        Assert.True(Map.TryGetCommand(new Key(code), KeyScope.Main, out var command));
        Assert.Equal(expected, command);
    }

    [Theory]
    [InlineData(KeyCode.X)]
    [InlineData(KeyCode.Q | KeyCode.ShiftMask)]
    [InlineData(KeyCode.Tab)]
    [InlineData(KeyCode.D5)]
    public void TryGetCommand_UnboundKey_False(KeyCode code) =>
        Assert.False(Map.TryGetCommand(new Key(code), KeyScope.Main, out _));

    [Theory]
    [InlineData(KeyCode.Q, "q")]
    [InlineData(KeyCode.Q | KeyCode.CtrlMask, "Ctrl+Q")]
    [InlineData(KeyCode.N | KeyCode.AltMask, "Alt+N")]
    [InlineData(KeyCode.F6 | KeyCode.ShiftMask, "Shift+F6")]
    [InlineData(KeyCode.D1, "1")]
    [InlineData((KeyCode)'?', "?")]
    [InlineData(KeyCode.S | KeyCode.ShiftMask, "S")]
    public void Format_AsTheUserTypesIt(KeyCode code, string expected) => Assert.Equal(expected, Keymap.Format(new Key(code)));

    [Fact]
    public void StatusEntries_MainKeysOnly() =>
        Assert.Equal(
            ["F1 Help", "1-4 Panes", "z Zoom", "r Refresh", "m Mode", "q Quit"],
            Map.StatusEntries.Select(e => $"{e.StatusKeys ?? Keymap.Format(e.Keys[0])} {e.StatusLabel}"));

    [Fact]
    public void HelpRender_OneLinePerBindingWithKeysAndDescription()
    {
        var lines = HelpDialog.Render(Map).Split('\n');

        Assert.Equal(Map.Entries.Count, lines.Length);
        Assert.All(Map.Entries.Zip(lines), pair =>
        {
            Assert.StartsWith(pair.First.KeysText, pair.Second, StringComparison.Ordinal);
            Assert.EndsWith(pair.First.Description, pair.Second.TrimEnd(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Constructor_PaneKeyShadowsAMainKey_RejectedNamingBothCommands()
    {
        var error = Assert.Throws<ArgumentException>(() => new Keymap(
        [
            new([Key.R], ShellCommand.RefreshNodes, "Refresh"),
            new([Key.R], ShellCommand.StartCapture, "Start", Scope: KeyScope.Capture),
        ]));

        Assert.Contains("key r of scope Capture (StartCapture) would shadow the main key of RefreshNodes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KeyCode.S, ShellCommand.StartCapture)]
    [InlineData(KeyCode.S | KeyCode.ShiftMask, ShellCommand.ChooseCapturePoints)]
    [InlineData(KeyCode.A, ShellCommand.ChooseCapturePoints)]
    [InlineData(KeyCode.X, ShellCommand.StopCapture)]
    [InlineData(KeyCode.Enter, ShellCommand.ShowPackets)]
    [InlineData(KeyCode.E, ShellCommand.ShowCaptureDetail)]
    [InlineData(KeyCode.P, ShellCommand.PinSnapshot)]
    [InlineData(KeyCode.C, ShellCommand.ComparePinned)]
    [InlineData(KeyCode.D, ShellCommand.DeletePin)]
    [InlineData(KeyCode.Delete, ShellCommand.DeletePin)]
    public void TryGetCommand_CaptureKey_OnlyInTheCaptureScope(KeyCode code, ShellCommand expected)
    {
        Assert.True(Map.TryGetCommand(new Key(code), KeyScope.Capture, out var command));
        Assert.Equal(expected, command);
        Assert.False(Map.TryGetCommand(new Key(code), KeyScope.Main, out _));
    }

    [Fact]
    public void StatusEntriesFor_Capture_ItsKeysPlusHelpZoomQuit() =>
        Assert.Equal(
            ["F1 Help", "z Zoom", "s/x Start/Stop", "p Pin", "c Compare", "q Quit"],
            Map.StatusEntriesFor(KeyScope.Capture).Select(e => $"{e.StatusKeys ?? Keymap.Format(e.Keys[0])} {e.StatusLabel}"));

    [Theory]
    [InlineData(KeyCode.Enter, ShellCommand.ShowPreflightDetail)]
    [InlineData(KeyCode.R | KeyCode.ShiftMask, ShellCommand.RerunNodePreflight)]
    public void TryGetCommand_NodesKey_OnlyInTheNodesScope(KeyCode code, ShellCommand expected)
    {
        Assert.True(Map.TryGetCommand(new Key(code), KeyScope.Nodes, out var command));
        Assert.Equal(expected, command);
        Assert.False(Map.TryGetCommand(new Key(code), KeyScope.Main, out _));
    }

    [Fact]
    public void R_LowerCase_IsTheMainRefresh_EvenInTheNodesPane()
    {
        Assert.False(Map.TryGetCommand(Key.R, KeyScope.Nodes, out _));
        Assert.True(Map.TryGetCommand(Key.R, KeyScope.Main, out var command));
        Assert.Equal(ShellCommand.RefreshNodes, command);
        Assert.Contains("re-run preflight", Map.Entries.Single(e => e.Command == ShellCommand.RefreshNodes).Description, StringComparison.Ordinal);
    }

    [Fact]
    public void StatusEntriesFor_Nodes_ItsKeysPlusHelpZoomQuit() =>
        Assert.Equal(
            ["F1 Help", "z Zoom", "Enter Detail", "r/R Re-run", "q Quit"],
            Map.StatusEntriesFor(KeyScope.Nodes).Select(e => $"{e.StatusKeys ?? Keymap.Format(e.Keys[0])} {e.StatusLabel}"));

    [Fact]
    public void HelpRender_FitsTheHelpDialogAt80Columns() =>
        Assert.All(HelpDialog.Render(Map).Split('\n'), l => Assert.True(l.Length <= 76, $"{l.Length}: {l}"));

    [Theory]
    [InlineData(KeyCode.Enter, ShellCommand.ShowStepDetail)]
    [InlineData(KeyCode.P, ShellCommand.PreviewStep)]
    [InlineData(KeyCode.A, ShellCommand.ApplyStep)]
    [InlineData(KeyCode.V, ShellCommand.VerifyStep)]
    [InlineData(KeyCode.U, ShellCommand.RollbackToStep)]
    [InlineData(KeyCode.U | KeyCode.ShiftMask, ShellCommand.RollbackAll)]
    [InlineData(KeyCode.R | KeyCode.ShiftMask, ShellCommand.RefreshChecklist)]
    public void TryGetCommand_ChecklistKey_OnlyInTheChecklistScope(KeyCode code, ShellCommand expected)
    {
        Assert.True(Map.TryGetCommand(new Key(code), KeyScope.Checklist, out var command));
        Assert.Equal(expected, command);
        Assert.False(Map.TryGetCommand(new Key(code), KeyScope.Main, out _));
    }

    [Fact]
    public void StatusEntriesFor_Checklist_ItsKeysPlusHelpZoomQuit() =>
        Assert.Equal(
            ["F1 Help", "z Zoom", "p Preview", "a Apply", "u/U Undo", "q Quit"],
            Map.StatusEntriesFor(KeyScope.Checklist).Select(e => $"{e.StatusKeys ?? Keymap.Format(e.Keys[0])} {e.StatusLabel}"));
}
