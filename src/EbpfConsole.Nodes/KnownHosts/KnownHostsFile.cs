namespace EbpfConsole.Nodes.KnownHosts;

/// <summary>
/// One parsed OpenSSH known_hosts file. Lines are <c>[@marker] hosts keytype base64 [comment]</c>.
/// Comments and blank lines are skipped, invalid lines are skipped and counted; parsing never throws.
/// </summary>
public sealed class KnownHostsFile
{
    private static readonly char[] Blanks = [' ', '\t'];

    private KnownHostsFile(string path, IReadOnlyList<KnownHostsEntry> entries, int commentLines, IReadOnlyList<int> invalidLines, string? loadError)
    {
        Path = path;
        Entries = entries;
        CommentLines = commentLines;
        InvalidLines = invalidLines;
        LoadError = loadError;
    }

    public string Path { get; }

    public IReadOnlyList<KnownHostsEntry> Entries { get; }

    /// <summary>How many comment and blank lines were skipped.</summary>
    public int CommentLines { get; }

    /// <summary>1-based numbers of the lines that were not valid entries (skipped, like OpenSSH does).</summary>
    public IReadOnlyList<int> InvalidLines { get; }

    /// <summary>Why the file could not be read (a missing file is not an error: it is simply empty).</summary>
    public string? LoadError { get; }

    /// <summary>Reads and parses <paramref name="path"/>; a missing or unreadable file yields an empty file.</summary>
    public static KnownHostsFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            return File.Exists(path) ? Parse(path, File.ReadAllText(path)) : Parse(path, string.Empty);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new KnownHostsFile(path, [], 0, [], $"cannot read {path}: {ex.Message}");
        }
    }

    /// <summary>Parses known_hosts text; <paramref name="path"/> only names the source in results and messages.</summary>
    public static KnownHostsFile Parse(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<KnownHostsEntry>();
        var invalid = new List<int>();
        var comments = 0;
        var lines = text.Split('\n');
        var count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                comments++;
            }
            else if (TryParseLine(path, i + 1, line) is { } entry)
            {
                entries.Add(entry);
            }
            else
            {
                invalid.Add(i + 1);
            }
        }

        return new KnownHostsFile(path, entries, comments, invalid, null);
    }

    /// <summary>Looks a presented host key up in this file alone; see <see cref="KnownHostsSet.Lookup"/>.</summary>
    public KnownHostsLookup Lookup(string host, int port, string keyType, ReadOnlySpan<byte> keyBlob) =>
        KnownHostsLookup.Find(Entries, host, port, keyType, keyBlob);

    private static KnownHostsEntry? TryParseLine(string path, int lineNumber, string line)
    {
        var fields = line.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
        var marker = KnownHostsMarker.None;
        var first = 0;
        if (fields[0].StartsWith('@'))
        {
            marker = fields[0] switch
            {
                "@revoked" => KnownHostsMarker.Revoked,
                "@cert-authority" => KnownHostsMarker.CertAuthority,
                _ => (KnownHostsMarker)(-1),
            };
            first = 1;
        }

        // The old SSH-1 "hosts bits exponent modulus" form and anything else without a key type + base64 blob is invalid.
        if (!Enum.IsDefined(marker) || fields.Length < first + 3)
        {
            return null;
        }

        var (hosts, keyType, base64) = (fields[first], fields[first + 1], fields[first + 2]);
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }

        if (SshKeys.KeyTypeOf(blob) != keyType)
        {
            return null;
        }

        if (!HostPatterns.IsHashed(hosts))
        {
            return new KnownHostsEntry(path, lineNumber, marker, hosts, keyType, blob, null, null);
        }

        return HostPatterns.TryParseHashed(hosts, out var salt, out var hash)
            ? new KnownHostsEntry(path, lineNumber, marker, hosts, keyType, blob, salt, hash)
            : null;
    }
}
