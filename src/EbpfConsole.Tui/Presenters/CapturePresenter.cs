using System.Globalization;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Tui.Presenters;

/// <summary>
/// The capture pane's header (pure): state, classification badge, counters, evidence and per-point
/// counters. Badges are words in brackets, so a verdict reads the same without colour.
/// </summary>
public static class CapturePresenter
{
    private const string Sep = " │ ";

    /// <summary>What the pane says when the console runs without a capture engine.</summary>
    public const string NotAvailable = "Capture is not available here: start the console on a lab or with capture points.";

    /// <summary>The verdict as a fixed bracketed word: [SNAT], [TUN], [DSR], [MIX], [ ? ].</summary>
    public static string Badge(DatapathVerdict verdict) => verdict switch
    {
        DatapathVerdict.IptablesSnat => "[SNAT]",
        DatapathVerdict.EbpfTunnel => "[TUN]",
        DatapathVerdict.EbpfDsr => "[DSR]",
        DatapathVerdict.Mixed => "[MIX]",
        _ => "[ ? ]",
    };

    /// <summary>Badge and name: <c>[DSR] ebpf-dsr</c>.</summary>
    public static string Verdict(DatapathVerdict verdict) => $"{Badge(verdict)} {verdict.ToName()}";

    /// <summary><c>● capturing at 3 points for 01:23</c>, <c>● starting capture</c> or <c>○ idle</c>.</summary>
    public static string State(bool running, int points, TimeSpan elapsed) =>
        !running ? "○ idle"
        : points == 0 ? "● starting capture"
        : $"● capturing at {points} point{(points == 1 ? "" : "s")} for {Elapsed(elapsed)}";

    /// <summary>mm:ss, or h:mm:ss from an hour on.</summary>
    public static string Elapsed(TimeSpan elapsed)
    {
        var value = elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed;
        return value.TotalHours >= 1
            ? value.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : value.ToString(@"mm\:ss", CultureInfo.InvariantCulture);
    }

    /// <summary><c>1,234 packets · 0 dropped · 2 malformed</c>; drops are shouted: <c>⚠ 12 DROPPED</c>.</summary>
    public static string Counters(CaptureSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return $"{Number(snapshot.Packets)} packets · {Dropped(snapshot.Dropped)} · {Number(snapshot.Malformed)} malformed";
    }

    /// <summary><c>0 dropped</c>, or <c>⚠ 12 DROPPED</c> so it cannot be overlooked, with or without colour.</summary>
    public static string Dropped(long dropped) => dropped > 0 ? $"⚠ {Number(dropped)} DROPPED" : "0 dropped";

    /// <summary>
    /// The status line for <paramref name="width"/> columns: the long form when it fits, else shorter words;
    /// the badge and any drops come first in the shortest form, so truncation never hides them.
    /// </summary>
    public static string StatusLine(CaptureSnapshot snapshot, bool running, TimeSpan elapsed, int width = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var points = snapshot.Points.Count;
        var verdict = Verdict(snapshot.Classification.Verdict);
        var full = string.Join(Sep, State(running, points, elapsed), verdict, Counters(snapshot));
        if (full.Length <= width)
        {
            return full;
        }

        var state = !running ? "○ idle" : points == 0 ? "● starting" : $"● {points} pt{(points == 1 ? "" : "s")} {Elapsed(elapsed)}";
        var counters = $"{Number(snapshot.Packets)} pkts · {(snapshot.Dropped > 0 ? Dropped(snapshot.Dropped) : "0 drop")} · {Number(snapshot.Malformed)} bad";
        var shorter = string.Join(Sep, state, verdict, counters);
        if (shorter.Length <= width)
        {
            return shorter;
        }

        var drops = snapshot.Dropped > 0 ? $" {Dropped(snapshot.Dropped)}" : "";
        var shortest = $"{Badge(snapshot.Classification.Verdict)}{drops} {state} {Number(snapshot.Packets)} pkts {Number(snapshot.Malformed)} bad";
        return Truncate(shortest, width);
    }

    /// <summary>The classification's evidence sentence, e.g. "Evidence: node-2:eth0 #17 …".</summary>
    public static string Evidence(CaptureSnapshot snapshot, int width = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Truncate($"Evidence: {NodePresenter.OneLine(snapshot.Classification.Evidence)}", width);
    }

    /// <summary>One point's counters: <c>node-1:eth0 120 pkts, drop 0+3k, 0 bad</c> or <c>node-2:eth0 ✗ error</c>.</summary>
    public static string Point(PointStats point)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (point.Error is { Length: > 0 } error)
        {
            return $"{point.Point} ✗ {NodePresenter.OneLine(error)}";
        }

