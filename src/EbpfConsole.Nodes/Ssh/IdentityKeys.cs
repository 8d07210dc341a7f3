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

    /// <param name="paths">Private key files, in the order they are offered; a path listed twice is loaded once.</param>
    /// <param name="passphrase">
    /// Asked for the passphrase of a protected key (given its path); null (or no callback) skips that key. A wrong
    /// passphrase skips the key with "wrong passphrase" in <see cref="Skipped"/>.
    /// </param>
    public static IdentityKeys Load(IEnumerable<string> paths, Func<string, string?>? passphrase = null)
    {
        var keys = new IdentityKeys();
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            keys.TryAdd(path, passphrase);
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

    private void TryAdd(string path, Func<string, string?>? passphrase)
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
            TryAddProtected(path, passphrase);
        }
        catch (Exception ex) when (IsKeyFileProblem(ex))
        {
            _skipped.Add($"{path}: unreadable ({ex.Message})");
        }
    }

    private void TryAddProtected(string path, Func<string, string?>? passphrase)
    {
        var secret = passphrase?.Invoke(path);
        if (string.IsNullOrEmpty(secret))
        {
            _skipped.Add(passphrase is null
                ? $"{path}: protected by a passphrase and there is no one to ask for it (run interactively, or use a key without a passphrase)"
                : $"{path}: protected by a passphrase, none given (skipped)");
            return;
        }

        try
        {
            _loaded.Add((path, new PrivateKeyFile(path, secret)));
        }
        catch (Exception ex) when (IsKeyFileProblem(ex))
        {
            // SSH.NET reports a wrong passphrase as a failed decryption/check (SshException, CryptographicException, …).
            _skipped.Add($"{path}: wrong passphrase (or damaged key: {ex.Message.TrimEnd('.')})");
        }
    }

    private static bool IsKeyFileProblem(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or SshException or ArgumentException or FormatException or NotSupportedException
            or System.Security.Cryptography.CryptographicException or InvalidOperationException or IndexOutOfRangeException;
}
