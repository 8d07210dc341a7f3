using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EbpfConsole.Nodes.KnownHosts;

/// <summary>Host name matching as OpenSSH does it for known_hosts (match.c: match_hostname, hostfile.c: host_hash).</summary>
public static class HostPatterns
{
    private const string HashMagic = "|1|";

    /// <summary>
    /// The name a host is listed under: <c>host</c> for port 22, <c>[host]:port</c> otherwise, lower-cased
    /// (OpenSSH lower-cases the host before looking it up). New entries are always written in this form. Lookups for a
    /// non-22 port that find nothing under <c>[host]:port</c> also try the bare <c>host</c>, as OpenSSH does ("checking
    /// without port identifier"); see <see cref="KnownHostsLookup"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The host is not a plain host name or IP address (<see cref="HostNames.Problem"/>).</exception>
    public static string HostKeyName(string host, int port)
    {
        HostNames.ThrowIfInvalid(host, nameof(host));
#pragma warning disable CA1308 // OpenSSH lower-cases host names; upper-casing would not match its files.
        var lower = host.ToLowerInvariant();
#pragma warning restore CA1308
        return port == 22 ? lower : string.Create(CultureInfo.InvariantCulture, $"[{lower}]:{port}");
    }

    /// <summary>
    /// Matches a comma-separated pattern list (wildcards <c>*</c> and <c>?</c>, <c>!</c> negation):
    /// a matching negated pattern vetoes the whole list, otherwise any matching positive pattern matches.
    /// </summary>
    public static bool MatchList(string hostName, string patternList)
    {
        var matched = false;
        foreach (var raw in patternList.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var negated = raw.StartsWith('!');
            var pattern = negated ? raw[1..] : raw;
            if (!Wildcard(hostName, pattern))
            {
                continue;
            }

            if (negated)
            {
                return false;
            }

            matched = true;
        }

        return matched;
    }

    /// <summary>Glob match with <c>*</c> (any run, also empty) and <c>?</c> (one character); host names ignore case, file names (Include) do not.</summary>
    public static bool Wildcard(string text, string pattern, bool ignoreCase = true)
    {
        int t = 0, p = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t] || (ignoreCase && char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t]))))
            {
                t++;
                p++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>True when <paramref name="field"/> is a hashed host field: <c>|1|base64(salt)|base64(hmac)</c>.</summary>
    public static bool IsHashed(string field) => field.StartsWith(HashMagic, StringComparison.Ordinal);

    /// <summary>Splits a hashed field into salt and HMAC; false when it is malformed.</summary>
    public static bool TryParseHashed(string field, out byte[] salt, out byte[] hash)
    {
        salt = [];
        hash = [];
        if (!IsHashed(field))
        {
            return false;
        }

        var parts = field[HashMagic.Length..].Split('|');
        if (parts.Length != 2)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[0]);
            hash = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length == HMACSHA1.HashSizeInBytes && hash.Length == HMACSHA1.HashSizeInBytes;
    }

    /// <summary>OpenSSH's hashed host field: <c>|1|</c> + base64(salt) + <c>|</c> + base64(HMAC-SHA1(key = salt, data = host name)).</summary>
    public static string Hash(string hostName, byte[] salt)
    {
        ArgumentNullException.ThrowIfNull(salt);
#pragma warning disable CA5350 // HMAC-SHA1 is what OpenSSH's hashed known_hosts format specifies; it is not our choice.
        var hash = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(hostName));
#pragma warning restore CA5350
        return HashMagic + Convert.ToBase64String(salt) + "|" + Convert.ToBase64String(hash);
    }

    /// <summary>Hashes with a fresh random 20-byte salt, as <c>ssh-keygen -H</c> and HashKnownHosts=yes do.</summary>
    public static string Hash(string hostName) => Hash(hostName, RandomNumberGenerator.GetBytes(HMACSHA1.HashSizeInBytes));

    internal static bool MatchHashed(string hostName, byte[] salt, byte[] expected)
    {
#pragma warning disable CA5350 // See Hash: the format is fixed by OpenSSH.
        var actual = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(hostName));
#pragma warning restore CA5350
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
