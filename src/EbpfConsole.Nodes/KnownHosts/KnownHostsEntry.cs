namespace EbpfConsole.Nodes.KnownHosts;

public enum KnownHostsMarker
{
    None,

    /// <summary><c>@revoked</c>: a host presenting this key is refused.</summary>
    Revoked,

    /// <summary>
    /// <c>@cert-authority</c>: the key signs host certificates. Parsed but IGNORED when looking up a host:
    /// the console verifies plain host keys only, so such a line never makes a host known.
    /// </summary>
    CertAuthority,
}

/// <summary>One valid known_hosts line.</summary>
public sealed class KnownHostsEntry
{
    private readonly byte[] _keyBlob;
    private readonly byte[]? _salt;
    private readonly byte[]? _hash;

    internal KnownHostsEntry(string filePath, int lineNumber, KnownHostsMarker marker, string hosts, string keyType, byte[] keyBlob, byte[]? salt, byte[]? hash)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Marker = marker;
        Hosts = hosts;
        KeyType = keyType;
        _keyBlob = keyBlob;
        _salt = salt;
        _hash = hash;
    }

    public string FilePath { get; }

    /// <summary>1-based line number in <see cref="FilePath"/>.</summary>
    public int LineNumber { get; }

    public KnownHostsMarker Marker { get; }

    /// <summary>The host field as written: a pattern list or one hashed name.</summary>
    public string Hosts { get; }

    public bool IsHashed => _salt is not null;

    public string KeyType { get; }

    public ReadOnlySpan<byte> KeyBlob => _keyBlob;

    public string Fingerprint => SshKeys.Fingerprint(_keyBlob);

    /// <summary>Whether this line lists <paramref name="hostName"/> (already in <see cref="HostPatterns.HostKeyName"/> form).</summary>
    public bool MatchesHost(string hostName) => _salt is not null
        ? HostPatterns.MatchHashed(hostName, _salt, _hash!)
        : HostPatterns.MatchList(hostName, Hosts);

    public bool HasKey(ReadOnlySpan<byte> keyBlob) => keyBlob.SequenceEqual(_keyBlob);

    public override string ToString() => $"{FilePath}:{LineNumber}";
}
