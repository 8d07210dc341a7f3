using EbpfConsole.Core.Nodes;
using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Nodes.Tests;

public sealed class SshConnectorTests
{
    [Fact]
    public void PreferKnownKeyTypes_MovesKnownTypesFirstKeepingOrder()
    {
        var algorithms = new Dictionary<string, int>
        {
            ["ssh-ed25519-cert-v01@openssh.com"] = 0, ["ssh-ed25519"] = 1, ["ecdsa-sha2-nistp256"] = 2,
            ["rsa-sha2-512"] = 3, ["rsa-sha2-256"] = 4, ["ssh-rsa"] = 5,
        };

        SshConnector.PreferKnownKeyTypes(algorithms, new HashSet<string> { "ssh-rsa" });

        Assert.Equal(
            ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", "ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519", "ecdsa-sha2-nistp256"],
            algorithms.Keys);
    }

    [Fact]
    public void PreferKnownKeyTypes_NothingKnown_KeepsOrder()
    {
        var algorithms = new Dictionary<string, int> { ["ssh-ed25519"] = 1, ["ssh-rsa"] = 2 };

        SshConnector.PreferKnownKeyTypes(algorithms, new HashSet<string>());

        Assert.Equal(["ssh-ed25519", "ssh-rsa"], algorithms.Keys);
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
