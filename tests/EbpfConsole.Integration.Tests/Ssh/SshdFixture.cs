using EbpfConsole.Integration.Tests.Support;
using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Integration.Tests.Ssh;

[CollectionDefinition("ssh")]
public sealed class SshCollectionDefinition : ICollectionFixture<SshdFixture>
{
}

/// <summary>
/// Keys and real sshd instances in a temp dir: <see cref="Main"/> with an ed25519 host key only,
/// <see cref="MultiKey"/> with ed25519, ECDSA and RSA host keys, <see cref="Cert"/> with an ed25519 host key and a
/// host certificate for it, and <see cref="CertOnly"/> with the same key and certificate that offers only the
/// certificate algorithm, <see cref="Jump"/> (a ProxyJump host) and <see cref="Behind"/> (on 127.0.0.2, the target reached
/// through it). Client keys of all three types are authorized, also passphrase-protected ones; <see cref="WrongClientKey"/> is not.
/// </summary>
public sealed class SshdFixture : IAsyncLifetime
{
    private SshdServer? _main;
    private SshdServer? _multiKey;
    private SshdServer? _cert;
    private SshdServer? _certOnly;
    private SshdServer? _jump;
    private SshdServer? _behind;
    private int _fileCounter;

    public string Dir { get; } = Directory.CreateTempSubdirectory("ebpf-console-ssh-").FullName;

    public string SshKeygen { get; private set; } = "ssh-keygen";

    public string ClientEd25519 => Path.Combine(Dir, "id_ed25519");

    public string ClientRsa => Path.Combine(Dir, "id_rsa");

    public string ClientEcdsa => Path.Combine(Dir, "id_ecdsa");

    public string WrongClientKey => Path.Combine(Dir, "id_wrong");

    /// <summary>Main's ed25519 host key (public).</summary>
    public string HostKeyPub => Path.Combine(Dir, "host_ed25519.pub");

    /// <summary>An ed25519 key that is NOT any server's host key, for the "changed" case.</summary>
    public string OtherHostKeyPub => Path.Combine(Dir, "other_host_ed25519.pub");

    public string MultiKeyEcdsaPub => Path.Combine(Dir, "multi_ecdsa.pub");

    /// <summary>The plain ed25519 host key of <see cref="Cert"/> and <see cref="CertOnly"/> (public).</summary>
    public string CertHostKeyPub => Path.Combine(Dir, "cert_host_ed25519.pub");

    /// <summary>The passphrase of the protected client keys.</summary>
    public const string Passphrase = "right horse battery";

    /// <summary>Authorized client keys protected by <see cref="Passphrase"/>: ed25519 and ECDSA (OpenSSH format), RSA (PEM).</summary>
    public string ProtectedKey(string type) => Path.Combine(Dir, $"id_protected_{type}");

    /// <summary>The jump host's ed25519 host key (public); it listens on 127.0.0.1.</summary>
    public string JumpHostKeyPub => Path.Combine(Dir, "jump_host_ed25519.pub");

    /// <summary>The host key (public) of the target behind the jump host; it listens on 127.0.0.2.</summary>
    public string BehindHostKeyPub => Path.Combine(Dir, "behind_host_ed25519.pub");

    internal SshdServer Main => _main ?? throw new InvalidOperationException("fixture not initialized");

    internal SshdServer MultiKey => _multiKey ?? throw new InvalidOperationException("fixture not initialized");

    internal SshdServer Cert => _cert ?? throw new InvalidOperationException("fixture not initialized");

    internal SshdServer CertOnly => _certOnly ?? throw new InvalidOperationException("fixture not initialized");

    /// <summary>A jump host (ProxyJump) on 127.0.0.1.</summary>
    internal SshdServer Jump => _jump ?? throw new InvalidOperationException("fixture not initialized");

    /// <summary>A target on 127.0.0.2, reached through <see cref="Jump"/> in the ProxyJump tests.</summary>
    internal SshdServer Behind => _behind ?? throw new InvalidOperationException("fixture not initialized");

    public int MainPort => Main.Port;

    public int MultiKeyPort => MultiKey.Port;

