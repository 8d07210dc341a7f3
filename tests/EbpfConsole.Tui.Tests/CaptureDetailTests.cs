using System.Text.RegularExpressions;
using EbpfConsole.Core.Capture;
using EbpfConsole.Tui.Dialogs;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.Input;
using Xunit.Abstractions;
using static EbpfConsole.Tui.Tests.CaptureSamples;

namespace EbpfConsole.Tui.Tests;

/// <summary>The detail dialog (e): notices, traffic counters, the session's and the selected connection's assumptions.</summary>
public class CaptureDetailTests(ITestOutputHelper output)
{
    public static TheoryData<int, int> Sizes => new() { { 80, 24 }, { 120, 40 } };

    private const string Mtu = "node-2:eth0 #88: ICMP fragmentation needed (MTU 1450) from 10.99.0.12";
    private const string Inferred = "ingress node inferred as node-1: the client's SYN was first seen at node-1:eth0";
    private const string NoPod = "no point at the pod's interface: what the pod saw is taken from node-2:eth0";

    private static CaptureSnapshot Rich()
    {
        var mixed = Mixed();
        var connections = mixed.Connections.Select(c => c.Id == 4 ? c with { Assumptions = [NoPod] } : c).ToList();
        return mixed with
        {
            Connections = connections,
            Assumptions = [Inferred],
            Notices = [Mtu],
            Traffic = new TrafficCounters(NotIp: 4, OtherTcp: 120, Udp: 33, Icmp: 2, OtherIp: 0, Tunnelled: 250, ConnectionsForgotten: 1),
        };
    }

    private (TextDialog Dialog, string Screen) OpenDetail(int width, int height, CaptureSnapshot snapshot, params Action<ShellHarness>[] select)
    {
        using var shell = ShellHarness.Create(width, height);
        TextDialog? dialog = null;
        string? screen = null;
        var steps = new List<Action<ShellHarness>> { s => s.Press(Key.D3) };
        steps.AddRange(select);
        steps.Add(s => s.Press(Key.E));
        steps.Add(s =>
        {
            dialog = Assert.IsType<TextDialog>(s.TopDialog);
            screen = s.Screen();
        });
        steps.Add(s => s.Press(Key.Esc));
        steps.Add(s => Assert.Same(s.Main, s.App.TopRunnableView));
        steps.Add(s => s.Press(Key.Q));
        shell.Run(new FakeActions(FakeActions.Lab()), new FakeCapture(snapshot), [.. steps]);
        output.WriteLine(screen);
        return (dialog!, screen!);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void E_ShowsNoticesTrafficAndBothKindsOfAssumptions(int width, int height)
    {
        var (dialog, screen) = OpenDetail(width, height, Rich());

        var text = Regex.Replace(string.Join(" ", dialog.Lines), @"\s+", " ");
        Assert.Contains("Other traffic: 120 other TCP · 33 UDP · 2 ICMP · 4 not IP · 250 inside VXLAN · 1 connection forgotten", text, StringComparison.Ordinal);
        Assert.Contains("Notices:", text, StringComparison.Ordinal);
        Assert.Contains($"- {Mtu}", text, StringComparison.Ordinal);
        Assert.Contains($"- {Inferred}", text, StringComparison.Ordinal);
        Assert.Contains("Selected #4 10.99.0.100:60103 → 10.99.0.11:30604: [ ? ] unknown", text, StringComparison.Ordinal);
        Assert.Contains($"- {NoPod}", text, StringComparison.Ordinal);
        Assert.Contains("Other traffic: 120 other TCP", screen, StringComparison.Ordinal);
        Assert.Contains("Notices:", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void E_AnotherConnectionSelected_ItsOwnAssumptions()
    {
        var (dialog, _) = OpenDetail(120, 40, Rich(), s => s.Press(Key.CursorUp));

        var text = string.Join("\n", dialog.Lines);
        Assert.Contains("Selected #3 10.99.0.101:60102 → 10.99.0.11:30604: [DSR] ebpf-dsr", text, StringComparison.Ordinal);
        Assert.Contains("  Its assumptions: none", text, StringComparison.Ordinal);
        Assert.DoesNotContain(NoPod, text, StringComparison.Ordinal);
    }

    [Fact]
    public void E_At80x24_LinesLongerThanTheDialogWrapped_AndScrollToTheEnd()
    {
        using var shell = ShellHarness.Create(80, 24);
        TextDialog? dialog = null;
        string? last = null;
        shell.Run(new FakeActions(FakeActions.Lab()), new FakeCapture(Rich()),
            s => s.Press(Key.D3),
            s => s.Press(Key.E),
            s => dialog = Assert.IsType<TextDialog>(s.TopDialog),
            s => s.Press(Key.End),
            s => last = s.Screen(),
            s => s.Press(Key.Esc),
            s => s.Press(Key.Q));

        output.WriteLine(last);
        Assert.All(dialog!.Lines, l => Assert.True(l.Length <= TextDialog.TextWidth(80), l));
        Assert.Contains(dialog.Lines[^1].Trim(), last, StringComparison.Ordinal);
    }

    [Fact]
    public void E_NothingExtra_SaysNone()
    {
        var (dialog, _) = OpenDetail(120, 40, Mode(DatapathVerdict.EbpfDsr));

        Assert.Contains("Other traffic: none", dialog.Lines);
        Assert.Contains("Notices: none", dialog.Lines);
        Assert.Contains("Assumptions: none", dialog.Lines);
    }

    [Fact]
    public void Detail_NoSelection_NoSelectedSection()
    {
        var text = CapturePresenter.Detail(Rich(), running: true, TimeSpan.FromSeconds(3));

        Assert.DoesNotContain("Selected", text, StringComparison.Ordinal);
        Assert.Contains($"  - {Mtu}", text.Split('\n'));
    }

    [Fact]
    public void Traffic_OnlyNonZeroCounters_SingularForOneForgotten()
    {
        Assert.Equal("none", CapturePresenter.Traffic(TrafficCounters.None));
        Assert.Equal("1,234 UDP · 1 connection forgotten", CapturePresenter.Traffic(TrafficCounters.None with { Udp = 1234, ConnectionsForgotten = 1 }));
        Assert.Equal("3 connections forgotten", CapturePresenter.Traffic(TrafficCounters.None with { ConnectionsForgotten = 3 }));
    }

    [Theory]
    [InlineData("baseline", new string[0], "baseline")]
    [InlineData("baseline", new[] { "ebpf-dsr" }, "baseline")]
    [InlineData("baseline", new[] { "baseline" }, "baseline-2")]
    [InlineData("baseline", new[] { "BASELINE", "baseline-2" }, "baseline-3")]
    [InlineData("ebpf-dsr", new[] { "ebpf-dsr", "ebpf-dsr-3" }, "ebpf-dsr-2")]
    public void UniquePinName_TakenNamesGetTheNextFreeNumber(string wanted, string[] taken, string expected) =>
        Assert.Equal(expected, CapturePresenter.UniquePinName(wanted, taken));
}
