using EbpfConsole.Core.Capture;
using EbpfConsole.Tui.Dialogs;
using EbpfConsole.Tui.Presenters;
using static EbpfConsole.Tui.Tests.CaptureSamples;

namespace EbpfConsole.Tui.Tests;

public class CapturePresenterTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    [Theory]
    [InlineData(DatapathVerdict.IptablesSnat, "[SNAT] iptables-snat")]
    [InlineData(DatapathVerdict.EbpfTunnel, "[TUN] ebpf-tunnel")]
    [InlineData(DatapathVerdict.EbpfDsr, "[DSR] ebpf-dsr")]
    [InlineData(DatapathVerdict.Mixed, "[MIX] mixed")]
    [InlineData(DatapathVerdict.Unknown, "[ ? ] unknown")]
    public void Verdict_EveryClassification_HasBracketedBadgeAndName(DatapathVerdict verdict, string expected) =>
        Assert.Equal(expected, CapturePresenter.Verdict(verdict));

    [Fact]
    public void Badge_DistinctWordsWithoutColour()
    {
        var badges = Enum.GetValues<DatapathVerdict>().Select(CapturePresenter.Badge).ToArray();

        Assert.Equal(badges.Length, badges.Distinct().Count());
        Assert.All(badges, b => Assert.Matches(@"^\[[A-Z ?]+\]$", b));
    }

    [Theory]
    [InlineData(false, 3, 0, "○ idle")]
    [InlineData(true, 0, 0, "● starting capture")]
    [InlineData(true, 1, 5, "● capturing at 1 point for 00:05")]
    [InlineData(true, 3, 83, "● capturing at 3 points for 01:23")]
    [InlineData(true, 3, 3725, "● capturing at 3 points for 1:02:05")]
    public void State_IdleStartingOrCapturingWithElapsed(bool running, int points, int seconds, string expected) =>
        Assert.Equal(expected, CapturePresenter.State(running, points, TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Counters_NoDrops_PlainZero()
    {
        var snapshot = Mode(DatapathVerdict.EbpfDsr);

        Assert.Equal("2,400 packets · 0 dropped · 2 malformed", CapturePresenter.Counters(snapshot));
    }

    [Fact]
    public void Counters_KernelDrops_Shouted()
    {
        var snapshot = Snapshot([], DatapathVerdict.Unknown, "none", Stats(dropped: 12));

        Assert.Equal("2,400 packets · ⚠ 12 DROPPED · 2 malformed", CapturePresenter.Counters(snapshot));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(60)]
    [InlineData(38)]
    [InlineData(24)]
    public void StatusLine_AnyWidth_FitsAndKeepsBadgeAndDrops(int width)
    {
        var snapshot = Snapshot([], DatapathVerdict.EbpfDsr, "none", Stats(dropped: 7));

        var line = CapturePresenter.StatusLine(snapshot, running: true, TimeSpan.FromSeconds(42), width);

        Assert.True(line.Length <= width, $"{line.Length} > {width}: {line}");
        Assert.Contains("[DSR]", line, StringComparison.Ordinal);
        Assert.Contains("⚠ 7 DROPPED", line, StringComparison.Ordinal);
    }

    [Fact]
    public void StatusLine_Wide_LongForm()
    {
        var line = CapturePresenter.StatusLine(Mode(DatapathVerdict.IptablesSnat), running: true, TimeSpan.FromSeconds(61));

        Assert.Equal("● capturing at 3 points for 01:01 │ [SNAT] iptables-snat │ 2,400 packets · 0 dropped · 2 malformed", line);
    }

    [Fact]
    public void Evidence_NoRoom_TruncatedWithEllipsis()
    {
        var evidence = CapturePresenter.Evidence(Mode(DatapathVerdict.EbpfDsr), 30);

        Assert.Equal(30, evidence.Length);
        Assert.EndsWith("…", evidence, StringComparison.Ordinal);
        Assert.StartsWith("Evidence: the pod saw", evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Points_FailedPointFirstWithItsError()
    {
        var text = CapturePresenter.Points(Stats(dropped: 3, failure: "ssh: connect to 10.99.0.12:22: Connection refused"));

        Assert.StartsWith("Points: node-2:cali1a2b3c4d5e6 ✗ ssh: connect to 10.99.0.12:22: Connection refused │ node-1:eth0 1,200 pkts", text, StringComparison.Ordinal);
        Assert.Contains("node-1:eth0 1,200 pkts, ⚠ DROPPED 0 by us, 3 by kernel, 0 bad", text, StringComparison.Ordinal);
        Assert.Contains("node-2:eth0 800 pkts, 0 dropped, 2 bad", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Detail_SaysEverything_EvidenceAssumptionsPoints()
    {
        var snapshot = Mixed() with { Assumptions = ["node-2 = 10.99.0.12 from --node"] };

        var detail = CapturePresenter.Detail(snapshot, running: false, TimeSpan.Zero).Split('\n');

        Assert.Equal("○ idle", detail[0]);
        Assert.Equal("Classification: [MIX] mixed", detail[1]);
        Assert.StartsWith("Evidence: connections disagree", detail[2], StringComparison.Ordinal);
        Assert.Equal("Connections: 4 ([ ? ] 1, [SNAT] 1, [TUN] 1, [DSR] 1)", detail[3]);
        Assert.Contains("  - node-2 = 10.99.0.12 from --node", detail);
        Assert.Contains("  node-2:eth0 800 pkts, 0 dropped, 2 bad", detail);
    }

    [Theory]
    [InlineData(DatapathVerdict.IptablesSnat, 0, "baseline")]
    [InlineData(DatapathVerdict.EbpfTunnel, 1, "ebpf-tunnel")]
    [InlineData(DatapathVerdict.EbpfDsr, 2, "ebpf-dsr")]
    [InlineData(DatapathVerdict.Mixed, 2, "capture-3")]
    [InlineData(DatapathVerdict.Unknown, 0, "capture-1")]
    public void SuggestedPinName_FromTheVerdict(DatapathVerdict verdict, int pinned, string expected) =>
        Assert.Equal(expected, CapturePresenter.SuggestedPinName(verdict, pinned));

    [Theory]
    [InlineData("baseline", null)]
    [InlineData("after DSR", null)]
    [InlineData("  ", "a pin needs a name")]
    [InlineData("a\u001b[2Jb", "a pin name cannot contain control characters")]
    [InlineData("0123456789012345678901234567890123", "pin name '01234567890123456789012345678901…' is longer than 32 characters")]
    public void PinName_Validate(string name, string? expected) => Assert.Equal(expected, PinDialog.Validate(name));

    [Fact]
    public void ConnectionRow_Snat_NodeAndAddress()
    {
        var row = ConnectionPresenter.ToRow(Connection(1, DatapathVerdict.IptablesSnat), Utc);

        Assert.Equal(["12:00:00", "[SNAT]", "10.99.0.100:60100", "SNAT node-1 10.99.0.11", "via node-1", "yes"], row);
    }

    [Fact]
    public void ConnectionRow_Dsr_ClientIpAndReplyFromBackend()
    {
        var row = ConnectionPresenter.ToRow(Connection(3, DatapathVerdict.EbpfDsr, 60102, "10.99.0.101", offsetMs: 2000), Utc);

        Assert.Equal(["12:00:02", "[DSR]", "10.99.0.101:60102", "client IP", "DSR from node-2", "yes"], row);
    }

    [Fact]
    public void ConnectionRow_NothingSeen_QuestionMarks()
    {
        var row = ConnectionPresenter.ToRow(Connection(4, DatapathVerdict.Unknown), Utc);

        Assert.Equal(["12:00:00", "[ ? ]", "10.99.0.100:60100", "?", "?", "-"], row);
    }

    [Fact]
    public void ConnectionRow_TimeIsLocal()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");

        Assert.Equal("14:00:00", ConnectionPresenter.ToRow(Connection(1, DatapathVerdict.EbpfDsr), zone)[0]);
    }

    [Theory]
    [InlineData(PodSawKind.Snat, "10.99.0.12", null, "SNAT 10.99.0.12")]
    [InlineData(PodSawKind.Snat, null, null, "SNAT")]
    [InlineData(PodSawKind.ClientIp, "10.99.0.100", null, "client IP")]
    [InlineData(PodSawKind.Unknown, null, null, "?")]
    public void PodSaw_WhatIsKnown(PodSawKind kind, string? address, string? node, string expected) =>
        Assert.Equal(expected, ConnectionPresenter.PodSaw(new PodSaw(kind, address is null ? null : new Endpoint(address, 1), node)));

    [Theory]
    [InlineData(ReplyPathKind.ViaIngress, null, "via ingress")]
    [InlineData(ReplyPathKind.DirectFromBackend, null, "DSR from backend")]
    [InlineData(ReplyPathKind.Unknown, "node-1", "?")]
    public void ReplyPath_NodeUnknown_SaysTheRole(ReplyPathKind kind, string? node, string expected) =>
        Assert.Equal(expected, ConnectionPresenter.ReplyPath(new ReplyPath(kind, node)));

    [Fact]
    public void ConnectionDetail_VerdictReasonPointsAndRetransmits()
    {
        var connection = Connection(7, DatapathVerdict.EbpfDsr) with { SynRetransmits = 2 };

        Assert.Equal(
            "#7 10.99.0.100:60100 → 10.99.0.11:30604: [DSR] ebpf-dsr — client IP kept; the SYN-ACK left node-2:eth0 straight to the client"
            + " · 10 packets at node-1:eth0, node-2:eth0, 2 SYN retransmits · Enter: packets",
            ConnectionPresenter.Detail(connection));
    }

    [Fact]
    public void PacketRows_TimeOrderAcrossPoints_VxlanOuterMarked()
    {
        var connection = Connection(1, DatapathVerdict.IptablesSnat);

        var rows = PacketPresenter.InTimeOrder(connection).Select(p => PacketPresenter.ToRow(p, Utc)).ToList();

        Assert.Equal(["S", "S.", "S"], rows.Select(r => r[3]));
        Assert.Equal(["12:00:00.000000", "node-1:eth0", "10.99.0.100:60100 → 10.99.0.11:30604", "S", "1001", "0", "0", ""], rows[0]);
        Assert.Equal("12:00:00.000090", rows[1][0]);
        Assert.Equal(["12:00:00.000150", "node-2:eth0", "10.99.0.11:41001 → 10.244.1.5:80", "S", "1001", "0", "0", "vxlan 10.99.0.11 → 10.99.0.12 vni 0xca11c0"], rows[2]);
    }

    [Fact]
    public void PacketTitle_BoundedList_SaysFirstNOfTotal() =>
        Assert.Equal("#1 10.99.0.100:60100 → 10.99.0.11:30604 (ISN 1001): first 3 of 10 packets, [SNAT] iptables-snat",
            PacketPresenter.Title(Connection(1, DatapathVerdict.IptablesSnat)));

    [Theory]
    [InlineData(null, "")]
    [InlineData("vxlan 1.2.3.4 → 5.6.7.8", "vxlan 1.2.3.4 → 5.6.7.8")]
    [InlineData("1.2.3.4 → 5.6.7.8", "vxlan 1.2.3.4 → 5.6.7.8")]
    public void PacketOuter_MarkedOnce(string? outer, string expected) => Assert.Equal(expected, PacketPresenter.Outer(outer));
}
