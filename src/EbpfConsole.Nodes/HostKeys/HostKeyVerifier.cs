using EbpfConsole.Nodes.KnownHosts;

namespace EbpfConsole.Nodes.HostKeys;

/// <summary>
/// Decides whether a presented host key is trusted, from OpenSSH known_hosts files and a <see cref="HostKeyPolicy"/>.
/// Files are re-read on every check, so entries added meanwhile (by us or by ssh) count. New keys are written to the
/// first user file only; the global files are read, never written (as OpenSSH's GlobalKnownHostsFile).
/// Thread-safe: reading and appending are serialized (per writable file, across all verifiers) so concurrent accept-new writes do not interleave, but the Ask
/// callback runs OUTSIDE that lock, so other nodes' checks go on while a user thinks. After a "yes" the files are read
/// again: if the key was added meanwhile it is simply known; if a different key appeared it is refused as changed.
/// Host certificates are refused: only plain host keys are supported (no host certificate authorities).
/// </summary>
public sealed class HostKeyVerifier
{
    // One gate per writable file for the whole process, not per verifier: routes resolved per node each get their own
    // connector (and verifier), and concurrent accept-new writes to the same known_hosts must still not interleave.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lock> FileGates = new(StringComparer.Ordinal);
    private readonly Lock _gate;
    private readonly Func<HostKeyQuestion, bool>? _ask;

    /// <param name="policy">What to do with unknown hosts.</param>
    /// <param name="knownHostsFiles">User files to read; the first one receives new entries (AcceptNew, or Ask answered yes).</param>
    /// <param name="ask">Required for <see cref="HostKeyPolicy.Ask"/>. Called synchronously on SSH.NET's connect thread, without any lock held.</param>
    /// <param name="hashNewEntries">Write new entries hashed (<c>|1|…</c>) like HashKnownHosts=yes.</param>
    /// <param name="globalKnownHostsFiles">System-wide files (e.g. /etc/ssh/ssh_known_hosts), read only; none when null.</param>
    public HostKeyVerifier(
        HostKeyPolicy policy,
        IReadOnlyList<string> knownHostsFiles,
        Func<HostKeyQuestion, bool>? ask = null,
        bool hashNewEntries = false,
        IReadOnlyList<string>? globalKnownHostsFiles = null)
    {
        ArgumentNullException.ThrowIfNull(knownHostsFiles);
        if (!Enum.IsDefined(policy))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown host key policy");
        }

        if (knownHostsFiles.Count == 0)
        {
            throw new ArgumentException("at least one known_hosts file is needed", nameof(knownHostsFiles));
        }

        if (policy == HostKeyPolicy.Ask && ask is null)
        {
            throw new ArgumentException("the Ask host key policy needs a callback", nameof(ask));
        }

