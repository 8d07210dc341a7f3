using EbpfConsole.Core.Nodes;
using EbpfConsole.Nodes.Config;
using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Nodes.Tests;

public sealed class SshRouteResolverTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("ebpf-console-route-").FullName;

    private string SshDir => Path.Combine(_home, ".ssh");

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public void Resolve_NoConfigNoFlags_UsesInternalIpRootPort22AndOpenSshDefaults()
    {
        var route = Resolver("", Settings()).Resolve("node-1", "10.0.0.5");

        Assert.Equal(new NodeTarget("node-1", "10.0.0.5", 22, "root"), route.Target);
        Assert.Empty(route.Jumps);
        Assert.Equal([Path.Combine(SshDir, "known_hosts")], route.Options.KnownHostsFiles);
        Assert.Equal([Path.Combine(SshDir, "id_ed25519"), Path.Combine(SshDir, "id_ecdsa"), Path.Combine(SshDir, "id_rsa")], route.Options.IdentityFiles);
        Assert.Equal(HostKeyPolicy.Strict, route.Options.HostKeyPolicy);
        Assert.Equal("root@10.0.0.5:22", route.ToString());
    }

    [Fact]
    public void Resolve_ConfigForTheNodeName_AppliesHostNameUserPortIdentityAndKnownHosts()
    {
        const string config = """
            Host node-*
              HostName %h.lab.test
              User ops
              Port 2200
              IdentityFile ~/.ssh/%n_%r
              UserKnownHostsFile %d/.ssh/lab_known_hosts
              StrictHostKeyChecking accept-new
            """;

        var route = Resolver(config, Settings()).Resolve("node-1", "10.0.0.5");

        Assert.Equal(new NodeTarget("node-1", "node-1.lab.test", 2200, "ops"), route.Target);
        Assert.Equal([Path.Combine(SshDir, "node-1_ops")], route.Options.IdentityFiles);
        Assert.Equal([Path.Combine(SshDir, "lab_known_hosts")], route.Options.KnownHostsFiles);
        Assert.Equal(HostKeyPolicy.AcceptNew, route.Options.HostKeyPolicy);
    }

    [Fact]
    public void Resolve_ConfigForTheInternalIp_AppliesWhenNoBlockNamesTheNode()
    {
        var route = Resolver("Host 10.0.0.*\n  User ubuntu\n  Port 2022\n", Settings()).Resolve("node-1", "10.0.0.5");

        Assert.Equal(new NodeTarget("node-1", "10.0.0.5", 2022, "ubuntu"), route.Target);
    }

    [Fact]
    public void Resolve_FlagsBeatTheConfig()
    {
        const string config = """
            Host node-1
              User ops
              Port 2200
              IdentityFile ~/.ssh/from_config
              ProxyJump cfgjump
              UserKnownHostsFile ~/.ssh/cfg_known
              StrictHostKeyChecking yes
            """;
        var settings = Settings() with
        {
            User = "admin",
            Port = 2301,
            IdentityFiles = ["~/flag_key"],
            Jump = "j@10.9.9.9:2022",
            KnownHostsFiles = ["~/flag_known"],
            AcceptNew = true,
        };
        File.WriteAllText(Path.Combine(_home, "flag_key"), "x");

        var route = Resolver(config, settings).Resolve("node-1", "10.0.0.5");

        Assert.Equal(new NodeTarget("node-1", "10.0.0.5", 2301, "admin"), route.Target);
        Assert.Equal([Path.Combine(_home, "flag_key"), Path.Combine(SshDir, "from_config")], route.Options.IdentityFiles);
        Assert.Equal([Path.Combine(_home, "flag_known")], route.Options.KnownHostsFiles);
        Assert.Equal(HostKeyPolicy.AcceptNew, route.Options.HostKeyPolicy);
        Assert.Equal(new SshHop("10.9.9.9", 2022, "j", [Path.Combine(_home, "flag_key")]), Assert.Single(route.Jumps), HopComparer.Instance);
    }

    [Fact]
    public void Resolve_JumpNoneFlag_DisablesTheConfigsProxyJump()
    {
        var route = Resolver("Host *\n  ProxyJump bastion\n", Settings() with { Jump = "none" }).Resolve("node-1", "10.0.0.5");

        Assert.Empty(route.Jumps);
    }

    [Fact]
    public void Resolve_ProxyJumpChain_ResolvesEachHopThroughTheConfigWithTheChainsUserAndPortWinning()
    {
        const string config = """
            Host bastion
              HostName 192.0.2.10
              User jumper
              Port 2222
              IdentityFile ~/.ssh/bastion_key
            Host node-*
              ProxyJump bastion,admin@inner:2200
            """;

        var route = Resolver(config, Settings()).Resolve("node-1", "10.0.0.5");

        Assert.Equal(2, route.Jumps.Count);
        Assert.Equal(new SshHop("192.0.2.10", 2222, "jumper", [Path.Combine(SshDir, "bastion_key")]), route.Jumps[0], HopComparer.Instance);
        Assert.Equal("admin@inner:2200", route.Jumps[1].Endpoint);
        Assert.Equal("root@10.0.0.5:22 via jumper@192.0.2.10:2222, admin@inner:2200", route.ToString());
    }

    [Fact]
    public void Resolve_JumpHostWithoutUser_LogsInAsTheLocalUserLikeSshJ()
    {
        var route = Resolver("", Settings() with { Jump = "10.9.9.9" }).Resolve("node-1", "10.0.0.5");

        Assert.Equal("me@10.9.9.9:22", Assert.Single(route.Jumps).Endpoint);
    }

    [Theory]
    [InlineData("yes", false, HostKeyPolicy.Strict)]
    [InlineData("no", false, HostKeyPolicy.AcceptNew)]
    [InlineData("ask", false, HostKeyPolicy.Strict)]
    [InlineData("ask", true, HostKeyPolicy.Ask)]
    [InlineData(null, true, HostKeyPolicy.Ask)]
    public void Resolve_StrictHostKeyChecking_MapsToAPolicyThatNeverAcceptsAChangedKey(string? value, bool canAsk, HostKeyPolicy expected)
    {
        var config = value is null ? "" : $"Host *\n  StrictHostKeyChecking {value}\n";
        var settings = Settings() with { AskHostKey = canAsk ? _ => true : null };

        Assert.Equal(expected, Resolver(config, settings).Resolve("node-1", "10.0.0.5").Options.HostKeyPolicy);
    }

    [Fact]
    public void TryLoad_ConfigNone_IgnoresTheUsersConfig()
    {
        Directory.CreateDirectory(SshDir);
        File.WriteAllText(Path.Combine(SshDir, "config"), "Host *\n  User fromconfig\n");

        var withConfig = SshRouteResolver.TryLoad(Settings(), out _)!;
        var without = SshRouteResolver.TryLoad(Settings() with { ConfigFile = SshSettings.NoConfig }, out _)!;

        Assert.Equal("fromconfig", withConfig.Resolve("n", "10.0.0.1").Target.User);
        Assert.Equal("root", without.Resolve("n", "10.0.0.1").Target.User);
    }

    [Fact]
    public void TryLoad_MalformedConfig_IsOneLineNamingTheOptionFileAndLine()
    {
        Directory.CreateDirectory(SshDir);
        var path = Path.Combine(SshDir, "config");
        File.WriteAllText(path, "Host *\n  Port x\n");

        var resolver = SshRouteResolver.TryLoad(Settings(), out var error);

        Assert.Null(resolver);
        Assert.Equal($"--ssh-config: {path}:2: Port 'x' is not a number from 1 to 65535", error);
    }

    [Theory]
    [InlineData("--ssh-port 0: must be from 1 to 65535")]
    [InlineData("--jump: jump host 'a b': invalid host 'a b': character ' ' at position 2 is not allowed; only a host name (letters, digits, '-', '.', '_') or an IPv4/IPv6 address is allowed")]
    [InlineData("--identity /nonexistent/key: file not found")]
    [InlineData("--ssh-config: /nonexistent/config: SSH config file not found")]
    public void TryLoad_BadFlag_IsOneLineNamingTheOption(string expected)
    {
        var settings = expected.Split(' ')[0] switch
        {
            "--ssh-port" => Settings() with { Port = 0 },
            "--jump:" => Settings() with { Jump = "a b" },
            "--identity" => Settings() with { IdentityFiles = ["/nonexistent/key"] },
            _ => Settings() with { ConfigFile = "/nonexistent/config" },
        };

        Assert.Null(SshRouteResolver.TryLoad(settings, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Resolve_PassphraseCallback_IsAskedOncePerKeyAcrossRoutes()
    {
        var asked = 0;
        var resolver = Resolver("", Settings() with { Passphrase = _ => { asked++; return "pw"; } });

        var first = resolver.Resolve("node-1", "10.0.0.5").Options.Passphrase!;
        var second = resolver.Resolve("node-2", "10.0.0.6").Options.Passphrase!;

        Assert.Equal("pw", first("/k"));
        Assert.Equal("pw", second("/k"));
        Assert.Equal(1, asked);
    }

    private SshSettings Settings() => new()
    {
        HomeDirectory = _home,
        LocalUser = "me",
        GlobalKnownHostsFiles = [],
    };

    private static SshRouteResolver Resolver(string config, SshSettings settings)
    {
        var parsed = SshConfig.Parse(config, "test-config", settings.SshDirectory, settings.HomeDirectory);
        Assert.True(parsed.Config is not null, parsed.Error);
        return new SshRouteResolver(settings, parsed.Config);
    }

    private sealed class HopComparer : IEqualityComparer<SshHop>
    {
        public static HopComparer Instance { get; } = new();

        public bool Equals(SshHop? x, SshHop? y) =>
            x is not null && y is not null && x.Host == y.Host && x.Port == y.Port && x.User == y.User && x.IdentityFiles.SequenceEqual(y.IdentityFiles);

        public int GetHashCode(SshHop obj) => obj.Host.GetHashCode(StringComparison.Ordinal);
    }
}
