using System.Globalization;
using EbpfConsole.Nodes.HostKeys;

namespace EbpfConsole.Nodes.Ssh;

/// <summary>
/// Everything the command line says about SSH (the CLI fills it from its options). Flags beat ~/.ssh/config, which
/// beats the defaults; <see cref="SshRouteResolver"/> puts them together per node.
/// </summary>
public sealed record SshSettings
{
    /// <summary>The value of <see cref="ConfigFile"/> that ignores every ssh_config file.</summary>
    public const string NoConfig = "none";

    /// <summary><c>--ssh-user</c>: login user on the nodes (not on jump hosts).</summary>
    public string? User { get; init; }

    /// <summary><c>--identity FILE</c> (repeatable): offered before the config's IdentityFile entries, for nodes and jump hosts.</summary>
    public IReadOnlyList<string> IdentityFiles { get; init; } = [];

    /// <summary><c>--jump [user@]host[:port][,…]</c> or <c>none</c>: replaces the config's ProxyJump.</summary>
    public string? Jump { get; init; }

    /// <summary><c>--ssh-port</c>: the nodes' sshd port (not the jump hosts').</summary>
    public int? Port { get; init; }

    /// <summary><c>--known-hosts FILE</c> (repeatable): replaces the config's UserKnownHostsFile; the first receives new keys.</summary>
    public IReadOnlyList<string> KnownHostsFiles { get; init; } = [];

    /// <summary><c>--accept-new</c>: unknown host keys are added (StrictHostKeyChecking=accept-new); beats the config.</summary>
    public bool AcceptNew { get; init; }

    /// <summary><c>--ssh-config FILE</c>: null = ~/.ssh/config if it exists; <see cref="NoConfig"/> = none; a FILE must exist.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Asks about unknown host keys (the TUI); without it "ask" means refuse, as ssh does without a terminal.</summary>
    public Func<HostKeyQuestion, bool>? AskHostKey { get; init; }

    /// <summary>Asks for a protected key's passphrase (argument: the key path); null answer skips the key.</summary>
    public Func<string, string?>? Passphrase { get; init; }

    /// <summary>Write new known_hosts entries hashed.</summary>
    public bool HashNewKnownHosts { get; init; }

    /// <summary>System-wide known_hosts files (read only).</summary>
    public IReadOnlyList<string> GlobalKnownHostsFiles { get; init; } = SshConnectionOptions.DefaultGlobalKnownHostsFiles;

    /// <summary>Limit for reaching and logging in to one host (each jump hop has its own).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Limit for one remote command.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The home directory for <c>~</c>, <c>%d</c> and the default ~/.ssh paths (tests set it).</summary>
    public string HomeDirectory { get; init; } = Config.SshTokens.DefaultHomeDirectory;

    /// <summary>The local user name (<c>%u</c>, and the login user on jump hosts that name none, as ssh does).</summary>
    public string LocalUser { get; init; } = Environment.UserName;

    public string SshDirectory => Path.Combine(HomeDirectory, ".ssh");

    /// <summary>Null when the flags can work; otherwise one line naming the option and what is allowed.</summary>
    public string? Problem()
    {
        if (Port is { } port && port is < 1 or > 65535)
        {
            return string.Create(CultureInfo.InvariantCulture, $"--ssh-port {port}: must be from 1 to 65535");
        }

        if (User is { } user && (user.Length == 0 || user.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '@')))
        {
            return $"--ssh-user '{KnownHosts.HostNames.Quote(user)}': not a valid user name";
        }

        if (Jump is { } jump && !SshJumpSpec.TryParseChain(jump, out _, out var jumpError))
        {
            return $"--jump: {jumpError}";
        }

        if (IdentityFiles.FirstOrDefault(f => !File.Exists(Config.SshTokens.ExpandHome(f, HomeDirectory))) is { } missing)
        {
            return $"--identity {missing}: file not found";
        }

        if (ConnectTimeout <= TimeSpan.Zero || CommandTimeout <= TimeSpan.Zero)
        {
            return "SSH timeouts must be positive";
        }

        return null;
    }
}
