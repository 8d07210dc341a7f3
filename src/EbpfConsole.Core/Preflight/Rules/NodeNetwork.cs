using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>A link from `ip -o link`: "5: cali1234@if3: &lt;…&gt; mtu 1480 …" → (cali1234, 1480).</summary>
internal sealed record LinkInfo(string Name, int? Mtu, string Line);

/// <summary>An IPv4 address from `ip -o -4 addr show`: "2: eth0    inet 10.0.0.5/24 brd … scope global eth0".</summary>
internal sealed record AddressInfo(string Interface, IPAddress Address, int PrefixLength, string Scope, string Line)
{
    public bool Contains(IPAddress other)
    {
        var a = Address.GetAddressBytes();
        var b = other.GetAddressBytes();
        if (a.Length != 4 || b.Length != 4)
        {
            return false;
        }

        var mask = PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);
        return (ToUInt(a) & mask) == (ToUInt(b) & mask);
    }

    public string Subnet
    {
        get
        {
            var mask = PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);
            var network = ToUInt(Address.GetAddressBytes()) & mask;
            return $"{new IPAddress([(byte)(network >> 24), (byte)(network >> 16), (byte)(network >> 8), (byte)network])}/{PrefixLength}";
        }
    }

    private static uint ToUInt(byte[] b) => ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
}

/// <summary>An established TCP flow from `ss -tni`, with its idle times in ms (null when ss did not print them).</summary>
internal sealed record TcpFlow(string Local, string Peer, long? LastSendMs, long? LastReceiveMs, string Line)
{
    /// <summary>Idle for at least <paramref name="ms"/> in both directions (a missing value does not count against it).</summary>
    public bool IdleFor(long ms) => (LastSendMs ?? LastReceiveMs) is not null && (LastSendMs ?? long.MaxValue) >= ms && (LastReceiveMs ?? long.MaxValue) >= ms;
}

/// <summary>Parsers for the node probe's network sections (P9, P12, P15, P16, P20).</summary>
internal static partial class NodeNetwork
{
    public static IReadOnlyList<LinkInfo> Links(string output) => output.Split('\n')
        .Select(l => LinkLine().Match(l.Trim()))
        .Where(m => m.Success)
        .Select(m => new LinkInfo(
            m.Groups[1].Value,
            int.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var mtu) ? mtu : null,
            m.Value))
        .ToList();

    public static IReadOnlyList<AddressInfo> Addresses(string output)
    {
        var list = new List<AddressInfo>();
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            var m = AddressLine().Match(line);
            if (m.Success && IPAddress.TryParse(m.Groups[2].Value, out var ip)
                && int.TryParse(m.Groups[3].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) && prefix is >= 0 and <= 32)
            {
                var scope = ScopeWord().Match(line) is { Success: true } s ? s.Groups[1].Value : "global";
                list.Add(new AddressInfo(m.Groups[1].Value, ip, prefix, scope, ShortAddressLine(line)));
            }
        }

        return list;
    }

    /// <summary>Socket lines ("0 0 10.0.0.5:22 10.0.0.9:51515") each followed by a tab-indented info line (lastsnd:…).</summary>
    public static IReadOnlyList<TcpFlow> Flows(string output)
    {
        var flows = new List<TcpFlow>();
        string? socketLine = null;
        foreach (var raw in output.Split('\n'))
        {
            if (raw.Length > 0 && char.IsWhiteSpace(raw[0]))
            {
                if (socketLine is not null)
                {
                    flows.Add(Flow(socketLine, raw));
                    socketLine = null;
                }

                continue;
            }

            if (socketLine is not null)
            {
                flows.Add(Flow(socketLine, ""));
            }

            var fields = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            socketLine = fields.Length >= 4 && fields[0].All(char.IsAsciiDigit) && fields[1].All(char.IsAsciiDigit) ? raw.Trim() : null;
        }

        if (socketLine is not null)
        {
            flows.Add(Flow(socketLine, ""));
        }

        return flows;
    }

    private static TcpFlow Flow(string socketLine, string info)
    {
        var fields = socketLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new TcpFlow(fields[2], fields[3], Number(info, "lastsnd"), Number(info, "lastrcv"), socketLine);
    }

    private static long? Number(string info, string name)
    {
        var m = Regex.Match(info, $@"\b{name}:(\d{{1,12}})\b", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return m.Success ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    // "2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0\       valid_lft forever …" → up to the label.
    private static string ShortAddressLine(string line)
    {
        var cut = line.IndexOf('\\', StringComparison.Ordinal);
        return (cut >= 0 ? line[..cut] : line).TrimEnd();
    }

    [GeneratedRegex(@"^\d+:\s+([^:@\s]+)(?:@[^:\s]+)?:\s+<[^>]*>.*?\bmtu (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex LinkLine();

    [GeneratedRegex(@"^\d+:\s+(\S+)\s+inet\s+(\d{1,3}(?:\.\d{1,3}){3})/(\d{1,2})\b", RegexOptions.CultureInvariant)]
    private static partial Regex AddressLine();

    [GeneratedRegex(@"\bscope (\w+)", RegexOptions.CultureInvariant)]
    private static partial Regex ScopeWord();
}
