using System.Text;

namespace EbpfConsole.Nodes.KnownHosts;

/// <summary>Writes new known_hosts lines the way OpenSSH's accept-new does.</summary>
public static class KnownHostsWriter
{
    /// <summary>
    /// <c>host keytype base64</c> for port 22, <c>[host]:port keytype base64</c> otherwise;
    /// with <paramref name="hashed"/> the host field is <c>|1|salt|hmac</c> (HashKnownHosts=yes).
    /// </summary>
    public static string FormatLine(string host, int port, string keyType, ReadOnlySpan<byte> keyBlob, bool hashed = false)
    {
        var hostName = HostPatterns.HostKeyName(host, port);
        var hostField = hashed ? HostPatterns.Hash(hostName) : hostName;
        return $"{hostField} {SshKeys.NormalizeKeyType(keyType)} {Convert.ToBase64String(keyBlob)}";
    }

    /// <summary>
    /// Appends <paramref name="line"/> to <paramref name="path"/>, creating the file (and its directory) when
    /// missing and starting a new line first when the file does not end with one.
    /// </summary>
    public static void AppendLine(string path, string line)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(line);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var needsNewline = false;
        if (stream.Length > 0)
        {
            stream.Seek(-1, SeekOrigin.End);
            needsNewline = stream.ReadByte() != '\n';
        }

        stream.Seek(0, SeekOrigin.End);
        var text = (needsNewline ? "\n" : string.Empty) + line + "\n";
        stream.Write(Encoding.UTF8.GetBytes(text));
    }
}
