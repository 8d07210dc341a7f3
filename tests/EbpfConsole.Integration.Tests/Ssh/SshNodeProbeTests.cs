using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Integration.Tests.Support;
using EbpfConsole.Nodes;
using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Integration.Tests.Ssh;

[Collection("ssh")]
public sealed class SshNodeProbeTests(SshdFixture fixture)
{
    private static NodeTarget Target(int port) => new("node-x", "127.0.0.1", port);

    private static Task<NodeStatus> ProbeAsync(SshConnectionOptions options, int port) =>
        new SshNodeProbe(options, TimeProvider.System).ProbeAsync(Target(port), CancellationToken.None);

    private async Task<string> MainKnownHostsAsync() =>
        await fixture.KnownHostsFileAsync(await SshdFixture.KnownHostsLineAsync(fixture.MainPort, fixture.HostKeyPub));

    [Fact]
    public async Task Probe_KnownHost_ReturnsReachableWithHostnameAndKernel()
    {
        var status = await ProbeAsync(fixture.Options(await MainKnownHostsAsync()), fixture.MainPort);

        Assert.True(status.Reachability == Reachability.Reachable, $"{status.Error}\n{fixture.ServerLog}");
        Assert.Null(status.Error);
        Assert.Equal((await ToolRunner.RunAsync("hostname")).Trim(), status.Hostname);
        Assert.Equal((await ToolRunner.RunAsync("uname", "-r")).Trim(), status.Kernel);
        Assert.Equal("node-x", status.Name);
        Assert.NotNull(status.CheckedAt);
    }

