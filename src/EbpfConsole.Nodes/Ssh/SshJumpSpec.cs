using System.Globalization;
using EbpfConsole.Nodes.KnownHosts;

namespace EbpfConsole.Nodes.Ssh;

/// <summary>One hop of a ProxyJump / <c>--jump</c> value as written: <c>[user@]host[:port]</c> (or <c>ssh://…</c>, <c>[v6]:port</c>).</summary>
public sealed record SshJumpSpec(string? User, string Host, int? Port)
{
    /// <summary>
    /// Parses a comma-separated chain (first hop first). <c>none</c> (any case) is an empty chain: no jump.
    /// Returns false with a one-line reason naming the bad hop.
    /// </summary>
    public static bool TryParseChain(string text, out IReadOnlyList<SshJumpSpec> chain, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        chain = [];
        error = null;
        if (string.Equals(text.Trim(), "none", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var hops = new List<SshJumpSpec>();
        foreach (var part in text.Split(','))
        {
            if (!TryParse(part.Trim(), out var hop, out error))
            {
                return false;
            }

            hops.Add(hop!);
        }

        chain = hops;
        return true;
    }

    /// <summary>Parses one hop.</summary>
    public static bool TryParse(string text, out SshJumpSpec? hop, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        hop = null;
        var rest = text.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase) ? text[6..].TrimEnd('/') : text;
        string? user = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            user = rest[..at];
            rest = rest[(at + 1)..];
            if (user.Length == 0 || user.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ':' or '/' or '@'))
            {
                error = $"jump host '{HostNames.Quote(text)}': invalid user name";
                return false;
            }
        }

        string host;
        string? portText = null;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            host = close > 0 ? rest[1..close] : string.Empty;
            var after = close > 0 ? rest[(close + 1)..] : "?";
            if (after.Length > 0)
            {
                if (!after.StartsWith(':'))
                {
                    error = $"jump host '{HostNames.Quote(text)}': expected [address]:port";
                    return false;
                }

                portText = after[1..];
            }
        }
        else
        {
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? rest : rest[..colon];
            portText = colon < 0 ? null : rest[(colon + 1)..];
        }

        if (HostNames.Problem(host) is { } problem)
        {
            error = $"jump host '{HostNames.Quote(text)}': {problem}";
            return false;
        }

        int? port = null;
        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            {
                error = $"jump host '{HostNames.Quote(text)}': port must be a number from 1 to 65535";
                return false;
            }

            port = p;
        }

        error = null;
        hop = new SshJumpSpec(user, host, port);
        return true;
    }

    public override string ToString() =>
        (User is null ? string.Empty : User + "@") + (Port is null ? Host : HostKeys.HostKeysText.Endpoint(Host, Port.Value));
}
