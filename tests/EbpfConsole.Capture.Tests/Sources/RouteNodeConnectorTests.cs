using EbpfConsole.Capture.Sources;
using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Capture.Tests.Sources;

/// <summary>
/// How a capture point's node becomes an SSH route, as preflight resolves it: ssh_config under the node's name, flags
/// first, the given address (InternalIP or --node NAME=IP) else the name; the reach guard before anything is sent.
/// The connection itself is a fake: nothing here touches the network.
/// </summary>
public sealed class RouteNodeConnectorTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("ebpf-console-route-").FullName;
    private readonly List<SshRoute> _connected = [];

    public RouteNodeConnectorTests() => Directory.CreateDirectory(Path.Combine(_home, ".ssh"));

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task ConnectAsync_NodeInSshConfig_GoesToItsHostNameAsItsUserThroughItsProxyJump()
    {
        var connector = Connector(Settings(Config(
            "Host node-1",
            "  HostName 192.0.2.11",
            "  User admin",
            "  Port 2222",
            "  ProxyJump ops@bastion.example:2200",
            "  IdentityFile ~/.ssh/node_key")), _ => "10.0.0.1");

        var result = await connector.ConnectAsync("node-1", CancellationToken.None);

        Assert.NotNull(result.Failure);
        var route = Assert.Single(_connected);
        Assert.Equal(("node-1", "192.0.2.11", 2222, "admin"), (route.Target.Name, route.Target.Address, route.Target.Port, route.Target.User));
        var hop = Assert.Single(route.Jumps);
        Assert.Equal("ops@bastion.example:2200", hop.Endpoint);
        Assert.Contains(Path.Combine(_home, ".ssh", "node_key"), route.Options.IdentityFiles);
    }

    [Fact]
    public async Task ConnectAsync_NoConfigEntry_UsesTheGivenAddressAndTheDefaultUser()
    {
        var connector = Connector(Settings(Config("Host other", "  HostName 192.0.2.99")), n => n == "node-2" ? "10.0.0.2" : null);

        await connector.ConnectAsync("node-2", CancellationToken.None);

        var route = Assert.Single(_connected);
        Assert.Equal(("10.0.0.2", 22, "tester"), (route.Target.Address, route.Target.Port, route.Target.User));
        Assert.Empty(route.Jumps);
        Assert.Equal([Path.Combine(_home, ".ssh", "known_hosts")], route.Options.KnownHostsFiles);
    }

    [Fact]
    public void RouteTo_NoAddressKnown_TheNodeNameIsTheHost_AsWithSshNode()
    {
        var connector = Connector(Settings(null), _ => null);

        var route = connector.RouteTo("worker-3.example");

        Assert.Equal("worker-3.example", route.Target.Address);
    }

    [Fact]
    public void RouteTo_FlagsBeatTheConfig()
    {
        var settings = Settings(Config("Host node-1", "  User admin", "  ProxyJump bastion.example")) with
        {
            User = "ops",
            Jump = "root@jump.example:2022",
            KnownHostsFiles = [Path.Combine(_home, "given_known_hosts")],
            AcceptNew = true,
        };

        var route = Connector(settings, _ => "10.0.0.1").RouteTo("node-1");

        Assert.Equal("ops", route.Target.User);
        Assert.Equal("root@jump.example:2022", Assert.Single(route.Jumps).Endpoint);
        Assert.Equal([Path.Combine(_home, "given_known_hosts")], route.Options.KnownHostsFiles);
        Assert.Equal(HostKeyPolicy.AcceptNew, route.Options.HostKeyPolicy);
    }

    [Fact]
    public void RouteTo_LabSettings_IgnoreTheUsersSshConfig_StrictWithTheLabsFilesOnly()
    {
        Config("Host *", "  User someone", "  ProxyJump bastion.example", "  StrictHostKeyChecking no");
        var settings = Settings(SshSettings.NoConfig) with
        {
            IdentityFiles = [Touch("lab_key")],
            KnownHostsFiles = [Path.Combine(_home, "lab_known_hosts")],
            GlobalKnownHostsFiles = [],
        };

        var route = Connector(settings, _ => "10.99.0.11", "root").RouteTo("node-1");

        Assert.Equal("root@10.99.0.11:22", route.Endpoint);
        Assert.Empty(route.Jumps);
        Assert.Equal(HostKeyPolicy.Strict, route.Options.HostKeyPolicy);
        Assert.Equal([Path.Combine(_home, "lab_known_hosts")], route.Options.KnownHostsFiles);
        Assert.Empty(route.Options.GlobalKnownHostsFiles);
        Assert.Equal([Path.Combine(_home, "lab_key")], route.Options.IdentityFiles);
    }

    [Fact]
    public async Task ConnectAsync_GuardRefusesTheTarget_NothingIsConnected_AndTheRefusalIsTheFailure()
    {
        var guarded = new List<string>();
        var connector = Connector(Settings(null), _ => "10.99.0.11", guard: (address, _) =>
        {
            guarded.Add(address);
            return Task.FromResult<string?>($"{address} is not routed through the lab's link: not connecting");
        });

        var result = await connector.ConnectAsync("node-1", CancellationToken.None);

        Assert.Null(result.Session);
        Assert.Equal("10.99.0.11 is not routed through the lab's link: not connecting", result.Failure?.Message);
        Assert.Equal(["10.99.0.11"], guarded);
        Assert.Empty(_connected);
    }

    [Fact]
    public async Task ConnectAsync_Guard_SeesEveryJumpHostBeforeTheTarget()
    {
        var guarded = new List<string>();
        var settings = Settings(null) with { Jump = "root@198.51.100.1,root@198.51.100.2" };
        var connector = Connector(settings, _ => "10.99.0.11", guard: (address, _) =>
        {
            guarded.Add(address);
            return Task.FromResult(address == "198.51.100.2" ? "refused" : null);
        });

        var result = await connector.ConnectAsync("node-1", CancellationToken.None);

        Assert.Equal("refused", result.Failure?.Message);
        Assert.Equal(["198.51.100.1", "198.51.100.2"], guarded);
        Assert.Empty(_connected);
    }

    [Fact]
    public async Task ConnectAsync_GuardAllows_Connects()
    {
        var connector = Connector(Settings(null), _ => "10.99.0.11", guard: (_, _) => Task.FromResult<string?>(null));

        await connector.ConnectAsync("node-1", CancellationToken.None);

        Assert.Equal("10.99.0.11", Assert.Single(_connected).Target.Address);
    }

    [Fact]
    public async Task ConnectAsync_FailureNotNamingTheHost_IsPrefixedWithUserHostPort()
    {
        var connector = Connector(Settings(null), _ => "10.0.0.5", failure: "authentication failed (tried /k)");

        var result = await connector.ConnectAsync("node-5", CancellationToken.None);

        Assert.Equal("tester@10.0.0.5:22: authentication failed (tried /k)", result.Failure?.Message);
    }

    [Fact]
    public async Task ConnectAsync_FailureNamingTheHost_IsKeptAsItIs()
    {
        var connector = Connector(Settings(null), _ => "10.0.0.5", failure: "tester@10.0.0.5:22: connection refused");

        var result = await connector.ConnectAsync("node-5", CancellationToken.None);

        Assert.Equal("tester@10.0.0.5:22: connection refused", result.Failure?.Message);
    }

    private SshSettings Settings(string? configFile) => new()
    {
        HomeDirectory = _home,
        LocalUser = "tester",
        ConfigFile = configFile,
        GlobalKnownHostsFiles = [],
    };

    /// <summary>Writes ~/.ssh/config in the test's home and returns its path.</summary>
    private string Config(params string[] lines)
    {
        var path = Path.Combine(_home, ".ssh", "config");
        File.WriteAllLines(path, lines);
        return path;
    }

    private string Touch(string name)
    {
        var path = Path.Combine(_home, name);
        File.WriteAllText(path, "");
        return path;
    }

    private RouteNodeConnector Connector(
        SshSettings settings,
        Func<string, string?> addressOf,
        string defaultUser = "tester",
        Func<string, CancellationToken, Task<string?>>? guard = null,
        string failure = "not connected in this test")
    {
        var resolver = SshRouteResolver.TryLoad(settings, out var error);
        Assert.True(resolver is not null, error);
        return new RouteNodeConnector(resolver, addressOf, defaultUser, guard, (route, _) =>
        {
            _connected.Add(route);
            return Task.FromResult(SshConnectResult.Failed(new SshFailure(SshFailureKind.AuthenticationFailed, failure)));
        });
    }
}
