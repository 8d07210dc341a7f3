using System.Globalization;
using System.Text;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Tui.Presenters;

/// <summary>How much of a packet a row of the packet list holds; the dialog picks the widest that fits.</summary>
public enum PacketRowFormat
{
    /// <summary>Every field: full point name, ack, and the VXLAN outer pair.</summary>
    Wide,

    /// <summary>Full point name and ack; VXLAN as a <c>vx</c> marker (the outer pair is in the selected-packet line).</summary>
    Medium,

    /// <summary>The point as a number (a legend line names them), no ack, VXLAN as a <c>vx</c> marker: fits 78 columns on the lab.</summary>
    Compact,
}

/// <summary>
/// The packet list of one connection laid out for a width (pure): a header, one line per packet and, in
/// the compact form, a legend of the points. Numbers are right-aligned; lines never exceed the width
/// (the compact form is cut with … as a last resort, e.g. IPv6 addresses on a narrow screen).
/// </summary>
public sealed record PacketTable(PacketRowFormat Format, string Header, IReadOnlyList<string> Lines, string? Legend)
{
    /// <summary>The marker of a VXLAN-encapsulated packet in the medium and compact forms.</summary>
    public const string VxlanMarker = "vx";

    /// <summary>Lays out <paramref name="packets"/> (already in the order to show) for <paramref name="width"/> columns.</summary>
    public static PacketTable For(IReadOnlyList<PacketView> packets, TimeZoneInfo zone, int width)
    {
        ArgumentNullException.ThrowIfNull(packets);
        ArgumentNullException.ThrowIfNull(zone);
        var points = packets.Select(p => p.Point).Distinct().ToList();
        foreach (var format in new[] { PacketRowFormat.Wide, PacketRowFormat.Medium, PacketRowFormat.Compact })
        {
            var table = Build(format, packets, points, zone);
            if (format == PacketRowFormat.Compact || table.Width <= width)
            {
                var lines = table.Lines.Select(l => CapturePresenter.Truncate(l, width)).ToList();
                var legend = format == PacketRowFormat.Compact ? CapturePresenter.Truncate(LegendOf(points), width) : null;
                return new PacketTable(format, CapturePresenter.Truncate(table.Header, width), lines, legend);
            }
        }

        throw new InvalidOperationException("unreachable: the compact form is always taken");
    }

    /// <summary>The number a point gets in the compact form: its place among the connection's points, from 1.</summary>
    public static string PointNumber(int index) => (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary><c>Points: 1 node-1:eth0 · 2 node-2:eth0 · 3 node-2:cali1a2b3c4d5e6</c>.</summary>
    public static string LegendOf(IReadOnlyList<CapturePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return "Points: " + string.Join(" · ", points.Select((p, i) => $"{PointNumber(i)} {p}"));
    }

    /// <summary>
    /// What a row may leave out, for the line under the list: the point's full name, ack, the VXLAN outer pair
    /// and the frame number, e.g. <c>Selected: node-2:eth0 · ack 1001 · vxlan 10.99.0.11 → 10.99.0.12 vni 0xca11c0 · frame 2</c>.
    /// </summary>
    public static string Describe(PacketView packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var outer = PacketPresenter.Outer(packet.Outer) is { Length: > 0 } o ? $" · {o}" : "";
        return $"Selected: {packet.Point} · ack {Num(packet.Acknowledgement)}{outer} · frame {Num(packet.FrameNumber)}";
    }

    private static (int Width, string Header, List<string> Lines) Build(
        PacketRowFormat format, IReadOnlyList<PacketView> packets, IReadOnlyList<CapturePoint> points, TimeZoneInfo zone)
    {
        var wide = format == PacketRowFormat.Wide;
        var anyVxlan = packets.Any(p => !string.IsNullOrWhiteSpace(p.Outer));
        var columns = new List<Column>
        {
            new("TIME", p => ConnectionPresenter.Time(p.TimestampNs, zone).ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture)),
            format == PacketRowFormat.Compact
                ? new Column("@", p => PointNumber(IndexOf(points, p.Point)))
                : new Column("POINT", p => p.Point.Name),
            new(wide ? "SRC → DST" : "SRC > DST", p => $"{p.Source}{(wide ? " → " : " > ")}{p.Destination}"),
            new(wide ? "FLAGS" : "FL", p => p.Flags),
            new("SEQ", p => Num(p.Sequence), Right: true),
        };
        if (format != PacketRowFormat.Compact)
        {
            columns.Add(new Column("ACK", p => Num(p.Acknowledgement), Right: true));
        }

        columns.Add(new Column("LEN", p => Num(p.PayloadLength), Right: true));
        if (wide)
        {
            columns.Add(new Column("OUTER", p => PacketPresenter.Outer(p.Outer)));
        }
        else if (anyVxlan)
        {
            columns.Add(new Column("", p => string.IsNullOrWhiteSpace(p.Outer) ? "" : VxlanMarker));
        }

        var separator = wide ? "  " : " ";
        var cells = packets.Select(p => columns.Select(c => c.Cell(p)).ToArray()).ToList();
        var widths = columns.Select((c, i) => cells.Select(r => r[i].Length).Append(c.Name.Length).Max()).ToArray();
        string Line(IReadOnlyList<string> row)
        {
            var text = new StringBuilder();
            for (var i = 0; i < columns.Count; i++)
            {
                text.Append(i == 0 ? "" : separator)
                    .Append(columns[i].Right ? row[i].PadLeft(widths[i]) : row[i].PadRight(widths[i]));
            }

            return text.ToString().TrimEnd();
        }

        var width = widths.Sum() + separator.Length * (columns.Count - 1);
        return (width, Line([.. columns.Select(c => c.Name)]), [.. cells.Select(Line)]);
    }

    private static int IndexOf(IReadOnlyList<CapturePoint> points, CapturePoint point)
    {
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i] == point)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Column(string Name, Func<PacketView, string> Cell, bool Right = false);
}