    public async Task InitializeAsync()
    {
        Requirements.Root();
        var sshd = Requirements.Tool("sshd");
        SshKeygen = Requirements.Tool("ssh-keygen");
        foreach (var (name, type) in new[]
                 {
                     ("host_ed25519", "ed25519"), ("other_host_ed25519", "ed25519"), ("multi_ed25519", "ed25519"),
                     ("multi_ecdsa", "ecdsa"), ("multi_rsa", "rsa"), ("id_ed25519", "ed25519"), ("id_rsa", "rsa"),
                     ("id_ecdsa", "ecdsa"), ("id_wrong", "ed25519"), ("cert_host_ed25519", "ed25519"), ("host_ca", "ed25519"),
                     ("jump_host_ed25519", "ed25519"), ("behind_host_ed25519", "ed25519"),
                 })
        {
            await ToolRunner.RunAsync(SshKeygen, "-q", "-t", type, "-N", string.Empty, "-C", name, "-f", Path.Combine(Dir, name));
        }

        // Protected keys: OpenSSH format (bcrypt KDF) for ed25519 and ECDSA, the old PEM format for RSA.
        await ToolRunner.RunAsync(SshKeygen, "-q", "-t", "ed25519", "-N", Passphrase, "-f", ProtectedKey("ed25519"));
        await ToolRunner.RunAsync(SshKeygen, "-q", "-t", "ecdsa", "-N", Passphrase, "-f", ProtectedKey("ecdsa"));
        await ToolRunner.RunAsync(SshKeygen, "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", Passphrase, "-f", ProtectedKey("rsa"));

        var authorized = Path.Combine(Dir, "authorized_keys");
        var pubs = await Task.WhenAll(new[] { ClientEd25519, ClientRsa, ClientEcdsa, ProtectedKey("ed25519"), ProtectedKey("ecdsa"), ProtectedKey("rsa") }
            .Select(k => File.ReadAllTextAsync(k + ".pub")));
        await File.WriteAllTextAsync(authorized, string.Concat(pubs));

        _main = await SshdServer.StartAsync(sshd, Dir, "main", [Path.Combine(Dir, "host_ed25519")], authorized);
        _multiKey = await SshdServer.StartAsync(sshd, Dir, "multi",
            [Path.Combine(Dir, "multi_ed25519"), Path.Combine(Dir, "multi_ecdsa"), Path.Combine(Dir, "multi_rsa")], authorized);

        // ssh-keygen -s ca -I id -h -n 127.0.0.1 hostkey.pub → hostkey-cert.pub
        await ToolRunner.RunAsync(SshKeygen, "-q", "-s", Path.Combine(Dir, "host_ca"), "-I", "cert-host", "-h", "-n", "127.0.0.1", CertHostKeyPub);
        string[] certConfig = [$"HostCertificate {Path.Combine(Dir, "cert_host_ed25519-cert.pub")}"];
        string[] certHostKey = [Path.Combine(Dir, "cert_host_ed25519")];
        _cert = await SshdServer.StartAsync(sshd, Dir, "cert", certHostKey, authorized, certConfig);
        _certOnly = await SshdServer.StartAsync(sshd, Dir, "certonly", certHostKey, authorized,
            [.. certConfig, "HostKeyAlgorithms ssh-ed25519-cert-v01@openssh.com"]);
        _jump = await SshdServer.StartAsync(sshd, Dir, "jump", [Path.Combine(Dir, "jump_host_ed25519")], authorized, ["AllowTcpForwarding yes"]);
        _behind = await SshdServer.StartAsync(sshd, Dir, "behind", [Path.Combine(Dir, "behind_host_ed25519")], authorized, listenAddress: "127.0.0.2");
    }

    public async Task DisposeAsync()
    {
        if (_main is not null)
        {
            await _main.DisposeAsync();
        }

        foreach (var server in new[] { _multiKey, _cert, _certOnly, _jump, _behind })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        Directory.Delete(Dir, recursive: true);
    }

    /// <summary>A fresh path (not created) in the temp dir, e.g. for a test's own known_hosts.</summary>
    public string NewPath(string name) => Path.Combine(Dir, $"{name}-{Interlocked.Increment(ref _fileCounter)}");

    /// <summary>A known_hosts line <c>[127.0.0.1]:port type base64</c> for the public key file <paramref name="pubPath"/>.</summary>
    public static Task<string> KnownHostsLineAsync(int port, string pubPath) => KnownHostsLineAsync("127.0.0.1", port, pubPath);

    /// <summary>A known_hosts line <c>[host]:port type base64</c> for the public key file <paramref name="pubPath"/>.</summary>
    public static async Task<string> KnownHostsLineAsync(string host, int port, string pubPath)
    {
        var fields = (await File.ReadAllTextAsync(pubPath)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return $"[{host}]:{port} {fields[0]} {fields[1]}";
    }

    /// <summary>A known_hosts file holding the given lines.</summary>
    public async Task<string> KnownHostsFileAsync(params string[] lines)
    {
        var path = NewPath("known_hosts");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }

    /// <summary>What <c>ssh-keygen -lf pub -E sha256</c> prints as the fingerprint (<c>SHA256:…</c>).</summary>
    public async Task<string> FingerprintAsync(string pubPath) =>
        (await ToolRunner.RunAsync(SshKeygen, "-l", "-E", "sha256", "-f", pubPath)).Split(' ')[1];

    public SshConnectionOptions Options(string knownHosts, HostKeyPolicy policy = HostKeyPolicy.Strict, params string[] identities) => new()
    {
        KnownHostsFiles = [knownHosts],
        GlobalKnownHostsFiles = [], // this machine's /etc/ssh/ssh_known_hosts must not decide the tests
        IdentityFiles = identities.Length > 0 ? identities : [ClientEd25519],
        HostKeyPolicy = policy,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        CommandTimeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>sshd's recent log lines, to attach to assertion messages.</summary>
    public string ServerLog =>
        $"main sshd:\n{Main.LogTail}\nmulti sshd:\n{MultiKey.LogTail}\ncert sshd:\n{Cert.LogTail}\ncert-only sshd:\n{CertOnly.LogTail}" +
        $"\njump sshd:\n{Jump.LogTail}\nbehind sshd:\n{Behind.LogTail}";
}
