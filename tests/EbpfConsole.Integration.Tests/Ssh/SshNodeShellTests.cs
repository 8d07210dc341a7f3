using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Nodes;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Integration.Tests.Ssh;

/// <summary><see cref="SshNodeShell"/> (the preflight's INodeShell) against a real sshd and against ports that fail.</summary>
[Collection("ssh")]
public sealed class SshNodeShellTests(SshdFixture fixture)
{
    private NodeTarget Main => new("node-main", "127.0.0.1", fixture.MainPort);

    [Fact]
    public async Task RunAsync_MultiLineScript_ReturnsExitCodeAndBothStreams()
    {
        using var shell = await ShellAsync();
        const string script = """
            x=$((2 + 3))
            echo "sum $x"
            if [ -d /proc ]; then echo proc; fi
            echo oops >&2
            exit 7
            """;

        var result = await shell.RunAsync(Main, script, TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.True(result.Failure is null, $"{result.Failure}\n{fixture.ServerLog}");
        Assert.Equal(7, result.ExitCode);
        Assert.Equal("sum 5\nproc\n", result.StandardOutput);
        Assert.Equal("oops\n", result.StandardError);
    }

    [Fact]
    public async Task RunAsync_ScriptOfSeveralKilobytesWithQuotes_ArrivesIntact()
    {
        using var shell = await ShellAsync();
        var script = new StringBuilder();
        for (var i = 0; i < 300; i++)
        {
            script.Append(System.Globalization.CultureInfo.InvariantCulture, $"echo 'line {i}' \"$((i = {i}))\" '\\'\n");
        }

        Assert.True(script.Length > 6000);

        var result = await shell.RunAsync(Main, script.ToString(), TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.True(result.Failure is null, result.Failure);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(300, lines.Length);
        Assert.Equal("line 299 299 \\", lines[^1]);
    }

    [Fact]
    public async Task RunAsync_Twice_ReusesTheKeptSessionAndWorksAgain()
    {
        using var shell = await ShellAsync(keep: true);

        var first = await shell.RunAsync(Main, "echo $PPID", TimeSpan.FromSeconds(20), CancellationToken.None);
        var second = await shell.RunAsync(Main, "echo again", TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.True(first.Failure is null && second.Failure is null, $"{first.Failure} {second.Failure}");
        Assert.Equal("again\n", second.StandardOutput);
    }

    [Fact]
    public async Task RunAsync_PortAcceptsTcpButNeverSpeaksSsh_TimesOutNamingUserHostPort()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // never accepted: the kernel completes the handshake, nothing ever answers
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var shell = await ShellAsync();
        var watch = Stopwatch.StartNew();

        var result = await shell.RunAsync(Main with { Port = port }, "true", TimeSpan.FromSeconds(1.5), CancellationToken.None);

        Assert.Equal($"timed out after 1.5s connecting to root@127.0.0.1:{port}", result.Failure);
        Assert.Null(result.ExitCode);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task RunAsync_ScriptOutlivesTheTimeout_TimesOutNamingTheRunPhase()
    {
        using var shell = await ShellAsync();

        var result = await shell.RunAsync(Main, "sleep 10", TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Equal($"timed out after 2s running the script on root@127.0.0.1:{fixture.MainPort}", result.Failure);
    }

    [Fact]
    public async Task RunAsync_ConnectionRefused_SaysSoNamingUserHostPort()
    {
        var closed = SshdServer.FreePort();
        using var shell = await ShellAsync();

        var result = await shell.RunAsync(Main with { Port = closed }, "true", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal($"root@127.0.0.1:{closed}: connection refused by 127.0.0.1:{closed} (is sshd running and listening on that port?)", result.Failure);
    }

    [Fact]
    public async Task RunAsync_UnknownHostKeyUnderStrict_FailsWithTheFingerprint()
    {
        using var shell = Shell(await fixture.KnownHostsFileAsync("# empty"), keep: false);

        var result = await shell.RunAsync(Main, "true", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.NotNull(result.Failure);
        Assert.StartsWith($"root@127.0.0.1:{fixture.MainPort}: host key for 127.0.0.1:{fixture.MainPort} is unknown", result.Failure, StringComparison.Ordinal);
        Assert.Contains(await fixture.FingerprintAsync(fixture.HostKeyPub), result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AuthenticationFails_NamesTheKeysTried()
    {
        var knownHosts = await fixture.KnownHostsFileAsync(await SshdFixture.KnownHostsLineAsync(fixture.MainPort, fixture.HostKeyPub));
        using var shell = Shell(knownHosts, keep: false, identity: fixture.WrongClientKey);

        var result = await shell.RunAsync(Main, "true", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.NotNull(result.Failure);
        Assert.StartsWith($"authentication failed for root@127.0.0.1:{fixture.MainPort}: the server refused key(s) {fixture.WrongClientKey}", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CallerCancels_Throws()
    {
        using var shell = await ShellAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => shell.RunAsync(Main, "sleep 10", TimeSpan.FromSeconds(20), cancel.Token));
    }

    private async Task<SshNodeShell> ShellAsync(bool keep = false) =>
        Shell(await fixture.KnownHostsFileAsync(await SshdFixture.KnownHostsLineAsync(fixture.MainPort, fixture.HostKeyPub)), keep);

    private SshNodeShell Shell(string knownHosts, bool keep, string? identity = null)
    {
        var settings = new SshSettings
        {
            ConfigFile = SshSettings.NoConfig,
            HomeDirectory = fixture.Dir,
            IdentityFiles = [identity ?? fixture.ClientEd25519],
            KnownHostsFiles = [knownHosts],
            GlobalKnownHostsFiles = [],
        };
        var resolver = SshRouteResolver.TryLoad(settings, out var error);
        Assert.True(resolver is not null, error);
        return new SshNodeShell(resolver) { KeepSessions = keep };
    }
}
