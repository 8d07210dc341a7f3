using System.Globalization;

namespace EbpfConsole.Core.Capture.Analysis;

/// <summary>How the analysis writes times, addresses and TCP flags (tcpdump's notation where one exists).</summary>
internal sealed class CaptureText
{
    private static readonly string[] FlagNames = BuildFlagNames();
    private readonly Dictionary<IpKey, string> _addresses = [];

    /// <summary>HH:mm:ss.ffffff UTC, the time a verdict cites.</summary>
    public static string Time(long ns) =>
        DateTimeOffset.UnixEpoch.AddTicks(ns / 100).ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>tcpdump's flag letters: S, S., ., P., F., R, FP. …</summary>
    public static string Flags(TcpFlags flags) => FlagNames[(int)flags & 0x3F];

    /// <summary>"SYN-ACK", "SYN" or "[P.]" for a packet a sentence cites.</summary>
    public static string Packet(TcpFlags flags) => (flags & (TcpFlags.Syn | TcpFlags.Ack)) switch
    {
        TcpFlags.Syn | TcpFlags.Ack => "SYN-ACK",
        TcpFlags.Syn => "SYN",
        _ => "[" + Flags(flags) + "]",
    };

    public string Address(IpKey address)
    {
        if (!_addresses.TryGetValue(address, out var text))
        {
            text = address.ToString();
            if (_addresses.Count < 1_000_000)
            {
                _addresses[address] = text;
            }
        }

        return text;
    }

    public Endpoint Endpoint(IpKey address, ushort port) => new(Address(address), port);

    private static string[] BuildFlagNames()
    {
        var names = new string[64];
        for (var i = 0; i < names.Length; i++)
        {
            var flags = (TcpFlags)i;
            var text = "";
            text += (flags & TcpFlags.Fin) != 0 ? "F" : "";
            text += (flags & TcpFlags.Syn) != 0 ? "S" : "";
            text += (flags & TcpFlags.Rst) != 0 ? "R" : "";
            text += (flags & TcpFlags.Psh) != 0 ? "P" : "";
            text += (flags & TcpFlags.Ack) != 0 ? "." : "";
            text += (flags & TcpFlags.Urg) != 0 ? "U" : "";
            names[i] = text.Length == 0 ? "none" : text;
        }

        return names;
    }
}
