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
    public void Timeout_DefaultsToConnectPlusCommandTimeout()
    {
        var options = new SshConnectionOptions { ConnectTimeout = TimeSpan.FromSeconds(3), CommandTimeout = TimeSpan.FromSeconds(4) };

        Assert.Equal(TimeSpan.FromSeconds(7), new SshNodeProbe(options, TimeProvider.System).Timeout);
    }
}
