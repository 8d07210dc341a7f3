using Renci.SshNet;
using Renci.SshNet.Common;

namespace EbpfConsole.Nodes.Ssh;

/// <summary>The private keys loaded for one connection, and why the others were skipped. Disposing releases the keys.</summary>
internal sealed class IdentityKeys : IDisposable
{
    private readonly List<(string Path, PrivateKeyFile Key)> _loaded = [];
    private readonly List<string> _skipped = [];
    private readonly List<AuthenticationMethod> _methods = [];

    public IReadOnlyList<PrivateKeyFile> Keys => [.. _loaded.Select(k => k.Key)];

    /// <summary>Per skipped file: "path: reason".</summary>
    public IReadOnlyList<string> Skipped => _skipped;

    /// <summary>"path (type)" per loaded key, for messages.</summary>
    public string Tried => string.Join(", ", _loaded.Select(k => $"{k.Path} ({k.Key.Key})"));

    public static IdentityKeys Load(IEnumerable<string> paths)
    {
        var keys = new IdentityKeys();
        foreach (var path in paths)
        {
            keys.TryAdd(path);
        }

        return keys;
    }

    /// <summary>A public key authentication method offering all loaded keys; disposed with this object.</summary>
    public AuthenticationMethod CreateAuthentication(string user)
    {
        var method = new PrivateKeyAuthenticationMethod(user, [.. Keys]);
        _methods.Add(method);
        return method;
    }

    public void Dispose()
    {
        foreach (var method in _methods)
        {
            method.Dispose();
        }

        foreach (var (_, key) in _loaded)
        {
            key.Dispose();
        }
    }

    private void TryAdd(string path)
    {
        if (!File.Exists(path))
        {
            _skipped.Add($"{path}: not found");
            return;
        }

        try
        {
            _loaded.Add((path, new PrivateKeyFile(path)));
        }
        catch (SshPassPhraseNullOrEmptyException)
        {
            _skipped.Add($"{path}: protected by a passphrase (not supported; use a key without one)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SshException or ArgumentException or FormatException or NotSupportedException)
        {
            _skipped.Add($"{path}: unreadable ({ex.Message})");
        }
    }
}