    [Fact]
    public async Task Probe_UnknownHostUnderStrict_IsUnreachableWithSshKeygenFingerprint()
    {
        var knownHosts = await fixture.KnownHostsFileAsync("# nothing known yet");

        var status = await ProbeAsync(fixture.Options(knownHosts), fixture.MainPort);

        Assert.Equal(Reachability.Unreachable, status.Reachability);
        Assert.Contains(await fixture.FingerprintAsync(fixture.HostKeyPub), status.Error, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{fixture.MainPort}", status.Error, StringComparison.Ordinal);
        Assert.Contains("unknown", status.Error, StringComparison.Ordinal);
        Assert.Equal("# nothing known yet\n", await File.ReadAllTextAsync(knownHosts));
    }

    [Fact]
    public async Task Probe_AcceptNew_AppendsLineAndSecondProbeWorksUnderStrict()
    {
        var knownHosts = fixture.NewPath("known_hosts_accept_new");

        var first = await ProbeAsync(fixture.Options(knownHosts, HostKeyPolicy.AcceptNew), fixture.MainPort);
        var second = await ProbeAsync(fixture.Options(knownHosts), fixture.MainPort);

        Assert.True(first.Reachability == Reachability.Reachable, first.Error);
        Assert.True(second.Reachability == Reachability.Reachable, second.Error);
        var expected = await SshdFixture.KnownHostsLineAsync(fixture.MainPort, fixture.HostKeyPub);
        Assert.Equal(expected + "\n", await File.ReadAllTextAsync(knownHosts));
    }

    [Theory]
    [InlineData(HostKeyPolicy.Strict)]
    [InlineData(HostKeyPolicy.AcceptNew)]
    public async Task Probe_KnownHostsHasOtherKeyOfSameType_RefusedAsChanged(HostKeyPolicy policy)
    {
        var line = await SshdFixture.KnownHostsLineAsync(fixture.MainPort, fixture.OtherHostKeyPub);
        var knownHosts = await fixture.KnownHostsFileAsync(line);

        var status = await ProbeAsync(fixture.Options(knownHosts, policy), fixture.MainPort);

        Assert.Equal(Reachability.Unreachable, status.Reachability);
        Assert.Contains("CHANGED", status.Error, StringComparison.Ordinal);
        Assert.Contains(await fixture.FingerprintAsync(fixture.HostKeyPub), status.Error, StringComparison.Ordinal);
        Assert.Contains(knownHosts, status.Error, StringComparison.Ordinal);
        Assert.Equal(line + "\n", await File.ReadAllTextAsync(knownHosts));
    }

    [Fact]
    public async Task Probe_RevokedHostKey_Refused()
    {
        var line = await SshdFixture.KnownHostsLineAsync(fixture.MainPort, fixture.HostKeyPub);
        var knownHosts = await fixture.KnownHostsFileAsync(line, "@revoked * " + line.Split(' ', 2)[1]);

        var status = await ProbeAsync(fixture.Options(knownHosts, HostKeyPolicy.AcceptNew), fixture.MainPort);

        Assert.Equal(Reachability.Unreachable, status.Reachability);
        Assert.Contains("REVOKED", status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_WrongClientKey_ReportsAuthenticationFailedNamingTheKey()
    {
        var options = fixture.Options(await MainKnownHostsAsync(), HostKeyPolicy.Strict, fixture.WrongClientKey);

        var status = await ProbeAsync(options, fixture.MainPort);

        Assert.Equal(Reachability.Unreachable, status.Reachability);
        Assert.Contains($"authentication failed for root@127.0.0.1:{fixture.MainPort}", status.Error, StringComparison.Ordinal);
        Assert.Contains(fixture.WrongClientKey, status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_MissingKeyFile_ReportsTheFile()
    {
        var missing = fixture.NewPath("id_missing");
        var options = fixture.Options(await MainKnownHostsAsync(), HostKeyPolicy.Strict, missing);

        var status = await ProbeAsync(options, fixture.MainPort);

        Assert.Equal(Reachability.Unreachable, status.Reachability);
        Assert.Contains($"{missing}: not found", status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_ClosedPort_ReportsConnectionRefused()
    {
        var port = SshdServer.FreePort();

        var status = await ProbeAsync(fixture.Options(await MainKnownHostsAsync()), port);

        Assert.Equal(Reachability.Unreachable, status.Reachability);
        Assert.Contains($"connection refused by 127.0.0.1:{port}", status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_ListenerThatNeverSpeaks_TimesOutWithinTheTimeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var accepted = silent.AcceptTcpClientAsync();
        var options = fixture.Options(await MainKnownHostsAsync()) with { ConnectTimeout = TimeSpan.FromSeconds(2) };

        var clock = Stopwatch.StartNew();
        var status = await ProbeAsync(options, port);

        Assert.Equal(Reachability.Unreachable, status.Reachability);
        Assert.Contains("timed out after 2s", status.Error, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", status.Error, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task Probe_Repeated_KeepsOneSessionAndReconnectsWhenItDies()
    {
        await using var proxy = new TcpDropProxy(fixture.MainPort);
        var knownHosts = await fixture.KnownHostsFileAsync(await SshdFixture.KnownHostsLineAsync(proxy.Port, fixture.HostKeyPub));
        using var probe = new SshNodeProbe(fixture.Options(knownHosts), TimeProvider.System);

        for (var i = 0; i < 3; i++)
        {
            var status = await probe.ProbeAsync(Target(proxy.Port), CancellationToken.None);
            Assert.True(status.Reachability == Reachability.Reachable, status.Error);
        }

        Assert.Equal(1, proxy.Accepted); // three probes, one connection (no key exchange every cycle)

        proxy.Abort();
        var afterDrop = await probe.ProbeAsync(Target(proxy.Port), CancellationToken.None);

        Assert.True(afterDrop.Reachability == Reachability.Reachable, afterDrop.Error);
        Assert.Equal(2, proxy.Accepted);
    }

    [Fact]
    public async Task Probe_KeepSessionsOff_ConnectsEachTime()
    {
        await using var proxy = new TcpDropProxy(fixture.MainPort);
        var knownHosts = await fixture.KnownHostsFileAsync(await SshdFixture.KnownHostsLineAsync(proxy.Port, fixture.HostKeyPub));
        using var probe = new SshNodeProbe(fixture.Options(knownHosts), TimeProvider.System) { KeepSessions = false };

        await probe.ProbeAsync(Target(proxy.Port), CancellationToken.None);
        await probe.ProbeAsync(Target(proxy.Port), CancellationToken.None);

        Assert.Equal(2, proxy.Accepted);
    }

    [Fact]
    public async Task Probe_CallerCancels_ThrowsOperationCanceled()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var probe = new SshNodeProbe(fixture.Options(await MainKnownHostsAsync()), TimeProvider.System);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probe.ProbeAsync(Target(port), cts.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"cancellation took {clock.Elapsed}");
    }

    [Fact]
    public async Task Probe_HashedKnownHostsEntryFromSshKeygen_IsAccepted()
    {
        var knownHosts = await MainKnownHostsAsync();
        await ToolRunner.RunAsync(fixture.SshKeygen, "-H", "-f", knownHosts);
        Assert.StartsWith("|1|", await File.ReadAllTextAsync(knownHosts), StringComparison.Ordinal);

        var status = await ProbeAsync(fixture.Options(knownHosts), fixture.MainPort);

        Assert.True(status.Reachability == Reachability.Reachable, status.Error);
    }

    [Theory]
    [InlineData("id_ed25519")]
    [InlineData("id_rsa")]
    [InlineData("id_ecdsa")]
    public async Task Probe_ClientKeyOfEachType_Authenticates(string keyName)
    {
        var options = fixture.Options(await MainKnownHostsAsync(), HostKeyPolicy.Strict, Path.Combine(fixture.Dir, keyName));

        var status = await ProbeAsync(options, fixture.MainPort);

        Assert.True(status.Reachability == Reachability.Reachable, $"{status.Error}\n{fixture.ServerLog}");
    }

    [Fact]
    public async Task Probe_HostListedOnlyWithEcdsaKey_NegotiatesThatKeyType()
    {
        // The server also has ed25519 and RSA host keys, which SSH.NET would otherwise prefer.
        var knownHosts = await fixture.KnownHostsFileAsync(await SshdFixture.KnownHostsLineAsync(fixture.MultiKeyPort, fixture.MultiKeyEcdsaPub));

        var status = await ProbeAsync(fixture.Options(knownHosts), fixture.MultiKeyPort);

        Assert.True(status.Reachability == Reachability.Reachable, $"{status.Error}\n{fixture.ServerLog}");
    }
}
