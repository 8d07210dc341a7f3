using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Integration.Tests.Support;
using EbpfConsole.Nodes;
using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.KnownHosts;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Integration.Tests.Ssh;

/// <summary>OpenSSH parity against a real sshd (port fallback, global file) and the timing of Ask and probe timeouts.</summary>
[Collection("ssh")]
public sealed class SshParityTests(SshdFixture fixture)
{
    private NodeTarget Main => new("main", "127.0.0.1", fixture.MainPort);

    private async Task<string> BareMainLineAsync(string pubPath) =>
        (await SshdFixture.KnownHostsLineAsync(fixture.MainPort, pubPath)).Replace($"[127.0.0.1]:{fixture.MainPort}", "127.0.0.1", StringComparison.Ordinal);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Strict_OnlyABareHostEntry_AgreesWithOpenSsh(bool sameKey)
    {
        var knownHosts = await fixture.KnownHostsFileAsync(await BareMainLineAsync(sameKey ? fixture.HostKeyPub : fixture.OtherHostKeyPub));

        var result = await new SshConnector(fixture.Options(knownHosts)).ConnectAsync(Main, CancellationToken.None);
        result.Session?.Dispose();
        var openSsh = await OpenSshConnectsAsync(knownHosts);

        Assert.Equal(sameKey, result.Session is not null);
        Assert.Equal(openSsh, result.Session is not null);
        if (!sameKey)
        {
            Assert.Equal(SshFailureKind.HostKeyUnknown, result.Failure!.Kind); // OpenSSH: new, not changed, on another port
        }
    }

    [Fact]
    public async Task AcceptNew_KeyDiffersFromTheGlobalFile_RefusedAsChanged()
    {
        var global = await fixture.KnownHostsFileAsync(await SshdFixture.KnownHostsLineAsync(fixture.MainPort, fixture.OtherHostKeyPub));
        var user = fixture.NewPath("known_hosts_user");
        var options = fixture.Options(user, HostKeyPolicy.AcceptNew) with { GlobalKnownHostsFiles = [global] };

        var result = await new SshConnector(options).ConnectAsync(Main, CancellationToken.None);
        result.Session?.Dispose();

        Assert.Equal(SshFailureKind.HostKeyChanged, result.Failure?.Kind);
        Assert.Contains(global, result.Failure!.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(user));
    }

    [Fact]
    public async Task Ask_AnsweredYesAfterTheConnectTimeout_FailsAndWritesNothing()
    {
        var knownHosts = fixture.NewPath("known_hosts_late_yes");
        using var answered = new ManualResetEventSlim();
        var options = fixture.Options(knownHosts, HostKeyPolicy.Ask) with
        {
            ConnectTimeout = TimeSpan.FromSeconds(1),
            AskHostKey = _ =>
            {
                Thread.Sleep(TimeSpan.FromSeconds(2.5)); // the user reads the fingerprint for longer than the connect timeout
                answered.Set();
                return true;
            },
        };

        var clock = Stopwatch.StartNew();
        var result = await new SshConnector(options).ConnectAsync(Main, CancellationToken.None);
        result.Session?.Dispose();
        var elapsed = clock.Elapsed;
        Assert.True(answered.Wait(TimeSpan.FromSeconds(10)), "never asked");
        await Task.Delay(200); // let a (wrong) late write land before looking

        Assert.True(result.Session is null, "connected although the answer came after the connect timeout");
        Assert.False(File.Exists(knownHosts), "a late yes was written to known_hosts");
        Assert.InRange(elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task Probe_OwnTimeoutShorterThanTheConnectTimeout_IsUnreachableTimedOut()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var options = fixture.Options(fixture.NewPath("known_hosts_probe")) with { ConnectTimeout = TimeSpan.FromSeconds(30) };
        var probe = new SshNodeProbe(options, TimeProvider.System, TimeSpan.FromSeconds(1));

        var status = await probe.ProbeAsync(new NodeTarget("silent", "127.0.0.1", port), CancellationToken.None);

        Assert.Equal(Reachability.Unreachable, status.Reachability);
        Assert.Equal($"timed out after 1s probing root@127.0.0.1:{port}", status.Error);
    }

    /// <summary>Whether OpenSSH's ssh, strict and batch, connects to Main with <paramref name="knownHosts"/> as its only file.</summary>
    private async Task<bool> OpenSshConnectsAsync(string knownHosts)
    {
        var info = new ProcessStartInfo(Requirements.Tool("ssh")) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var arg in new[]
                 {
                     "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", $"UserKnownHostsFile={knownHosts}",
                     "-o", "GlobalKnownHostsFile=/dev/null", "-o", "CheckHostIP=no", "-i", fixture.ClientEd25519,
                     "-p", fixture.MainPort.ToString(CultureInfo.InvariantCulture), "root@127.0.0.1", "true",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        using var ssh = Process.Start(info)!;
        ssh.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Task.WhenAll(ssh.StandardOutput.ReadToEndAsync(timeout.Token), ssh.StandardError.ReadToEndAsync(timeout.Token), ssh.WaitForExitAsync(timeout.Token));
        return ssh.ExitCode == 0;
    }
}
