using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EbpfConsole.Nodes.KnownHosts;

/// <summary>
/// Which host strings may be looked up in and written to known_hosts. The host ends up verbatim in a known_hosts line,
/// so anything that could change the meaning of that line is refused: whitespace and control characters (a second
/// field or a second line), the pattern characters <c>* ? !</c>, the list separator <c>,</c>, the hash marker <c>|</c>,
/// the comment and marker characters <c># @</c>, and brackets (our own <c>[host]:port</c> form adds them).
/// </summary>
public static class HostNames
{
    /// <summary>DNS's limit on a full host name.</summary>
    public const int MaxLength = 253;

    /// <summary>Null when <paramref name="host"/> is a plain host name or an IP address literal; otherwise why not, naming the value.</summary>
    public static string? Problem(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return "invalid host: the host name is empty";
        }

        var reason = host.Length > MaxLength ? $"longer than {MaxLength} characters"
            : host.Contains(':', StringComparison.Ordinal) ? Ipv6Problem(host)
            : HostNameProblem(host);
        return reason is null
            ? null
            : $"invalid host '{Quote(host)}': {reason}; only a host name (letters, digits, '-', '.', '_') or an IPv4/IPv6 address is allowed";
    }

    /// <summary>Throws <see cref="ArgumentException"/> with <see cref="Problem"/>'s message when the host is not allowed.</summary>
    public static void ThrowIfInvalid(string? host, string paramName)
    {
        if (Problem(host) is { } problem)
        {
            throw new ArgumentException(problem, paramName);
        }
    }

    /// <summary>The value with control and non-ASCII characters escaped (<c>\n</c>, <c>\u00e9</c>), safe to put in a one-line message.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                '\\' => text.Append("\\\\"),
                < ' ' or > '~' => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => text.Append(c),
            };
        }

        return text.ToString();
    }

    private static string? HostNameProblem(string host)
    {
        for (var i = 0; i < host.Length; i++)
        {
            var c = host[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
            {
                return $"character '{Quote(c.ToString())}' at position {i + 1} is not allowed";
            }
        }

        // A leading '-' is no valid host name and would read as an option on a command line (ssh-keygen -R).
        return host[0] == '-' ? "a host name cannot start with '-'" : null;
    }

    private static string? Ipv6Problem(string host)
    {
        // Optional zone (fe80::1%eth0): the zone uses host name characters only.
        var percent = host.IndexOf('%', StringComparison.Ordinal);
        var address = percent < 0 ? host : host[..percent];
        var zone = percent < 0 ? null : host[(percent + 1)..];
        foreach (var c in address)
        {
            if (!(char.IsAsciiHexDigit(c) || c is ':' or '.'))
            {
                return $"not an IPv6 address (character '{Quote(c.ToString())}' is not allowed)";
            }
        }

        if (zone is not null && (zone.Length == 0 || HostNameProblem(zone) is not null))
        {
            return "not an IPv6 address (bad zone after '%')";
        }

        return IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? null : "not an IPv6 address";
    }
}
