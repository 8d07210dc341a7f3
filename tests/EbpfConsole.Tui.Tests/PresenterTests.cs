using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Events;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Shell;
using EbpfConsole.Tui.Presenters;

namespace EbpfConsole.Tui.Tests;

public class PresenterTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    [Theory]
    [InlineData(Reachability.Reachable, "✓ up")]
    [InlineData(Reachability.Unreachable, "✗ down")]
    [InlineData(Reachability.Checking, "… checking")]
    [InlineData(Reachability.Unknown, "? unknown")]
    public void State_EveryReachability_HasGlyphAndWord(Reachability reachability, string expected) =>
        Assert.Equal(expected, NodePresenter.State(reachability));

    [Fact]
    public void State_GlyphsAreDistinctSingleColumnCharacters()
    {
        var glyphs = Enum.GetValues<Reachability>().Select(r => NodePresenter.State(r).Split(' ')[0]).ToArray();
        Assert.Equal(glyphs.Length, glyphs.Distinct().Count());
        Assert.All(glyphs, g => Assert.Single(g));
    }

    [Fact]
    public void ToRow_ReachableNode_ShowsIdentity()
    {
        var row = NodePresenter.ToRow(FakeActions.Up);

        Assert.Equal(["node-1", "10.99.0.11", "✓ up", "lab-node-1", "6.8.0-49-generic", ""], row);
        Assert.Equal(NodePresenter.Columns.Count, row.Count);
    }

    [Fact]
    public void ToRow_UnreachableNode_ShowsDashesAndError()
    {
        var row = NodePresenter.ToRow(FakeActions.Down);

        Assert.Equal(["node-2", "10.99.0.12", "✗ down", "-", "-", "ssh: connect to 10.99.0.12:22: Connection refused"], row);
        Assert.Equal("ERROR", NodePresenter.Columns[NodePresenter.ErrorColumn]);
    }

    [Fact]
    public void ToRow_MultiLineError_FoldedIntoOneLine()
    {
        var node = FakeActions.Down with { Error = "sudo: a password is required\n  exit code 1\n" };

        Assert.Equal("sudo: a password is required ⏎ exit code 1", NodePresenter.ToRow(node)[NodePresenter.ErrorColumn]);
    }

    [Fact]
    public void Detail_UnreachableNode_HasFullErrorAndCheckTime() =>
        Assert.Equal(
            "node-2 (10.99.0.12): ✗ down — ssh: connect to 10.99.0.12:22: Connection refused · checked 12:00:00",
            NodePresenter.Detail(FakeActions.Down, Utc));

    [Fact]
    public void Detail_ReachableNode_HasHostnameAndKernel() =>
        Assert.Equal(
            "node-1 (10.99.0.11): ✓ up — hostname lab-node-1, kernel 6.8.0-49-generic · checked 12:00:00",
            NodePresenter.Detail(FakeActions.Up, Utc));

    [Fact]
    public void Detail_NeverChecked_SaysOnlyState() =>
        Assert.Equal("node-3 (10.99.0.13): ? unknown", NodePresenter.Detail(new NodeStatus("node-3", "10.99.0.13", Reachability.Unknown), Utc));

    [Fact]
    public void Detail_NoNode_SaysSo() => Assert.Equal("No nodes yet.", NodePresenter.Detail(null, Utc));

    [Fact]
    public void Detail_TimeShownInTheGivenZone()
    {
        var plusTwo = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");

        Assert.EndsWith("checked 14:00:00", NodePresenter.Detail(FakeActions.Up, plusTwo));
    }

    [Theory]
    [InlineData(EventLevel.Info, "12:00:05 ssh info  node-1 reachable")]
    [InlineData(EventLevel.Warning, "12:00:05 ssh warn  node-1 reachable")]
    [InlineData(EventLevel.Error, "12:00:05 ssh error node-1 reachable")]
    public void ToLine_TimeSourceLevelMessage(EventLevel level, string expected) =>
        Assert.Equal(expected, EventPresenter.ToLine(new ConsoleEvent(FakeActions.T0.AddSeconds(5), "ssh", level, "node-1 reachable"), Utc));

    [Fact]
    public void ToLine_MultiLineMessage_OneLine() =>
        Assert.Equal(
            "12:00:00 lab error setup failed ⏎ ip: RTNETLINK answers: File exists",
            EventPresenter.ToLine(new ConsoleEvent(FakeActions.T0, "lab", EventLevel.Error, "setup failed\nip: RTNETLINK answers: File exists"), Utc));

    [Fact]
    public void Header_KnownMode_TargetAndModeName() =>
        Assert.Equal("ebpf-console │ lab │ mode: ebpf-tunnel", ShellPresenter.Header(FakeActions.Lab()));

    [Fact]
    public void Header_UnknownMode_QuestionMark() =>
        Assert.Equal("ebpf-console │ lab │ mode: ?", ShellPresenter.Header(ConsoleSnapshot.Empty("lab")));

    [Fact]
    public void Header_ReadOnlyBusyAndFailure_AllShown() =>
        Assert.Equal(
            "ebpf-console │ lab │ mode: iptables │ READ-ONLY │ busy: switching to ebpf-dsr │ ✗ refresh nodes failed (see Log)",
            ShellPresenter.Header(FakeActions.Lab(DatapathMode.Iptables, "switching to ebpf-dsr", readOnly: true), "refresh nodes failed"));

    [Fact]
    public void Header_TooWide_DropsTheProductNameFirst()
    {
        var snapshot = FakeActions.Lab();
        var full = ShellPresenter.Header(snapshot, "reading the session state failed");

        Assert.Equal(
            "lab │ mode: ebpf-tunnel │ ✗ reading the session state failed (see Log)",
            ShellPresenter.Header(snapshot, "reading the session state failed", width: full.Length - 1));
        Assert.Equal(full, ShellPresenter.Header(snapshot, "reading the session state failed", width: full.Length));
    }
}
