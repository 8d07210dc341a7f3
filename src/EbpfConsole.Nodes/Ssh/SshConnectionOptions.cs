using EbpfConsole.Nodes.HostKeys;

namespace EbpfConsole.Nodes.Ssh;

/// <summary>How <see cref="SshConnector"/> connects: which host keys it trusts, which private keys it offers, how long it waits.</summary>
public sealed record SshConnectionOptions
{
    /// <summary>known_hosts files to read; the FIRST one receives new entries (accept-new, or Ask answered yes).</summary>
    public IReadOnlyList<string> KnownHostsFiles { get; init; } = [Path.Combine(UserSshDirectory, "known_hosts")];

    /// <summary>
    /// System-wide known_hosts files, read but never written (OpenSSH's GlobalKnownHostsFile), so a key that differs from
    /// the one listed there is refused as changed. Default: /etc/ssh/ssh_known_hosts and /etc/ssh/ssh_known_hosts2.
    /// Missing files are simply empty; use an empty list to ignore them.
    /// </summary>
    public IReadOnlyList<string> GlobalKnownHostsFiles { get; init; } = DefaultGlobalKnownHostsFiles;

    /// <summary>Private key files offered, in order (OpenSSH format or PEM; ed25519, ECDSA, RSA). Missing ones are skipped.</summary>
    public IReadOnlyList<string> IdentityFiles { get; init; } = DefaultIdentityFiles;

    public HostKeyPolicy HostKeyPolicy { get; init; } = HostKeyPolicy.Strict;

    /// <summary>
    /// Asked for the passphrase of a protected private key (argument: the key's path); null skips that key. It may be
    /// called for every connection: wrap it with <see cref="PassphraseCache"/> to ask once per key.
    /// </summary>
    public Func<string, string?>? Passphrase { get; init; }

    /// <summary>
    /// Asked about unknown host keys under <see cref="HostKeyPolicy.Ask"/>. No lock is held while asking, so other
    /// nodes' checks go on. It runs on SSH.NET's receive thread inside the handshake, so the time spent answering counts
    /// against <see cref="ConnectTimeout"/>: a "yes" given after the attempt timed out (or was cancelled) is NOT written
    /// to known_hosts and the connection fails (connect again to be asked again). SSH.NET waits for this callback, so
    /// <see cref="SshConnector.ConnectAsync"/> (and a probe) returns only once it has returned: give the question its
    /// own limit of about <see cref="ConnectTimeout"/>.
    /// </summary>
    public Func<HostKeyQuestion, bool>? AskHostKey { get; init; }

    /// <summary>Write new known_hosts entries hashed (HashKnownHosts=yes). Default: plain, readable lines.</summary>
    public bool HashNewKnownHosts { get; init; }

    /// <summary>Limit for TCP connect, SSH handshake and authentication together.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Limit for one remote command.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static string UserSshDirectory => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh");

    /// <summary>OpenSSH's default GlobalKnownHostsFile.</summary>
    public static IReadOnlyList<string> DefaultGlobalKnownHostsFiles => ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"];

    /// <summary>~/.ssh/id_ed25519, id_ecdsa, id_rsa: OpenSSH's defaults that SSH.NET can use.</summary>
    public static IReadOnlyList<string> DefaultIdentityFiles =>
        [Path.Combine(UserSshDirectory, "id_ed25519"), Path.Combine(UserSshDirectory, "id_ecdsa"), Path.Combine(UserSshDirectory, "id_rsa")];

    /// <summary>Throws <see cref="ArgumentException"/> when the options cannot work (a programming error, not a node failure).</summary>
    public void Validate()
    {
        if (KnownHostsFiles is null || KnownHostsFiles.Count == 0)
        {
            throw new ArgumentException("at least one known_hosts file is needed", nameof(KnownHostsFiles));
        }

        if (GlobalKnownHostsFiles is null)
        {
            throw new ArgumentException("GlobalKnownHostsFiles cannot be null (use an empty list)", nameof(GlobalKnownHostsFiles));
        }

        if (IdentityFiles is null || IdentityFiles.Count == 0)
        {
            throw new ArgumentException("at least one identity (private key) file is needed", nameof(IdentityFiles));
        }

        if (HostKeyPolicy == HostKeyPolicy.Ask && AskHostKey is null)
        {
            throw new ArgumentException("the Ask host key policy needs an AskHostKey callback", nameof(AskHostKey));
        }

        if (ConnectTimeout <= TimeSpan.Zero || CommandTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("timeouts must be positive", nameof(ConnectTimeout));
        }
    }
}
