using EbpfConsole.Core.Capture;
using EbpfConsole.Tui.Presenters;
using static EbpfConsole.Tui.Tests.CaptureSamples;

namespace EbpfConsole.Tui.Tests;

public class ComparisonPresenterTests
{
    private static IReadOnlyList<CaptureSnapshot> ThreeModes() =>
    [
        Mode(DatapathVerdict.IptablesSnat).Pin("baseline"),
        Mode(DatapathVerdict.EbpfTunnel).Pin("ebpf-tunnel"),
        Mode(DatapathVerdict.EbpfDsr, count: 2).Pin("ebpf-dsr"),
    ];

    [Fact]
    public void Rows_ThreeModes_WhatThePodSawAndHowTheReplyTravelled()
    {
        var rows = ComparisonPresenter.Rows(ThreeModes()).ToDictionary(r => r.Label, r => r.Values);

        Assert.Equal(["baseline", "ebpf-tunnel", "ebpf-dsr"], rows[""]);
        Assert.Equal(["[SNAT] iptables-snat", "[TUN] ebpf-tunnel", "[DSR] ebpf-dsr"], rows["verdict"]);
        Assert.Equal(["SNAT node-1 10.99.0.11 ×3", "client IP ×3", "client IP ×2"], rows["pod saw"]);
        Assert.Equal(["via node-1 ×3", "via node-1 ×3", "DSR from node-2 ×2"], rows["reply"]);
        Assert.Equal(["VXLAN on 3 of 3", "VXLAN on 3 of 3", "VXLAN on 2 of 2"], rows["tunnel"]);
        Assert.Equal(["3", "3", "2"], rows["connections"]);
        Assert.Equal(["2,400", "2,400", "2,400"], rows["packets"]);
        Assert.StartsWith("the pod saw 10.99.0.11 (node-1)", rows["evidence"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_MixedValues_TalliedMostFrequentFirst()
    {
        var snapshot = Snapshot(
            [Connection(1, DatapathVerdict.EbpfDsr), Connection(2, DatapathVerdict.IptablesSnat), Connection(3, DatapathVerdict.EbpfDsr)],
            DatapathVerdict.Mixed, "mixed", Stats(dropped: 5));

        var rows = ComparisonPresenter.Rows([snapshot]).ToDictionary(r => r.Label, r => r.Values);

        Assert.Equal("client IP ×2, SNAT node-1 10.99.0.11 ×1", rows["pod saw"][0]);
        Assert.Equal("(current)", rows[""][0]);
        Assert.Equal("2,400, ⚠ 5 DROPPED", rows["packets"][0]);
    }

    [Fact]
    public void Rows_NoConnections_Dashes()
    {
        var rows = ComparisonPresenter.Rows([CaptureSnapshot.Empty]).ToDictionary(r => r.Label, r => r.Values);

        Assert.Equal("-", rows["pod saw"][0]);
        Assert.Equal("none", rows["tunnel"][0]);
    }

    [Fact]
    public void Chosen_MoreThanThree_TheLastThree()
    {
        var pins = Enumerable.Range(1, 5).Select(i => CaptureSnapshot.Empty.Pin($"p{i}")).ToList();

        Assert.Equal(["p3", "p4", "p5"], ComparisonPresenter.Chosen(pins).Select(p => p.Name));
    }

    [Theory]
    [InlineData(76)]
    [InlineData(111)]
    public void Render_ThreeColumns_FitsTheWidthAndWrapsEvidence(int width)
    {
        var lines = ComparisonPresenter.Render(ComparisonPresenter.Rows(ThreeModes()), width).Split('\n');

        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        Assert.Matches(@"^ +│ baseline +│ ebpf-tunnel +│ ebpf-dsr$", lines[0]);
        Assert.Matches("^─+┼─+┼─+┼─+$", lines[1]);
        Assert.Matches(@"^verdict +│ \[SNAT\]( iptables-snat)? +│ \[TUN\] ebpf-tunnel +│ \[DSR\] ebpf-dsr$", lines[2]);
        var evidence = lines.SkipWhile(l => !l.StartsWith("evidence", StringComparison.Ordinal)).ToList();
        Assert.True(evidence.Count > 1, "the evidence wraps inside its column");
        Assert.Contains("straight", string.Join(" ", evidence), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoSnapshots_SaysHowToPin() =>
        Assert.Equal("No pinned snapshots: p pins the current capture.", ComparisonPresenter.Render(ComparisonPresenter.Rows([]), 80));

    [Theory]
    [InlineData("the pod saw the client", 10, new[] { "the pod", "saw the", "client" })]
    [InlineData("node-2:cali1a2b3c4d5e6", 10, new[] { "node-2:cal", "i1a2b3c4d5", "e6" })]
    [InlineData("", 10, new[] { "" })]
    public void Wrap_GreedyAndSplitsLongWords(string text, int width, string[] expected) =>
        Assert.Equal(expected, ComparisonPresenter.Wrap(text, width));

    [Fact]
    public void WrapLines_KeepsIndentation() =>
        Assert.Equal(["Assumptions:", "  - node-2 is", "  10.99.0.12"], ComparisonPresenter.WrapLines("Assumptions:\n  - node-2 is 10.99.0.12", 14));
}
