using EbpfConsole.Core.Nodes;
using EbpfConsole.Nodes;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Integration.Tests.Ssh;

/// <summary>ProxyJump through a real jump sshd (127.0.0.1) to a real target sshd on 127.0.0.2.</summary>
[Collection("ssh")]
public sealed class SshProxyJumpTests(SshdFixture fixture)
{
    private string JumpSpec => $"root@127.0.0.1:{fixture.Jump.Port}";

    private NodeTarget Behind => new("node-behind", "127.0.0.2", fixture.Behind.Port);

    [Fact]
    public async Task RunAsync_ThroughJumpWithBothKeysKnown_RunsOnTheTarget()
    {
        var knownHosts = await fixture.KnownHostsFileAsync(await JumpLineAsync(), await BehindLineAsync());
        using var shell = Shell(knownHosts, JumpSpec);

        var result = await shell.RunAsync(Behind, "echo $SSH_CONNECTION\n", TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.True(result.Failure is null, $"{result.Failure}\n{fixture.ServerLog}");
        var fields = result.StandardOutput.Trim().Split(' ');
        Assert.Equal(["127.0.0.2", fixture.Behind.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], fields[2..]);
    }

    [Fact]
    public async Task AcceptNew_ThroughJump_RecordsEachHostUnderItsOwnNameNotTheForwardedPort()
    {
        var knownHosts = fixture.NewPath("known_hosts_jump_accept");
        using var shell = Shell(knownHosts, JumpSpec, acceptNew: true);

        var result = await shell.RunAsync(Behind, "true", TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.True(result.Failure is null, $"{result.Failure}\n{fixture.ServerLog}");
        Assert.Equal([await JumpLineAsync(), await BehindLineAsync()], await File.ReadAllLinesAsync(knownHosts));
    }

    [Fact]
    public async Task ChangedTargetKey_ThroughJump_IsRefusedNamingTheTargetAndTheJump()
    {
        var wrongTarget = await SshdFixture.KnownHostsLineAsync("127.0.0.2", fixture.Behind.Port, fixture.OtherHostKeyPub);
        var knownHosts = await fixture.KnownHostsFileAsync(await JumpLineAsync(), wrongTarget);
        using var shell = Shell(knownHosts, JumpSpec, acceptNew: true);

        var result = await shell.RunAsync(Behind, "true", TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.NotNull(result.Failure);
        Assert.StartsWith($"root@127.0.0.2:{fixture.Behind.Port}: host key for 127.0.0.2:{fixture.Behind.Port} has CHANGED", result.Failure, StringComparison.Ordinal);
        Assert.Contains(await fixture.FingerprintAsync(fixture.BehindHostKeyPub), result.Failure, StringComparison.Ordinal);
        Assert.EndsWith($"(via jump host {JumpSpec})", result.Failure, StringComparison.Ordinal);
        Assert.Equal([await JumpLineAsync(), wrongTarget], await File.ReadAllLinesAsync(knownHosts));
    }

    [Fact]
    public async Task UnknownJumpHostKey_UnderStrict_FailsNamingTheJumpHop()
    {
        var knownHosts = await fixture.KnownHostsFileAsync(await BehindLineAsync());
        using var shell = Shell(knownHosts, JumpSpec);

        var result = await shell.RunAsync(Behind, "true", TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.NotNull(result.Failure);
        Assert.StartsWith($"root@127.0.0.2:{fixture.Behind.Port}: jump host {JumpSpec}: host key for 127.0.0.1:{fixture.Jump.Port} is unknown", result.Failure, StringComparison.Ordinal);
        Assert.Contains(await fixture.FingerprintAsync(fixture.JumpHostKeyPub), result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JumpHostRefusesConnection_FailureNamesTheJumpHop()
    {
        var closed = SshdServer.FreePort();
        var knownHosts = await fixture.KnownHostsFileAsync(await BehindLineAsync());
        using var shell = Shell(knownHosts, $"root@127.0.0.1:{closed}");

        var result = await shell.RunAsync(Behind, "true", TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.Equal($"root@127.0.0.2:{fixture.Behind.Port}: jump host root@127.0.0.1:{closed}: connection refused by 127.0.0.1:{closed} (is sshd running and listening on that port?)", result.Failure);
    }

    [Fact]
    public async Task TargetPortClosedBehindTheJump_SaysTheJumpCouldNotReachIt()
    {
        var closed = SshdServer.FreePort(System.Net.IPAddress.Parse("127.0.0.2"));
        var knownHosts = await fixture.KnownHostsFileAsync(await JumpLineAsync());
        using var shell = Shell(knownHosts, JumpSpec);

        var result = await shell.RunAsync(Behind with { Port = closed }, "true", TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.NotNull(result.Failure);
        Assert.StartsWith($"root@127.0.0.2:{closed}: cannot reach 127.0.0.2:{closed}: the jump host could not open a connection to it", result.Failure, StringComparison.Ordinal);
        Assert.EndsWith($"(via jump host {JumpSpec})", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChainOfTwoJumps_ReachesTheTarget()
    {
        var mainLine = await SshdFixture.KnownHostsLineAsync(fixture.MainPort, fixture.HostKeyPub);
        var knownHosts = await fixture.KnownHostsFileAsync(await JumpLineAsync(), mainLine, await BehindLineAsync());
        using var shell = Shell(knownHosts, $"{JumpSpec},root@127.0.0.1:{fixture.MainPort}");

        var result = await shell.RunAsync(Behind, "echo reached", TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.True(result.Failure is null, $"{result.Failure}\n{fixture.ServerLog}");
        Assert.Equal("reached\n", result.StandardOutput);
    }

    private SshNodeShell Shell(string knownHosts, string jump, bool acceptNew = false)
    {
        var settings = new SshSettings
        {
            ConfigFile = SshSettings.NoConfig,
            HomeDirectory = fixture.Dir,
            IdentityFiles = [fixture.ClientEd25519],
            KnownHostsFiles = [knownHosts],
            GlobalKnownHostsFiles = [],
            Jump = jump,
            AcceptNew = acceptNew,
        };
        var resolver = SshRouteResolver.TryLoad(settings, out var error);
        Assert.True(resolver is not null, error);
        return new SshNodeShell(resolver) { KeepSessions = false };
    }

    private Task<string> JumpLineAsync() => SshdFixture.KnownHostsLineAsync(fixture.Jump.Port, fixture.JumpHostKeyPub);

    private Task<string> BehindLineAsync() => SshdFixture.KnownHostsLineAsync("127.0.0.2", fixture.Behind.Port, fixture.BehindHostKeyPub);
}
