using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>
/// Validation and quoting for values that come from the API (hostile until proven otherwise) before they go into the
/// node probe script: hosts must be an IP literal or a DNS name, ports a number 1–65535; everything is single-quoted.
/// </summary>
internal static partial class ShellText
{
    /// <summary>POSIX single quoting: 'it'\''s'.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>An IPv4 dotted quad, an IPv6 literal, or a DNS name (letters, digits, '-', '.'; labels ≤ 63, name ≤ 253).</summary>
    public static bool IsHost(string? host) => host is not null && (IsIpLiteral(host) || IsDnsName(host));

    /// <summary>A strict IP literal: four dotted decimals for IPv4 (not "1" or "0x7f.1"), or an IPv6 address.</summary>
    public static bool IsIpLiteral(string host) =>
        (Ipv4Pattern().IsMatch(host) && IPAddress.TryParse(host, out _))
        || (host.Contains(':', StringComparison.Ordinal) && Ipv6Chars().IsMatch(host)
            && IPAddress.TryParse(host, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6);

    public static bool IsDnsName(string host) => host.Length <= 253 && DnsPattern().IsMatch(host) && !Ipv4ish().IsMatch(host);

    /// <summary>A decimal port 1–65535, or null.</summary>
    public static int? Port(string? text) =>
        text is not null && PortPattern().IsMatch(text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535
            ? port
            : null;

    [GeneratedRegex(@"^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"^[0-9A-Fa-f:.]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv6Chars();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsPattern();

    // All-numeric dotted names ("1.2.3", "999.1.1.1") are malformed IPs, not DNS names.
    [GeneratedRegex(@"^[\d.]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4ish();

    [GeneratedRegex(@"^[0-9]{1,5}$", RegexOptions.CultureInvariant)]
    private static partial Regex PortPattern();
}
