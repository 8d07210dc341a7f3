using System.Globalization;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Tui.Presenters;

/// <summary>PacketView → a row of the packet list of one connection (pure).</summary>
public static class PacketPresenter
{
    public static IReadOnlyList<string> Columns { get; } = ["TIME", "POINT", "SRC → DST", "FLAGS", "SEQ", "ACK", "LEN", "OUTER"];

    public static IReadOnlyList<string> ToRow(PacketView packet, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return
        [
            ConnectionPresenter.Time(packet.TimestampNs, zone).ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
            packet.Point.Name,
            $"{packet.Source} → {packet.Destination}",
            packet.Flags,
            packet.Sequence.ToString(CultureInfo.InvariantCulture),
            packet.Acknowledgement.ToString(CultureInfo.InvariantCulture),
            packet.PayloadLength.ToString(CultureInfo.InvariantCulture),
            Outer(packet.Outer),
        ];
    }

    /// <summary>The VXLAN outer pair, marked as such: <c>vxlan 10.99.0.11 → 10.99.0.12</c>; empty when not encapsulated.</summary>
    public static string Outer(string? outer) =>
        string.IsNullOrWhiteSpace(outer) ? ""
        : outer.StartsWith("vxlan", StringComparison.OrdinalIgnoreCase) ? outer
        : $"vxlan {outer}";

    /// <summary>The packets of <paramref name="connection"/> in time order (the snapshot's list is bounded).</summary>
    public static IReadOnlyList<PacketView> InTimeOrder(ConnectionView connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return [.. connection.Packets.OrderBy(p => p.TimestampNs)];
    }

    /// <summary>The title line of the packet list, saying when only the first packets are kept.</summary>
    public static string Title(ConnectionView connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var shown = connection.Packets.Count;
        var of = connection.PacketCount > shown ? $"first {shown} of {CapturePresenter.Number(connection.PacketCount)} packets" : $"{shown} packet{(shown == 1 ? "" : "s")}";
        return $"#{connection.Id} {connection.Client} → {connection.Service} (ISN {connection.ClientIsn.ToString(CultureInfo.InvariantCulture)}): {of}, {CapturePresenter.Verdict(connection.Verdict)}";
    }
}
