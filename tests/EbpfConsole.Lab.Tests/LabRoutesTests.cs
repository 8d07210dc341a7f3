using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

public sealed class LabRoutesTests : IDisposable
{
    private const string Match = "ip -o route show table all match 10.99.0.0/24";
    private const string Root = "ip -o route show table all root 10.99.0.0/24";

    private readonly LabBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Theory]
    [InlineData("default via 192.0.2.1 dev eth0 ", false)]
    [InlineData("default dev wg0 table 51820 scope link ", false)]
    [InlineData("unreachable default table 7", false)]
    [InlineData("10.99.0.0/24 dev eclab-host proto kernel scope link src 10.99.0.1 ", false)]
    [InlineData("local 10.99.0.1 dev eclab-host table local proto kernel scope host src 10.99.0.1 ", false)]
    [InlineData("broadcast 10.99.0.255 dev eclab-host table local proto kernel scope link src 10.99.0.1 ", false)]
    [InlineData("10.99.0.0/16 via 192.0.2.9 dev eth0 ", true)]
    [InlineData("10.0.0.0/8 dev tun0 scope link ", true)]
    [InlineData("10.99.0.12 via 10.8.0.1 dev tun0 table 100 ", true)]
    [InlineData("local 10.99.0.11 dev eth1 table local proto kernel scope host src 10.99.0.11 ", true)]
    [InlineData("unreachable 10.99.0.0/24 ", true)]
    public void IsConflict_OnlyTheDefaultRouteAndEclabHostAreFine(string line, bool conflict)
    {
        Assert.Equal(conflict, LabRoutes.IsConflict(line));
    }

    [Fact]
    public async Task Up_LabSubnetRoutedElsewhere_RefusesBeforeCreatingAnything()
    {
        _bed.Runner.On(Match, new CommandResult(0, "default via 192.0.2.1 dev eth0 \n10.99.0.0/16 via 192.0.2.9 dev eth0 \n", string.Empty))
            .On("ip -o route get 10.99.0.11", new CommandResult(0, "10.99.0.11 via 192.0.2.9 dev eth0 src 192.0.2.2 uid 0 \\    cache \n", string.Empty));

        var ex = await Assert.ThrowsAsync<LabException>(() => _bed.Service().UpAsync("healthy", CancellationToken.None));

        Assert.StartsWith("the root namespace already routes the lab subnet 10.99.0.0/24 elsewhere ('10.99.0.0/16 via 192.0.2.9 dev eth0'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("10.99.0.11 via 192.0.2.9 dev eth0", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(["ip netns list", Match, Root, "ip -o route get 10.99.0.11"], _bed.Runner.Calls);
        Assert.False(File.Exists(_bed.Machine.OwnerPath));
    }

    [Fact]
    public async Task Up_HostRouteInsideTheLabSubnet_Refuses()
    {
        _bed.Runner.On(Root, new CommandResult(0, "10.99.0.12 via 10.8.0.1 dev tun0 \n", string.Empty));

        var ex = await Assert.ThrowsAsync<LabException>(() => _bed.Service().UpAsync("healthy", CancellationToken.None));

        Assert.Contains("'10.99.0.12 via 10.8.0.1 dev tun0'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_bed.Runner.Calls, c => c.Contains("netns add", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Up_OnlyTheDefaultRoute_Builds()
    {
        _bed.WriteKeys();
        _bed.Runner.On(Match, new CommandResult(0, "default via 192.0.2.1 dev eth0 \n", string.Empty));

        // Nothing really starts, so the short health wait fails; the build itself went ahead.
        await Assert.ThrowsAsync<LabException>(() => _bed.Service().UpAsync("healthy", CancellationToken.None));

        Assert.Contains("ip netns add eclab-net", _bed.Runner.Calls);
    }

    [Theory]
    [InlineData(0, "10.99.0.11 dev eclab-host src 10.99.0.1 uid 0 \\    cache ", true)]
    [InlineData(0, "10.99.0.11 via 192.0.2.1 dev eth0 src 192.0.2.2 uid 0 \\    cache ", false)]
    [InlineData(0, "10.99.0.11 dev eclab-hostile src 10.99.0.1", false)]
    [InlineData(2, "", false)]
    public async Task RoutesViaLab_OnlyWhenRouteGetSaysDevEclabHost(int exitCode, string output, bool expected)
    {
        _bed.Runner.On("ip -o route get 10.99.0.11", new CommandResult(exitCode, output, exitCode == 0 ? string.Empty : "RTNETLINK answers: Network is unreachable"));

        Assert.Equal(expected, await LabRoutes.RoutesViaLabAsync(new LabShell(_bed.Runner), "10.99.0.11", CancellationToken.None));
    }
}
