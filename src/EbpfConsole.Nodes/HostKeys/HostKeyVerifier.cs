using EbpfConsole.Nodes.KnownHosts;

namespace EbpfConsole.Nodes.HostKeys;

/// <summary>
/// Decides whether a presented host key is trusted, from OpenSSH known_hosts files and a <see cref="HostKeyPolicy"/>.
/// Files are re-read on every check, so entries added meanwhile (by us or by ssh) count. New keys are written to the
/// first file of the list. Thread-safe: checks of one verifier are serialized so concurrent accept-new writes do not interleave.
/// </summary>
public sealed class HostKeyVerifier
{
    private readonly Lock _gate = new();
    private readonly Func<HostKeyQuestion, bool>? _ask;

    /// <param name="policy">What to do with unknown hosts.</param>
    /// <param name="knownHostsFiles">Files to read; the first one receives new entries (AcceptNew, or Ask answered yes).</param>
    /// <param name="ask">Required for <see cref="HostKeyPolicy.Ask"/>. Called synchronously on SSH.NET's connect thread.</param>
    /// <param name="hashNewEntries">Write new entries hashed (<c>|1|…</c>) like HashKnownHosts=yes.</param>
    public HostKeyVerifier(HostKeyPolicy policy, IReadOnlyList<string> knownHostsFiles, Func<HostKeyQuestion, bool>? ask = null, bool hashNewEntries = false)
    {
        ArgumentNullException.ThrowIfNull(knownHostsFiles);
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
        _ask = ask;
        HashNewEntries = hashNewEntries;
    }

    public HostKeyPolicy Policy { get; }

    public IReadOnlyList<string> KnownHostsFiles { get; }

    public bool HashNewEntries { get; }

    /// <summary>The known_hosts file new keys are appended to.</summary>
    public string WritableFile => KnownHostsFiles[0];

    /// <summary>Key types the host is currently listed with (to prefer those host key algorithms, as OpenSSH does).</summary>
    public IReadOnlySet<string> KnownKeyTypes(string host, int port) => KnownHostsSet.Load(KnownHostsFiles).KeyTypesFor(host, port);

    /// <summary>Checks <paramref name="keyBlob"/> presented by <paramref name="host"/>:<paramref name="port"/>. Never throws for I/O problems.</summary>
    /// <param name="algorithm">The negotiated host key algorithm, used only when the blob does not name its type.</param>
    public HostKeyVerdict Verify(string host, int port, ReadOnlySpan<byte> keyBlob, string? algorithm = null)
    {
        var keyType = SshKeys.KeyTypeOf(keyBlob) ?? SshKeys.NormalizeKeyType(algorithm ?? "unknown");
        var fingerprint = SshKeys.Fingerprint(keyBlob);
        var endpoint = HostKeysText.Endpoint(host, port);
        var shown = $"{keyType} {fingerprint}";
        lock (_gate)
        {
            var set = KnownHostsSet.Load(KnownHostsFiles);
            var lookup = set.Lookup(host, port, keyType, keyBlob);
            switch (lookup.Status)
            {
                case HostKeyStatus.Known:
                    return new HostKeyVerdict(true, lookup.Status, keyType, fingerprint, null);
                case HostKeyStatus.Revoked:
                    return Refuse(lookup.Status, $"host key for {endpoint} is REVOKED ({shown}) by {lookup.Entry} — refusing to connect");
                case HostKeyStatus.Changed:
                    var old = lookup.Entry!;
                    return Refuse(lookup.Status,
                        $"host key for {endpoint} has CHANGED ({shown}; known_hosts has {old.Fingerprint} at {old}) — refusing to connect; " +
                        $"if this is expected remove the old entry from {old.FilePath} (ssh-keygen -R '{lookup.HostName}' -f {old.FilePath})");
            }

            var readErrors = string.Concat(set.LoadErrors.Select(e => $"; {e}"));
            switch (Policy)
            {
                case HostKeyPolicy.AcceptNew:
                    return Add(host, port, keyType, keyBlob, fingerprint, endpoint, $"accepted new host key for {endpoint} ({shown})");
                case HostKeyPolicy.Ask when _ask!(new HostKeyQuestion(host, port, keyType, fingerprint)):
                    return Add(host, port, keyType, keyBlob, fingerprint, endpoint, $"host key for {endpoint} ({shown}) accepted when asked");
                case HostKeyPolicy.Ask:
                    return Refuse(lookup.Status, $"host key for {endpoint} is unknown ({shown}) and was not accepted — refusing to connect");
                default:
                    return Refuse(lookup.Status,
                        $"host key for {endpoint} is unknown ({shown}) — refusing to connect (strict host key checking); " +
                        $"verify the fingerprint, then add the key to {WritableFile} or connect once with accept-new{readErrors}");
            }
        }

        HostKeyVerdict Refuse(HostKeyStatus status, string message) => new(false, status, keyType, fingerprint, message);
    }

    private HostKeyVerdict Add(string host, int port, string keyType, ReadOnlySpan<byte> keyBlob, string fingerprint, string endpoint, string message)
    {
        try
        {
            KnownHostsWriter.AppendLine(WritableFile, KnownHostsWriter.FormatLine(host, port, keyType, keyBlob, HashNewEntries));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new HostKeyVerdict(false, HostKeyStatus.Unknown, keyType, fingerprint,
                $"host key for {endpoint} ({keyType} {fingerprint}) could not be added to {WritableFile}: {ex.Message} — refusing to connect");
        }

        return new HostKeyVerdict(true, HostKeyStatus.Unknown, keyType, fingerprint, $"{message}; added to {WritableFile}", WritableFile);
    }
}
