using System.Globalization;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Tui.Presenters;

/// <summary>ConnectionView → table cells and the one-line detail under the table (pure).</summary>
public static class ConnectionPresenter
{
    /// <summary>
    /// The verdict comes second, so a pane half the screen wide still shows it; TUN (VXLAN seen: yes / -) is
    /// kept narrow so a lab row fits 78 columns.
    /// </summary>
    public static IReadOnlyList<string> Columns { get; } = ["TIME", "VERDICT", "CLIENT", "POD SAW", "REPLY", "TUN"];

    /// <summary>What the pod saw as the source: <c>client IP</c>, <c>SNAT node-1 10.99.0.11</c> or <c>?</c>.</summary>
    public static string PodSaw(PodSaw podSaw)
    {
        ArgumentNullException.ThrowIfNull(podSaw);
        return podSaw.Kind switch
        {
            PodSawKind.ClientIp => "client IP",
            PodSawKind.Snat => string.Join(' ', new[] { "SNAT", podSaw.Node, podSaw.Source?.Address }.Where(p => !string.IsNullOrEmpty(p))),
            _ => "?",
        };
    }

    /// <summary>How the reply travelled: <c>via node-1</c>, <c>DSR from node-2</c> or <c>?</c>.</summary>
    public static string ReplyPath(ReplyPath replyPath)
    {
        ArgumentNullException.ThrowIfNull(replyPath);
        return replyPath.Kind switch
        {
            ReplyPathKind.ViaIngress => $"via {replyPath.Node ?? "ingress"}",
            ReplyPathKind.DirectFromBackend => $"DSR from {replyPath.Node ?? "backend"}",
            _ => "?",
        };
    }

    /// <summary>Whether the connection's packets were seen VXLAN-encapsulated: <c>yes</c> or <c>-</c>.</summary>
    public static string Tunnel(bool seen) => seen ? "yes" : "-";

    /// <summary>Nanoseconds since the Unix epoch as local wall-clock time.</summary>
    public static DateTimeOffset Time(long timestampNs, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.UnixEpoch.AddTicks(timestampNs / 100), zone);

    /// <summary>One cell, computed when the table draws it (only visible rows are ever asked for).</summary>
    public static string Cell(ConnectionView connection, int column, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return column switch
        {
            0 => Time(connection.FirstSeenNs, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            1 => CapturePresenter.Badge(connection.Verdict),
            2 => connection.Client.ToString(),
            3 => PodSaw(connection.PodSaw),
            4 => ReplyPath(connection.ReplyPath),
            5 => Tunnel(connection.TunnelSeen),
            _ => throw new ArgumentOutOfRangeException(nameof(column), column, $"columns are 0-{Columns.Count - 1}"),
        };
    }

    public static IReadOnlyList<string> ToRow(ConnectionView connection, TimeZoneInfo zone) =>
        [.. Enumerable.Range(0, Columns.Count).Select(c => Cell(connection, c, zone))];

    /// <summary>The selected connection in one line: who, the verdict and why, where it was seen.</summary>
    public static string Detail(ConnectionView? connection)
    {
        if (connection is null)
        {
            return "No connection selected.";
        }

        var retransmits = connection.SynRetransmits > 0 ? $", {connection.SynRetransmits} SYN retransmit{(connection.SynRetransmits == 1 ? "" : "s")}" : "";
        var points = connection.Points.Count == 0 ? "no point" : string.Join(", ", connection.Points);
        return $"#{connection.Id} {connection.Client} → {connection.Service}: {CapturePresenter.Verdict(connection.Verdict)} — "
            + $"{NodePresenter.OneLine(connection.Reason)} · {CapturePresenter.Number(connection.PacketCount)} packets at {points}{retransmits} · Enter: packets";
    }
}
