using System.Text.RegularExpressions;
using EbpfConsole.Core.Capture;
using EbpfConsole.Tui.Dialogs;
using EbpfConsole.Tui.Presenters;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Xunit.Abstractions;
using static EbpfConsole.Tui.Tests.CaptureSamples;

namespace EbpfConsole.Tui.Tests;

/// <summary>The packets dialog (Enter): every field readable at 80x24 and 120x40, all rows scrollable.</summary>
public class CapturePacketsTests(ITestOutputHelper output)
{
    public static TheoryData<int, int> Sizes => new() { { 80, 24 }, { 120, 40 } };

    private static readonly CapturePoint Cali = Pod;

    /// <summary>A connection with real-sized sequence numbers and <paramref name="count"/> packets across three points.</summary>
    private static ConnectionView Long(int count)
    {
        var client = new Endpoint("10.99.0.100", 60100);
        var snat = new Endpoint("10.99.0.11", 41001);
        var pod = new Endpoint("10.244.1.5", 80);
        var packets = Enumerable.Range(0, count).Select(i =>
        {
            var (point, src, dst, outer) = (i % 3) switch
            {
                0 => (Node1, client, Service, (string?)null),
                1 => (Node2, snat, pod, "10.99.0.11 → 10.99.0.12 vni 0xca11c0"),
                _ => (Cali, snat, pod, (string?)null),
            };
            return new PacketView(T0Ns + i * 1_000_000L, point, src, dst, i == 0 ? "S" : "P.", 3_000_000_000u + (uint)i, 4_000_000_000u + (uint)i,
                i == 0 ? 0 : 1448, outer, i + 1);
        }).ToList();
        return Connection(1, DatapathVerdict.IptablesSnat) with { Packets = packets, PacketCount = count, Points = [Node1, Node2, Cali] };
    }

    private (PacketsDialog Dialog, string Screen, List<string> Later) Open(int width, int height, ConnectionView connection,
        bool noColor = false, Action<ShellHarness>? inspect = null, params Action<ShellHarness>[] then)
    {
        using var shell = ShellHarness.Create(width, height);
        PacketsDialog? dialog = null;
        string? screen = null;
        var later = new List<string>();
        var steps = new List<Action<ShellHarness>>
        {
            s => s.Press(Key.D3),
            s => s.Press(Key.Enter),
            s =>
            {
                dialog = Assert.IsType<PacketsDialog>(s.TopDialog);
                screen = s.Screen();
                inspect?.Invoke(s);
            },
        };
        foreach (var step in then)
        {
            steps.Add(step);
            steps.Add(s => later.Add(s.Screen()));
        }

        steps.Add(s => s.Press(Key.Esc));
        steps.Add(s => Assert.Same(s.Main, s.App.TopRunnableView));
        steps.Add(s => s.Press(Key.Q));
        var snapshot = Snapshot([connection], DatapathVerdict.IptablesSnat, "snat");
        shell.Run(new FakeActions(FakeActions.Lab()), new FakeCapture(snapshot), new ConsoleOptions { Time = new TestTime(), NoColor = noColor }, [.. steps]);
        output.WriteLine(screen);
        return (dialog!, screen!, later);
    }

