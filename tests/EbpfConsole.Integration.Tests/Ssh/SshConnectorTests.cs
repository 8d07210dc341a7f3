using EbpfConsole.Core.Nodes;
using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Integration.Tests.Ssh;

[Collection("ssh")]
public sealed class SshConnectorTests(SshdFixture fixture)
{
    private NodeTarget Main => new("main", "127.0.0.1", fixture.MainPort);

    [Fact]
    public async Task ConnectAsync_AskAccepted_PassesFingerprintAndAddsTheKey()
    {
        var knownHosts = fixture.NewPath("known_hosts_ask");
        var questions = new List<HostKeyQuestion>();
        var options = fixture.Options(knownHosts, HostKeyPolicy.Ask) with
        {
            AskHostKey = q =>
            {
                questions.Add(q);
                return true;
            },
        };

        var result = await new SshConnector(options).ConnectAsync(Main, CancellationToken.None);
        using var session = result.Session;

        Assert.True(session is not null, result.Failure?.Message);
        var question = Assert.Single(questions);
        Assert.Equal(new HostKeyQuestion("127.0.0.1", fixture.MainPort, "ssh-ed25519", await fixture.FingerprintAsync(fixture.HostKeyPub)), question);
        Assert.Equal(knownHosts, session.HostKey.AddedTo);
        Assert.Equal(await SshdFixture.KnownHostsLineAsync(fixture.MainPort, fixture.HostKeyPub) + "\n", await File.ReadAllTextAsync(knownHosts));
    }

    [Fact]
    public async Task ConnectAsync_AskDeclined_FailsAsUnknownAndWritesNothing()
    {
        var knownHosts = fixture.NewPath("known_hosts_declined");
        var options = fixture.Options(knownHosts, HostKeyPolicy.Ask) with { AskHostKey = _ => false };

        var result = await new SshConnector(options).ConnectAsync(Main, CancellationToken.None);

        Assert.Null(result.Session);
        Assert.Equal(SshFailureKind.HostKeyUnknown, result.Failure!.Kind);
        Assert.False(File.Exists(knownHosts));
    }

    [Fact]
    public async Task ConnectAsync_AskCallbackThrows_RefusesInsteadOfCrashing()
    {
        var options = fixture.Options(fixture.NewPath("known_hosts_throw"), HostKeyPolicy.Ask) with
        {
            AskHostKey = _ => throw new InvalidOperationException("UI gone"),
        };

        var result = await new SshConnector(options).ConnectAsync(Main, CancellationToken.None);

        Assert.Null(result.Session);
        Assert.Contains("UI gone", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NonZeroExit_ReturnsStatusAndStreams()
    {
        using var session = await ConnectMainAsync(fixture.Options(await MainKnownHostsAsync()));

        var result = await session.RunAsync("echo out; echo err >&2; exit 3", CancellationToken.None);

        Assert.Null(result.Failure);
        Assert.Equal(3, result.ExitStatus);
        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task RunAsync_CommandOutlivesTheTimeout_IsATimedOutResult()
    {
        var options = fixture.Options(await MainKnownHostsAsync()) with { CommandTimeout = TimeSpan.FromSeconds(1) };
        using var session = await ConnectMainAsync(options);

        var result = await session.RunAsync("sleep 4", CancellationToken.None);

        Assert.Equal(SshFailureKind.TimedOut, result.Failure?.Kind);
        Assert.Contains($"timed out after 1s running 'sleep 4' on root@127.0.0.1:{fixture.MainPort}", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_SeveralKnownHostsFiles_NewKeyGoesToTheFirst()
    {
        var first = fixture.NewPath("known_hosts_first");
        var second = await fixture.KnownHostsFileAsync("# unrelated");
        var options = fixture.Options(first, HostKeyPolicy.AcceptNew) with { KnownHostsFiles = [first, second] };

        using var session = await ConnectMainAsync(options);

        Assert.True(File.Exists(first));
        Assert.Equal("# unrelated\n", await File.ReadAllTextAsync(second));
    }

    private async Task<string> MainKnownHostsAsync() =>
        await fixture.KnownHostsFileAsync(await SshdFixture.KnownHostsLineAsync(fixture.MainPort, fixture.HostKeyPub));

    private async Task<SshSession> ConnectMainAsync(SshConnectionOptions options)
    {
        var result = await new SshConnector(options).ConnectAsync(Main, CancellationToken.None);
        return result.Session ?? throw new InvalidOperationException(result.Failure!.Message + "\n" + fixture.ServerLog);
    }
}
