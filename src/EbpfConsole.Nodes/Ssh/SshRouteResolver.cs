using EbpfConsole.Core.Nodes;
using EbpfConsole.Nodes.Config;
using EbpfConsole.Nodes.HostKeys;

namespace EbpfConsole.Nodes.Ssh;

/// <summary>
/// Turns a node (its name and InternalIP) into an <see cref="SshRoute"/>: command-line flags first, then ~/.ssh/config,
/// then the defaults, as OpenSSH orders them. Thread-safe; one instance serves a whole fan-out.
/// </summary>
public sealed class SshRouteResolver
{
    /// <summary>OpenSSH's default identities that SSH.NET can use, in ~/.ssh.</summary>
    private static readonly string[] DefaultIdentityNames = ["id_ed25519", "id_ecdsa", "id_rsa"];

    private readonly SshSettings _settings;
    private readonly Func<string, string?>? _passphrase;

    public SshRouteResolver(SshSettings settings, SshConfig config)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(config);
        _settings = settings;
        Config = config;
        _passphrase = settings.Passphrase is { } ask ? new PassphraseCache(ask).Get : null;
    }

    public SshConfig Config { get; }

    /// <summary>
    /// Checks the flags and reads the SSH config they name (<see cref="SshSettings.ConfigFile"/>). Null with a one-line
    /// <paramref name="error"/> (naming the option, or file:line) when either is bad.
    /// </summary>
    public static SshRouteResolver? TryLoad(SshSettings settings, out string? error)
    {
        ArgumentNullException.ThrowIfNull(settings);
        error = settings.Problem();
        if (error is not null)
        {
            return null;
        }

        SshConfigLoadResult loaded = settings.ConfigFile switch
        {
            null => SshConfig.Load(Path.Combine(settings.SshDirectory, "config"), settings.SshDirectory, mustExist: false, settings.HomeDirectory),
            SshSettings.NoConfig => SshConfigLoadResult.Ok(SshConfig.Empty),
            var file => SshConfig.Load(SshTokens.ExpandHome(file, settings.HomeDirectory), settings.SshDirectory, mustExist: true, settings.HomeDirectory),
        };
        error = loaded.Error is null ? null : $"--ssh-config: {loaded.Error}";
        return loaded.Config is { } config ? new SshRouteResolver(settings, config) : null;
    }

    /// <summary>
    /// The route to the node <paramref name="alias"/> whose address is <paramref name="defaultAddress"/> (its InternalIP).
    /// The config is looked up under BOTH names in one pass (a Host line applies when it matches either), so
    /// <c>Host node-*</c> and <c>Host 10.0.*</c> blocks both apply and the block written first wins, as the file's author
    /// ordered them. (Looking up the name first and the IP afterwards would let a trailing <c>Host *</c> matched by the
    /// name beat a specific <c>Host 10.0.*</c> block, which no one writing such a file expects.) A HostName from the
    /// config replaces the address (<c>%h</c> there is the node name); without one the node's InternalIP is used.
    /// <paramref name="defaultPort"/> and <paramref name="defaultUser"/> apply when neither flags nor config say.
    /// </summary>
    public SshRoute Resolve(string alias, string defaultAddress, int defaultPort = 22, string defaultUser = "root")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(alias);
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultAddress);
        IReadOnlyList<string> names = string.Equals(alias, defaultAddress, StringComparison.OrdinalIgnoreCase) ? [alias] : [alias, defaultAddress];
        var host = Config.Lookup(names);
        var user = _settings.User ?? host.User ?? defaultUser;
        var port = _settings.Port ?? host.Port ?? defaultPort;
        var address = host.HostName is { } hostName ? SshTokens.Expand(hostName, Tokens(alias, alias, user, port)) : defaultAddress;
        var tokens = Tokens(address, alias, user, port);

        var knownHosts = _settings.KnownHostsFiles.Count > 0
            ? _settings.KnownHostsFiles.Select(f => SshTokens.ExpandHome(f, _settings.HomeDirectory)).ToList()
            : host.UserKnownHostsFiles?.Select(f => SshTokens.Expand(f, tokens)).ToList()
              ?? [Path.Combine(_settings.SshDirectory, "known_hosts")];

        var options = new SshConnectionOptions
        {
            KnownHostsFiles = knownHosts,
            GlobalKnownHostsFiles = _settings.GlobalKnownHostsFiles,
            IdentityFiles = Identities(host, tokens),
            HostKeyPolicy = Policy(host.StrictHostKeyChecking),
            AskHostKey = _settings.AskHostKey,
            HashNewKnownHosts = _settings.HashNewKnownHosts,
            ConnectTimeout = _settings.ConnectTimeout,
            CommandTimeout = _settings.CommandTimeout,
            Passphrase = _passphrase,
        };
        return new SshRoute(new NodeTarget(alias, address, port, user), Jumps(_settings.Jump ?? host.ProxyJump), options);
    }

    /// <summary>
    /// The jump chain, each hop resolved through the config under its own name (HostName, User, Port, IdentityFile):
    /// a user or port written in the chain beats the config; a hop's user defaults to the local user, as with ssh -J.
    /// A hop's own ProxyJump in the config is not followed: write the whole chain in one ProxyJump or --jump.
    /// </summary>
    private IReadOnlyList<SshHop> Jumps(string? chainText)
    {
        if (chainText is null || !SshJumpSpec.TryParseChain(chainText, out var chain, out _))
        {
            return []; // Both sources were validated when read (SshSettings.Problem, the config parser).
        }

        return [.. chain.Select(spec =>
        {
            var hop = Config.Lookup(spec.Host);
            var user = spec.User ?? hop.User ?? _settings.LocalUser;
            var port = spec.Port ?? hop.Port ?? 22;
            var address = hop.HostName is { } hostName ? SshTokens.Expand(hostName, Tokens(spec.Host, spec.Host, user, port)) : spec.Host;
            return new SshHop(address, port, user, Identities(hop, Tokens(address, spec.Host, user, port)));
        })];
    }

    /// <summary>--identity files first, then the config's IdentityFile entries; OpenSSH's defaults only when neither names any.</summary>
    private List<string> Identities(SshHostConfig host, SshTokenValues tokens)
    {
        var files = _settings.IdentityFiles.Select(f => SshTokens.ExpandHome(f, _settings.HomeDirectory))
            .Concat(host.IdentityFiles.Select(f => SshTokens.Expand(f, tokens)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return files.Count > 0 ? files : [.. DefaultIdentityNames.Select(f => Path.Combine(_settings.SshDirectory, f))];
    }

    /// <summary>--accept-new beats the config. "no" is treated as accept-new (a changed key is never accepted); "ask"
    /// (also the default) asks when there is a callback and refuses otherwise, as ssh does without a terminal.</summary>
    private HostKeyPolicy Policy(StrictHostKeyChecking? configured) => _settings.AcceptNew
        ? HostKeyPolicy.AcceptNew
        : configured switch
        {
            StrictHostKeyChecking.Yes => HostKeyPolicy.Strict,
            StrictHostKeyChecking.AcceptNew or StrictHostKeyChecking.No => HostKeyPolicy.AcceptNew,
            _ => _settings.AskHostKey is null ? HostKeyPolicy.Strict : HostKeyPolicy.Ask,
        };

    private SshTokenValues Tokens(string host, string alias, string user, int port) =>
        new(_settings.HomeDirectory, _settings.LocalUser, host, alias, user, port);
}