    private static string[] Lines(string screen) => screen.TrimEnd('\n', '\r').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Enter_EveryRowShowsTimePointAddressesFlagsSeqAndLen(int width, int height)
    {
        var (dialog, screen, _) = Open(width, height, Long(6));

        var lines = Lines(screen);
        Assert.Equal(width, lines.Max(l => l.Length));
        Assert.All(dialog.Table.Lines, row => Assert.Contains(lines, l => l.Contains(row, StringComparison.Ordinal)));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"TIME +(@|POINT) +SRC > DST +FL +SEQ .*LEN"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"12:00:00\.000000 +(1|node-1:eth0) +10\.99\.0\.100:60100 > 10\.99\.0\.11:30604 +S +3000000000 .* 0"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"12:00:00\.004000 +(2|node-2:eth0) +10\.99\.0\.11:41001 > 10\.244\.1\.5:80 +P\. +3000000004 .*1448 vx"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"12:00:00\.005000 +(3|node-2:cali1a2b3c4d5e6) +10\.99\.0\.11:41001 > 10\.244\.1\.5:80 +P\. +3000000005 .*1448"));
    }

    [Fact]
    public void Enter_At80Columns_PointsNumberedWithALegend_AckAndOuterInTheSelectedLine()
    {
        var (dialog, screen, later) = Open(80, 24, Long(6), then: s => s.Press(Key.CursorDown));

        Assert.Equal(PacketRowFormat.Compact, dialog.Table.Format);
        Assert.Contains("Points: 1 node-1:eth0 · 2 node-2:eth0 · 3 node-2:cali1a2b3c4d5e6", screen, StringComparison.Ordinal);
        Assert.Equal("Selected: node-2:eth0 · ack 4000000001 · vxlan 10.99.0.11 → 10.99.0.12 vni 0xca11c0 · frame 2", dialog.SelectedText);
        var flat = string.Join(" ", Lines(later[0]).Select(l => l.Trim().Trim('┃', '│', '╮', '╯', '╭', '╰').Trim()));
        Assert.Contains("Selected: node-2:eth0 · ack 4000000001 · vxlan 10.99.0.11 → 10.99.0.12 vni 0xca11c0 · frame 2", flat, StringComparison.Ordinal);
    }

    [Fact]
    public void Enter_At120Columns_FullPointNamesAndAck()
    {
        var (dialog, screen, _) = Open(120, 40, Long(6));

        Assert.Equal(PacketRowFormat.Medium, dialog.Table.Format);
        Assert.DoesNotContain("Points: 1", screen, StringComparison.Ordinal);
        Assert.Contains(Lines(screen), l => Regex.IsMatch(l, @"node-2:cali1a2b3c4d5e6 +10\.99\.0\.11:41001 > 10\.244\.1\.5:80 +P\. +3000000005 +4000000005 +1448"));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Enter_MoreRowsThanTheScreen_EndScrollsToTheLastPacket(int width, int height)
    {
        var (dialog, screen, later) = Open(width, height, Long(60), then: s => s.Press(Key.End));

        Assert.DoesNotContain(dialog.Table.Lines[59], screen, StringComparison.Ordinal);
        Assert.Contains(dialog.Table.Lines[59], later[0], StringComparison.Ordinal);
        Assert.EndsWith("· frame 60", dialog.SelectedText, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Enter_PageDown_MovesAPageOfRows(int width, int height)
    {
        var (dialog, _, later) = Open(width, height, Long(60), then: s => s.Press(Key.PageDown));

        Assert.DoesNotMatch(" frame 1$", dialog.SelectedText);
        Assert.DoesNotContain(dialog.Table.Lines[0], later[0], StringComparison.Ordinal);
    }

    [Fact]
    public void NoColor_PacketsDialog_NoColourAnywhere()
    {
        var colours = new List<Color>();

        var (_, screen, _) = Open(80, 24, Long(6), noColor: true, inspect: h =>
        {
            foreach (var cell in h.App.Driver!.Contents!)
            {
                colours.Add(cell.Attribute?.Foreground ?? default);
                colours.Add(cell.Attribute?.Background ?? default);
            }
        });

        Assert.Contains("Packets", screen, StringComparison.Ordinal);
        Assert.All(colours, c => Assert.Equal(Color.None, c));
    }

    [Theory]
    [InlineData(200, PacketRowFormat.Wide)]
    [InlineData(118, PacketRowFormat.Medium)]
    [InlineData(78, PacketRowFormat.Compact)]
    [InlineData(40, PacketRowFormat.Compact)]
    public void PacketTable_PicksTheWidestFormThatFits_NoLineLongerThanTheWidth(int width, PacketRowFormat expected)
    {
        var packets = PacketPresenter.InTimeOrder(Long(9));

        var table = PacketTable.For(packets, TimeZoneInfo.Utc, width);

        Assert.Equal(expected, table.Format);
        Assert.Equal(9, table.Lines.Count);
        Assert.All(table.Lines.Append(table.Header), l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        Assert.Equal(expected == PacketRowFormat.Compact, table.Legend is not null);
    }

    [Fact]
    public void PacketTable_Compact_LabConnectionFits78ColumnsUncut()
    {
        var table = PacketTable.For(PacketPresenter.InTimeOrder(Long(9)), TimeZoneInfo.Utc, 78);

        Assert.All(table.Lines, l => Assert.DoesNotContain('…', l));
        Assert.Equal("TIME            @ SRC > DST                            FL        SEQ  LEN", table.Header);
        Assert.Equal("12:00:00.001000 2 10.99.0.11:41001 > 10.244.1.5:80     P. 3000000001 1448 vx", table.Lines[1]);
    }

    [Fact]
    public void PacketTable_Wide_OuterPairInItsOwnColumn()
    {
        var table = PacketTable.For(PacketPresenter.InTimeOrder(Long(3)), TimeZoneInfo.Utc, 200);

        Assert.EndsWith("vxlan 10.99.0.11 → 10.99.0.12 vni 0xca11c0", table.Lines[1], StringComparison.Ordinal);
        Assert.Contains("10.99.0.11:41001 → 10.244.1.5:80", table.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void PacketTable_NoVxlan_NoMarkerColumn()
    {
        var packets = PacketPresenter.InTimeOrder(Long(3)).Where(p => p.Outer is null).ToList();

        var table = PacketTable.For(packets, TimeZoneInfo.Utc, 78);

        Assert.All(table.Lines, l => Assert.DoesNotContain(" vx", l, StringComparison.Ordinal));
        Assert.EndsWith("LEN", table.Header, StringComparison.Ordinal);
    }

    [Fact]
    public void PacketTable_Ipv6OnANarrowScreen_CutWithAnEllipsis()
    {
        var v6 = new PacketView(T0Ns, Node1, new Endpoint("fd00:10:99::100", 60100), new Endpoint("fd00:10:99::11", 30604), "S", 1, 0, 0, null, 1);

        var table = PacketTable.For([v6], TimeZoneInfo.Utc, 60);

        Assert.Equal(60, table.Lines[0].Length);
        Assert.EndsWith("…", table.Lines[0], StringComparison.Ordinal);
    }
}