        var drops = point.DroppedByUs + point.DroppedByKernel > 0
            ? $"⚠ DROPPED {Number(point.DroppedByUs)} by us, {Number(point.DroppedByKernel)} by kernel"
            : "0 dropped";
        return $"{point.Point} {Number(point.Packets)} pkts, {drops}, {Number(point.Malformed)} bad";
    }

    /// <summary>Every point on one line, failed points first so a narrow screen still shows the failure.</summary>
    public static string Points(IReadOnlyList<PointStats> points, int width = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return Truncate("Points: none yet (s starts at the default points, S chooses where)", width);
        }

        var ordered = points.Where(p => p.Error is { Length: > 0 }).Concat(points.Where(p => p.Error is not { Length: > 0 }));
        return Truncate("Points: " + string.Join(Sep, ordered.Select(Point)), width);
    }

    /// <summary>
    /// The whole session for the detail dialog: classification, evidence, counts, traffic besides the
    /// connections, notices, the session's assumptions, points, and the selected connection's own assumptions.
    /// </summary>
    public static string Detail(CaptureSnapshot snapshot, bool running, TimeSpan elapsed, ConnectionView? selected = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var lines = new List<string>
        {
            $"{State(running, snapshot.Points.Count, elapsed)}{(snapshot.Name is { } name ? $" (pinned as {name})" : "")}",
            $"Classification: {Verdict(snapshot.Classification.Verdict)}",
            $"Evidence: {NodePresenter.OneLine(snapshot.Classification.Evidence)}",
            $"Connections: {Number(snapshot.Connections.Count)}{VerdictCounts(snapshot.Classification)}",
            $"Counters: {Counters(snapshot)}",
            $"Other traffic: {Traffic(snapshot.Traffic)}",
        };
        AddList(lines, "Notices", snapshot.Notices);
        AddList(lines, "Assumptions", snapshot.Assumptions);
        lines.Add(snapshot.Points.Count == 0 ? "Points: none" : "Points:");
        lines.AddRange(snapshot.Points.Select(p => $"  {Point(p)}"));
        if (selected is not null)
        {
            lines.Add($"Selected #{selected.Id} {selected.Client} → {selected.Service}: {Verdict(selected.Verdict)}");
            lines.Add($"  {NodePresenter.OneLine(selected.Reason)}");
            AddList(lines, "  Its assumptions", selected.Assumptions, "    - ");
        }

        return string.Join('\n', lines);
    }

    /// <summary>
    /// The traffic that was not a NodePort connection, zeros left out:
    /// <c>12 other TCP · 3 UDP · 1 ICMP · 40 inside VXLAN</c>, or <c>none</c>.
    /// </summary>
    public static string Traffic(TrafficCounters traffic)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        (long Count, string What)[] parts =
        [
            (traffic.OtherTcp, "other TCP"),
            (traffic.Udp, "UDP"),
            (traffic.Icmp, "ICMP"),
            (traffic.OtherIp, "other IP"),
            (traffic.NotIp, "not IP"),
            (traffic.Tunnelled, "inside VXLAN"),
            (traffic.ConnectionsForgotten, traffic.ConnectionsForgotten == 1 ? "connection forgotten" : "connections forgotten"),
        ];
        var shown = parts.Where(p => p.Count > 0).Select(p => $"{Number(p.Count)} {p.What}").ToList();
        return shown.Count == 0 ? "none" : string.Join(" · ", shown);
    }

    private static void AddList(List<string> lines, string title, IReadOnlyList<string> items, string bullet = "  - ")
    {
        lines.Add(items.Count == 0 ? $"{title}: none" : $"{title}:");
        lines.AddRange(items.Select(i => bullet + NodePresenter.OneLine(i)));
    }

    private static string VerdictCounts(SessionClassification classification)
    {
        var counts = classification.Counts.Where(c => c.Value > 0).OrderBy(c => c.Key).Select(c => $"{Badge(c.Key)} {Number(c.Value)}").ToList();
        return counts.Count == 0 ? "" : $" ({string.Join(", ", counts)})";
    }

    /// <summary>
    /// The pin name to suggest: the verdict's usual name (iptables-snat is the migration's baseline), else
    /// <c>capture-N</c> numbered after the pins already made.
    /// </summary>
    public static string SuggestedPinName(DatapathVerdict verdict, int pinnedCount) => verdict switch
    {
        DatapathVerdict.IptablesSnat => "baseline",
        DatapathVerdict.EbpfTunnel => "ebpf-tunnel",
        DatapathVerdict.EbpfDsr => "ebpf-dsr",
        _ => $"capture-{pinnedCount + 1}",
    };

    /// <summary>
    /// <paramref name="wanted"/>, or when a pin of that name exists (names compare ignoring case), the first free
    /// of <c>wanted-2</c>, <c>wanted-3</c>, …: a pin made for the user never replaces one.
    /// </summary>
    public static string UniquePinName(string wanted, IEnumerable<string> taken)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(taken);
        var names = taken.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!names.Contains(wanted))
        {
            return wanted;
        }

        var n = 2;
        while (names.Contains($"{wanted}-{n}"))
        {
            n++;
        }

        return $"{wanted}-{n}";
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="width"/> columns, ending with … when cut.</summary>
    public static string Truncate(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        return width <= 0 ? "" : text.Length <= width ? text : text[..(width - 1)] + "…";
    }

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
