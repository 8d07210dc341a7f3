using System.Globalization;
using System.Runtime.CompilerServices;

namespace EbpfConsole.Core.Capture.Analysis;

/// <summary>How the analysis writes times, addresses and TCP flags (tcpdump's notation where one exists).</summary>
internal sealed class CaptureText
{
    private static readonly string[] FlagNames = BuildFlagNames();
    private readonly Dictionary<IpKey, string> _addresses = [];

    /// <summary>HH:mm:ss.ffffff UTC, the time a verdict cites.</summary>
    /// <remarks>Written digit by digit: a verdict cites one or two times and there may be 200,000 verdicts.</remarks>
    public static string Time(long ns)
    {
        var micros = (DateTimeOffset.UnixEpoch.AddTicks(ns / 100).TimeOfDay.Ticks / 10) % 86_400_000_000L;
        return string.Create(19, micros, static (span, value) =>
        {
            var seconds = value / 1_000_000;
            var fraction = value % 1_000_000;
            Two(span, (int)(seconds / 3600));
            span[2] = ':';
            Two(span[3..], (int)(seconds / 60 % 60));
            span[5] = ':';
            Two(span[6..], (int)(seconds % 60));
            span[8] = '.';
            for (var i = 14; i >= 9; i--)
            {
                span[i] = (char)('0' + (fraction % 10));
                fraction /= 10;
            }

            " UTC".CopyTo(span[15..]);
        });

        static void Two(Span<char> span, int value)
        {
            span[0] = (char)('0' + (value / 10));
            span[1] = (char)('0' + (value % 10));
        }
    }

    /// <summary>tcpdump's flag letters: S, S., ., P., F., R, FP. …</summary>
    public static string Flags(TcpFlags flags) => FlagNames[(int)flags & 0x3F];

    /// <summary>"SYN-ACK", "SYN" or "[P.]" for a packet a sentence cites.</summary>
    public static string Packet(TcpFlags flags) => (flags & (TcpFlags.Syn | TcpFlags.Ack)) switch
    {
        TcpFlags.Syn | TcpFlags.Ack => "SYN-ACK",
        TcpFlags.Syn => "SYN",
        _ => "[" + Flags(flags) + "]",
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Address(IpKey address)
    {
        if (!_addresses.TryGetValue(address, out var text))
        {
            text = address.IsIPv4 ? IPv4Text((uint)address.Low) : address.ToString();
            if (_addresses.Count < 1_000_000)
            {
                _addresses[address] = text;
            }
        }

        return text;
    }

    private static string IPv4Text(uint address) =>
        string.Create(CultureInfo.InvariantCulture, stackalloc char[16], $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
