using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Nodes.Tests;

public sealed class SshNodeProbeTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Theory]
    [InlineData("node-1\n6.8.0-45-generic\n", "node-1", "6.8.0-45-generic")]
    [InlineData("node-1\r\n6.1.0-28-amd64\r\n", "node-1", "6.1.0-28-amd64")]
    public void ParseOutput_HostnameThenKernel(string output, string hostname, string kernel)
    {
        Assert.Equal((hostname, kernel), SshNodeProbe.ParseOutput(output));
    }

    [Theory]
    [InlineData("")]
    [InlineData("node-1\n")]
    public void ParseOutput_Incomplete_IsNull(string output)
    {
        Assert.Null(SshNodeProbe.ParseOutput(output));
    }

    [Fact]
    public async Task ProbeAsync_NoUsableKey_IsUnreachableStampedByTheInjectedClock()
    {
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var options = new SshConnectionOptions { IdentityFiles = [Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))] };
        var probe = new SshNodeProbe(options, new FixedClock(now));

        var status = await probe.ProbeAsync(new NodeTarget("node-1", "127.0.0.1"), CancellationToken.None);

        Assert.Equal(Reachability.Unreachable, status.Reachability);
        Assert.Equal(now, status.CheckedAt);
        Assert.Contains("no usable private key", status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_ProbeTimeoutBeforeTheConnectTimeout_IsUnreachableNotAnException()
    {
        // A loopback listener that accepts and never speaks: the probe's own 1s limit ends it, not the 30s connect timeout.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var dir = Directory.CreateTempSubdirectory("ebpf-probe-").FullName;
        try
        {
            var key = Path.Combine(dir, "id_ecdsa");
            using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                await File.WriteAllTextAsync(key, ecdsa.ExportECPrivateKeyPem());
            }

            var options = new SshConnectionOptions
            {
                KnownHostsFiles = [Path.Combine(dir, "known_hosts")], GlobalKnownHostsFiles = [], IdentityFiles = [key],
                ConnectTimeout = TimeSpan.FromSeconds(30), CommandTimeout = TimeSpan.FromSeconds(30),
            };
            var probe = new SshNodeProbe(options, TimeProvider.System, TimeSpan.FromSeconds(1));

            var clock = Stopwatch.StartNew();
            var status = await probe.ProbeAsync(new NodeTarget("node-1", "127.0.0.1", port), CancellationToken.None);

            Assert.Equal(Reachability.Unreachable, status.Reachability);
            Assert.Equal($"timed out after 1s probing root@127.0.0.1:{port}", status.Error);
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(10));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Timeout_DefaultsToConnectPlusCommandTimeout()
    {
        var options = new SshConnectionOptions { ConnectTimeout = TimeSpan.FromSeconds(3), CommandTimeout = TimeSpan.FromSeconds(4) };

        Assert.Equal(TimeSpan.FromSeconds(7), new SshNodeProbe(options, TimeProvider.System).Timeout);
    }
}
