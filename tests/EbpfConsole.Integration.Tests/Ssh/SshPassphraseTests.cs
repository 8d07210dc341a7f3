using System.Collections.Concurrent;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Integration.Tests.Ssh;

/// <summary>Passphrase-protected client keys (ssh-keygen -N) against a real sshd.</summary>
[Collection("ssh")]
public sealed class SshPassphraseTests(SshdFixture fixture)
{
    private NodeTarget Main => new("main", "127.0.0.1", fixture.MainPort);

    [Theory]
    [InlineData("ed25519")]
    [InlineData("ecdsa")]
    [InlineData("rsa")]
    public async Task ConnectAsync_RightPassphrase_LogsInWithTheProtectedKey(string type)
    {
        var key = fixture.ProtectedKey(type);
        var asked = new ConcurrentBag<string>();
        var options = await OptionsAsync(key, path =>
        {
            asked.Add(path);
            return SshdFixture.Passphrase;
        });

        var result = await new SshConnector(options).ConnectAsync(Main, CancellationToken.None);
        using var session = result.Session;

        Assert.True(session is not null, $"{result.Failure?.Message}\n{fixture.ServerLog}");
        Assert.Equal([key], asked);
    }

    [Fact]
    public async Task ConnectAsync_WrongPassphrase_SkipsTheKeySayingSo()
    {
        var key = fixture.ProtectedKey("ed25519");
        var options = await OptionsAsync(key, _ => "not the passphrase");

        var result = await new SshConnector(options).ConnectAsync(Main, CancellationToken.None);

        Assert.Null(result.Session);
        Assert.Equal(SshFailureKind.KeyFileProblem, result.Failure!.Kind);
        Assert.StartsWith($"no usable private key to log in as root@127.0.0.1:{fixture.MainPort}: {key}: wrong passphrase", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_WrongPassphraseThenAPlainKey_LogsInWithThePlainKey()
    {
        var options = await OptionsAsync(fixture.ProtectedKey("rsa"), _ => "wrong") with
        {
            IdentityFiles = [fixture.ProtectedKey("rsa"), fixture.ClientEd25519],
        };

        var result = await new SshConnector(options).ConnectAsync(Main, CancellationToken.None);
        using var session = result.Session;

        Assert.True(session is not null, result.Failure?.Message);
    }

    [Fact]
    public async Task ConnectAsync_PassphraseDeclined_SkipsTheKeyAsProtected()
    {
        var key = fixture.ProtectedKey("ecdsa");
        var options = await OptionsAsync(key, _ => null);

        var result = await new SshConnector(options).ConnectAsync(Main, CancellationToken.None);

        Assert.Null(result.Session);
        Assert.Contains($"{key}: protected by a passphrase, none given (skipped)", result.Failure!.Message, StringComparison.Ordinal);
    }

    private async Task<SshConnectionOptions> OptionsAsync(string key, Func<string, string?> passphrase)
    {
        var knownHosts = await fixture.KnownHostsFileAsync(await SshdFixture.KnownHostsLineAsync(fixture.MainPort, fixture.HostKeyPub));
        return fixture.Options(knownHosts, identities: key) with { Passphrase = passphrase };
    }
}