        Policy = policy;
        KnownHostsFiles = knownHostsFiles;
        GlobalKnownHostsFiles = globalKnownHostsFiles ?? [];
        _ask = ask;
        HashNewEntries = hashNewEntries;
        _gate = FileGates.GetOrAdd(Path.GetFullPath(knownHostsFiles[0]), _ => new Lock());
    }

    public HostKeyPolicy Policy { get; }

    /// <summary>The user's known_hosts files (read; the first is written).</summary>
    public IReadOnlyList<string> KnownHostsFiles { get; }

    /// <summary>System-wide known_hosts files: read for every check, never written.</summary>
    public IReadOnlyList<string> GlobalKnownHostsFiles { get; }

    public bool HashNewEntries { get; }

    /// <summary>The known_hosts file new keys are appended to.</summary>
    public string WritableFile => KnownHostsFiles[0];

    /// <summary>Key types the host is currently listed with (to prefer those host key algorithms, as OpenSSH does).</summary>
    /// <exception cref="ArgumentException">The host is not a plain host name or IP address.</exception>
    public IReadOnlySet<string> KnownKeyTypes(string host, int port) => Load().KeyTypesFor(host, port);

    /// <summary>Checks <paramref name="keyBlob"/> presented by <paramref name="host"/>:<paramref name="port"/>. Never throws for I/O problems.</summary>
    /// <param name="host">The host as connected to; must pass <see cref="HostNames.Problem"/>.</param>
    /// <param name="port">The port.</param>
    /// <param name="keyBlob">The presented public key.</param>
    /// <param name="algorithm">The negotiated host key algorithm, used only when the blob does not name its type.</param>
    /// <param name="attemptEnded">
    /// Cancelled once the connection attempt this check belongs to has failed or timed out. A "yes" from the Ask
    /// callback that arrives after that is not written (the key was never proven by a live handshake; connect again).
    /// </param>
    /// <exception cref="ArgumentException">The host is not a plain host name or IP address: it could inject known_hosts lines.</exception>
    public HostKeyVerdict Verify(string host, int port, ReadOnlySpan<byte> keyBlob, string? algorithm = null, CancellationToken attemptEnded = default)
    {
        HostNames.ThrowIfInvalid(host, nameof(host));
        var keyType = SshKeys.KeyTypeOf(keyBlob) ?? SshKeys.NormalizeKeyType(algorithm ?? "unknown");
        var fingerprint = SshKeys.Fingerprint(keyBlob);
        var about = new About(HostKeysText.Endpoint(host, port), keyType, fingerprint);
        if (SshKeys.IsCertificate(keyType))
        {
            // Defence in depth: SshConnector never offers certificate algorithms, so a certificate here is unexpected.
            return about.Refuse(HostKeyStatus.Unknown,
                $"host key for {about.Endpoint} is a certificate ({about.Shown}); host certificates are not supported — refusing to connect");
        }

        lock (_gate)
        {
            var set = Load();
            var lookup = set.Lookup(host, port, keyType, keyBlob);
            if (Decided(lookup, about) is { } decided)
            {
                return decided;
            }

            switch (Policy)
            {
                case HostKeyPolicy.AcceptNew:
                    return Add(host, port, keyBlob, about, $"accepted new host key for {about.Endpoint} ({about.Shown})");
                case HostKeyPolicy.Strict:
                    var readErrors = string.Concat(set.LoadErrors.Select(e => $"; {e}"));
                    return about.Refuse(lookup.Status,
                        $"host key for {about.Endpoint} is unknown ({about.Shown}) — refusing to connect (strict host key checking); " +
                        $"verify the fingerprint, then add the key to {WritableFile} or connect once with accept-new{readErrors}");
            }
        }

        // Ask, without the lock: the user may take a while, and other nodes' checks must not wait for them.
        if (!_ask!(new HostKeyQuestion(host, port, keyType, fingerprint)))
        {
            return about.Refuse(HostKeyStatus.Unknown, $"host key for {about.Endpoint} is unknown ({about.Shown}) and was not accepted — refusing to connect");
        }

        lock (_gate)
        {
            // Re-check: another connection (or ssh) may have added this key, or a different one, while we asked.
            if (Decided(Load().Lookup(host, port, keyType, keyBlob), about) is { } decided)
            {
                return decided;
            }

            if (attemptEnded.IsCancellationRequested)
            {
                return about.Refuse(HostKeyStatus.Unknown,
                    $"host key for {about.Endpoint} ({about.Shown}) was accepted after the connection attempt had already ended " +
                    $"(timed out or failed) — not added to {WritableFile}; connect again to be asked again");
            }

            return Add(host, port, keyBlob, about, $"host key for {about.Endpoint} ({about.Shown}) accepted when asked");
        }
    }

    private KnownHostsSet Load() => KnownHostsSet.Load(KnownHostsFiles.Concat(GlobalKnownHostsFiles));

    /// <summary>The verdict for a key known_hosts already decides (known, revoked, changed); null when it is unknown.</summary>
    private static HostKeyVerdict? Decided(KnownHostsLookup lookup, About about)
    {
        switch (lookup.Status)
        {
            case HostKeyStatus.Known:
                return new HostKeyVerdict(true, lookup.Status, about.KeyType, about.Fingerprint, null);
            case HostKeyStatus.Revoked:
                return about.Refuse(lookup.Status, $"host key for {about.Endpoint} is REVOKED ({about.Shown}) by {lookup.Entry} — refusing to connect");
            case HostKeyStatus.Changed:
                var old = lookup.Entry!;
                return about.Refuse(lookup.Status,
                    $"host key for {about.Endpoint} has CHANGED ({about.Shown}; known_hosts has {old.Fingerprint} at {old}) — refusing to connect; " +
                    $"if this is expected remove the old entry from {old.FilePath} (ssh-keygen -R '{lookup.HostName}' -f {old.FilePath})");
            default:
                return null;
        }
    }

    private HostKeyVerdict Add(string host, int port, ReadOnlySpan<byte> keyBlob, About about, string message)
    {
        try
        {
            KnownHostsWriter.AppendLine(WritableFile, KnownHostsWriter.FormatLine(host, port, about.KeyType, keyBlob, HashNewEntries));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return about.Refuse(HostKeyStatus.Unknown,
                $"host key for {about.Endpoint} ({about.Shown}) could not be added to {WritableFile}: {ex.Message} — refusing to connect");
        }

        return new HostKeyVerdict(true, HostKeyStatus.Unknown, about.KeyType, about.Fingerprint, $"{message}; added to {WritableFile}", WritableFile);
    }

    private sealed record About(string Endpoint, string KeyType, string Fingerprint)
    {
        public string Shown => $"{KeyType} {Fingerprint}";

        public HostKeyVerdict Refuse(HostKeyStatus status, string message) => new(false, status, KeyType, Fingerprint, message);
    }
}
