using EbpfConsole.Nodes.KnownHosts;

namespace EbpfConsole.Nodes.HostKeys;

/// <summary>What to do with a host whose key is not in known_hosts. A changed or revoked key is refused under every policy.</summary>
public enum HostKeyPolicy
{
    /// <summary>Unknown host → refuse (OpenSSH StrictHostKeyChecking=yes).</summary>
    Strict,

    /// <summary>Unknown host → add it to the writable known_hosts file and trust it (StrictHostKeyChecking=accept-new).</summary>
    AcceptNew,

    /// <summary>Unknown host → ask a callback; yes adds it to the writable known_hosts file, as OpenSSH's prompt does.</summary>
    Ask,
}

/// <summary>The question put to the user for an unknown host key. <see cref="Fingerprint"/> is <c>SHA256:…</c>.</summary>
public sealed record HostKeyQuestion(string Host, int Port, string KeyType, string Fingerprint)
{
    public override string ToString() =>
        $"The authenticity of host '{HostKeysText.Endpoint(Host, Port)}' can't be established. {KeyType} key fingerprint is {Fingerprint}.";
}

/// <summary>The outcome of checking one presented host key.</summary>
/// <param name="Trusted">Whether the connection may proceed.</param>
/// <param name="Status">What known_hosts said before any change.</param>
/// <param name="KeyType">The key type (e.g. <c>ssh-ed25519</c>, <c>ssh-rsa</c>).</param>
/// <param name="Fingerprint"><c>SHA256:…</c> of the presented key.</param>
/// <param name="Message">Why it was refused, or what was done (added to a file); null for a plain known host.</param>
/// <param name="AddedTo">The known_hosts file a new key was appended to, if any.</param>
public sealed record HostKeyVerdict(bool Trusted, HostKeyStatus Status, string KeyType, string Fingerprint, string? Message, string? AddedTo = null);

internal static class HostKeysText
{
    public static string Endpoint(string host, int port) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
}
