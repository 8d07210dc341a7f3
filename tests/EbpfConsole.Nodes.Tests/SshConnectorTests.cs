using EbpfConsole.Core.Nodes;
using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.KnownHosts;
using EbpfConsole.Nodes.Ssh;
using Renci.SshNet;

namespace EbpfConsole.Nodes.Tests;

public sealed class SshConnectorTests
{
    [Fact]
    public void ConfigureHostKeyAlgorithms_MovesKnownTypesFirstKeepingOrder()
    {
        var algorithms = new Dictionary<string, int>
        {
            ["ssh-ed25519"] = 1, ["ecdsa-sha2-nistp256"] = 2, ["rsa-sha2-512"] = 3, ["rsa-sha2-256"] = 4, ["ssh-rsa"] = 5,
        };

        SshConnector.ConfigureHostKeyAlgorithms(algorithms, new HashSet<string> { "ssh-rsa" });

        Assert.Equal(["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256"], algorithms.Keys);
    }

    [Fact]
    public void ConfigureKeyExchangeAlgorithms_SshNetDefaults_MlKemThenCurve25519First_Sntrup761LastButOffered()
    {
        using var auth = new NoneAuthenticationMethod("root");
        var info = new ConnectionInfo("127.0.0.1", 22, "root", auth);
        var offered = info.KeyExchangeAlgorithms.Keys.ToHashSet();

        SshConnector.ConfigureKeyExchangeAlgorithms(info.KeyExchangeAlgorithms);

        var keys = info.KeyExchangeAlgorithms.Keys.ToList();
        Assert.Equal("mlkem768x25519-sha256", keys[0]);
        Assert.StartsWith("curve25519", keys[1], StringComparison.Ordinal);
        Assert.StartsWith("sntrup761", keys[^1], StringComparison.Ordinal);
        Assert.Equal(offered, keys.ToHashSet()); // nothing dropped
    }

    [Fact]
    public void ConfigureHostKeyAlgorithms_NothingKnown_KeepsOrder()
    {
        var algorithms = new Dictionary<string, int> { ["ssh-ed25519"] = 1, ["ssh-rsa"] = 2 };

        SshConnector.ConfigureHostKeyAlgorithms(algorithms, new HashSet<string>());

        Assert.Equal(["ssh-ed25519", "ssh-rsa"], algorithms.Keys);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ConfigureHostKeyAlgorithms_SshNetDefaults_LosesEveryCertificateAlgorithmKeepsThePlainOnes(bool hostKnown)
    {
        // SSH.NET 2026.0.0 offers the *-cert-v01@openssh.com algorithms first; with them the server presents a certificate blob.
        using var auth = new NoneAuthenticationMethod("root");
        var info = new ConnectionInfo("127.0.0.1", 22, "root", auth);
        var plain = info.HostKeyAlgorithms.Keys.Where(k => !k.Contains("-cert-", StringComparison.Ordinal)).ToList();
        Assert.Contains(info.HostKeyAlgorithms.Keys, k => k.EndsWith("-cert-v01@openssh.com", StringComparison.Ordinal));

        SshConnector.ConfigureHostKeyAlgorithms(info.HostKeyAlgorithms, hostKnown ? new HashSet<string> { "ssh-ed25519" } : new HashSet<string>());

        Assert.DoesNotContain(info.HostKeyAlgorithms.Keys, k => k.Contains("cert", StringComparison.Ordinal));
        Assert.Equal(plain.Order(StringComparer.Ordinal), info.HostKeyAlgorithms.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("ssh-ed25519", info.HostKeyAlgorithms.Keys.First());
    }

    public static TheoryData<string> InjectingHosts => new()
    {
        $"x\n* ssh-ed25519 {TestKeys.Ed25519}", "*", "a,b", "!x", "node 1", "|1|abc", "#x", "@revoked", "[::1]", "node?", "-oProxyCommand=x",
    };

    [Theory]
    [MemberData(nameof(InjectingHosts))]
    public async Task ConnectAsync_HostThatIsNotAPlainNameOrAddress_FailsFirstNamingTheValue(string host)
    {
        var knownHosts = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
        var missingKey = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
        var connector = new SshConnector(new SshConnectionOptions
        {
            KnownHostsFiles = [knownHosts], GlobalKnownHostsFiles = [], IdentityFiles = [missingKey], HostKeyPolicy = HostKeyPolicy.AcceptNew,
        });

        // The host check comes before anything else (key files, DNS, TCP): no key file problem is even reported.
        var result = await connector.ConnectAsync(new NodeTarget("n", host), CancellationToken.None);

        Assert.Null(result.Session);
        Assert.Equal(SshFailureKind.InvalidHost, result.Failure!.Kind);
        Assert.Contains($"invalid host '{HostNames.Quote(host)}'", result.Failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Failure.Message);
        Assert.False(File.Exists(knownHosts));
    }

    [Fact]
    public void Constructor_PassesTheGlobalKnownHostsFilesToTheVerifier()
    {
        var connector = new SshConnector(new SshConnectionOptions());

        Assert.Equal(["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"], connector.HostKeys.GlobalKnownHostsFiles);
        Assert.Equal(connector.Options.KnownHostsFiles[0], connector.HostKeys.WritableFile);
    }

    [Fact]
    public void Constructor_AskPolicyWithoutCallback_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SshConnector(new SshConnectionOptions { HostKeyPolicy = HostKeyPolicy.Ask }));
    }

    [Fact]
    public void Constructor_NoKnownHostsFiles_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SshConnector(new SshConnectionOptions { KnownHostsFiles = [] }));
    }

    [Fact]
    public async Task ConnectAsync_NoUsableKeyFile_FailsBeforeTouchingTheNetwork()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
        var connector = new SshConnector(new SshConnectionOptions { IdentityFiles = [missing] });

        // Loopback only; the key check comes before any connection anyway.
        var result = await connector.ConnectAsync(new NodeTarget("n", "127.0.0.1"), CancellationToken.None);

        Assert.Null(result.Session);
        Assert.Equal(SshFailureKind.KeyFileProblem, result.Failure!.Kind);
        Assert.Equal($"no usable private key to log in as root@127.0.0.1:22: {missing}: not found", result.Failure.Message);
    }

    [Fact]
    public void DefaultOptions_UseTheUsersSshDirectory()
    {
        var options = new SshConnectionOptions();

        Assert.EndsWith(Path.Combine(".ssh", "known_hosts"), options.KnownHostsFiles[0], StringComparison.Ordinal);
        Assert.Equal(HostKeyPolicy.Strict, options.HostKeyPolicy);
        Assert.Equal(3, options.IdentityFiles.Count);
    }
}
