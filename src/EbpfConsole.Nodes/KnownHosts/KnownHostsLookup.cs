namespace EbpfConsole.Nodes.KnownHosts;

public enum HostKeyStatus
{
    /// <summary>The host is not listed with a key of this type (a new host, or a new key type for a listed host).</summary>
    Unknown,

    /// <summary>The host is listed with exactly this key.</summary>
    Known,

    /// <summary>The host is listed with a different key of the same type: possibly a man-in-the-middle.</summary>
    Changed,

    /// <summary>The key is marked <c>@revoked</c> for this host.</summary>
    Revoked,
}

/// <summary>
/// The answer for one presented host key. <see cref="Entry"/> is the deciding line: the matching line when
/// Known, the <c>@revoked</c> line when Revoked, the line holding the old key when Changed.
/// </summary>
public sealed record KnownHostsLookup(HostKeyStatus Status, string HostName, KnownHostsEntry? Entry)
{
    /// <summary>
    /// OpenSSH's precedence: Revoked, then Known, then Changed, else Unknown. For a port other than 22, when
    /// <c>[host]:port</c> is Unknown, the bare <c>host</c> is tried as well ("checking without port identifier"); as in
    /// OpenSSH only a match (Known) counts from that second look, plus a revocation (stricter than OpenSSH). A bare entry
    /// with a different key does not make the port Changed: another sshd on another port may well have its own key.
    /// </summary>
    internal static KnownHostsLookup Find(IReadOnlyCollection<KnownHostsEntry> entries, string host, int port, string keyType, ReadOnlySpan<byte> keyBlob)
    {
        var lookup = FindName(entries, HostPatterns.HostKeyName(host, port), keyType, keyBlob);
        if (lookup.Status != HostKeyStatus.Unknown || port == 22)
        {
            return lookup;
        }

        var bare = FindName(entries, HostPatterns.HostKeyName(host, 22), keyType, keyBlob);
        return bare.Status is HostKeyStatus.Known or HostKeyStatus.Revoked ? bare : lookup;
    }

    private static KnownHostsLookup FindName(IEnumerable<KnownHostsEntry> entries, string hostName, string keyType, ReadOnlySpan<byte> keyBlob)
    {
        var kind = SshKeys.KindOf(keyType);
        KnownHostsEntry? known = null;
        KnownHostsEntry? changed = null;
        foreach (var entry in entries)
        {
            // @cert-authority lines are ignored: host certificates are not verified by this console.
            if (entry.Marker == KnownHostsMarker.CertAuthority || !entry.MatchesHost(hostName))
            {
                continue;
            }

            var sameKey = entry.HasKey(keyBlob);
            if (entry.Marker == KnownHostsMarker.Revoked)
            {
                if (sameKey)
                {
                    return new KnownHostsLookup(HostKeyStatus.Revoked, hostName, entry);
                }
            }
            else if (sameKey)
            {
                known ??= entry;
            }
            else if (SshKeys.KindOf(entry.KeyType) == kind)
            {
                changed ??= entry;
            }
        }

        return known is not null ? new KnownHostsLookup(HostKeyStatus.Known, hostName, known)
            : changed is not null ? new KnownHostsLookup(HostKeyStatus.Changed, hostName, changed)
            : new KnownHostsLookup(HostKeyStatus.Unknown, hostName, null);
    }
}

/// <summary>
/// Several known_hosts files read together, like OpenSSH's UserKnownHostsFile list
/// (for example the user's ~/.ssh/known_hosts plus a lab file).
/// </summary>
public sealed class KnownHostsSet
{
    public KnownHostsSet(IEnumerable<KnownHostsFile> files)
    {
        Files = [.. files];
    }

    public IReadOnlyList<KnownHostsFile> Files { get; }

    public static KnownHostsSet Load(IEnumerable<string> paths) => new(paths.Select(KnownHostsFile.Load));

    /// <summary>
    /// Looks up <paramref name="keyBlob"/> for <paramref name="host"/>:<paramref name="port"/> across all files.
    /// <paramref name="keyType"/> may be a host key algorithm name (<c>rsa-sha2-512</c> counts as <c>ssh-rsa</c>).
    /// </summary>
    public KnownHostsLookup Lookup(string host, int port, string keyType, ReadOnlySpan<byte> keyBlob) =>
        KnownHostsLookup.Find([.. Files.SelectMany(f => f.Entries)], host, port, keyType, keyBlob);

    /// <summary>
    /// The key types (normalized, e.g. <c>ssh-rsa</c>) this host is listed with, not counting revoked or CA lines.
    /// For a port other than 22 with no <c>[host]:port</c> entry, those of the bare host (matching the lookup's fallback).
    /// </summary>
    public IReadOnlySet<string> KeyTypesFor(string host, int port)
    {
        var types = KeyTypesOf(HostPatterns.HostKeyName(host, port));
        return types.Count > 0 || port == 22 ? types : KeyTypesOf(HostPatterns.HostKeyName(host, 22));
    }

    private HashSet<string> KeyTypesOf(string hostName) => Files.SelectMany(f => f.Entries)
        .Where(e => e.Marker == KnownHostsMarker.None && e.MatchesHost(hostName))
        .Select(e => SshKeys.NormalizeKeyType(e.KeyType))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Read errors of the files (missing files are not errors).</summary>
    public IEnumerable<string> LoadErrors => Files.Select(f => f.LoadError).OfType<string>();
}
