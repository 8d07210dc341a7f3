using EbpfConsole.Lab;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Cli.Connect;

/// <summary>
/// The SSH settings every verb that reaches nodes uses (preflight, capture, the console): from the flags and
/// ~/.ssh/config, or with <c>--lab</c> the lab's key and known_hosts only, strict, no ssh_config.
/// </summary>
internal static class NodeSsh
{
    /// <summary>What <c>--lab</c> says to SSH flags it would ignore.</summary>
    public const string LabFlagsMessage = "--lab uses the lab's own SSH key and known_hosts; leave out the SSH options";

    /// <summary>Flags beat ~/.ssh/config (or <c>--ssh-config</c>); the prompts ask about unknown host keys and passphrases.</summary>
    public static SshSettings Settings(SshFlags flags, Prompts prompts)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(prompts);
        return new SshSettings
        {
            User = flags.User,
            IdentityFiles = flags.Identities,
            Jump = flags.Jump,
            Port = flags.Port,
            AcceptNew = flags.AcceptNew,
            KnownHostsFiles = flags.KnownHosts,
            ConfigFile = flags.Config,
            AskHostKey = prompts.AskHostKey,
            Passphrase = prompts.Passphrase,
        };
    }

    /// <summary>
    /// The lab's nodes are vouched for by the lab's own key and known_hosts only (no ~/.ssh/config, no global files, no
    /// question: an unknown key is refused). SSH flags are refused rather than ignored.
    /// </summary>
    /// <exception cref="ConnectionSetupException">Some SSH flag was given.</exception>
    public static SshSettings Lab(LabPaths paths, SshFlags flags, Prompts prompts)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(prompts);
        RefuseFlagsWithLab(flags);
        return new SshSettings
        {
            ConfigFile = SshSettings.NoConfig,
            IdentityFiles = [paths.SshPrivateKeyPath],
            KnownHostsFiles = [paths.KnownHostsPath],
            GlobalKnownHostsFiles = [],
            AskHostKey = null,
            Passphrase = prompts.Passphrase,
        };
    }

    /// <summary>With <c>--lab</c> no SSH flag applies: one given is refused rather than ignored.</summary>
    /// <exception cref="ConnectionSetupException">Some SSH flag was given.</exception>
    public static void RefuseFlagsWithLab(SshFlags flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        if (flags.User is not null || flags.Identities.Count > 0 || flags.Jump is not null || flags.Port is not null
            || flags.KnownHosts.Count > 0 || flags.Config is not null || flags.AcceptNew)
        {
            throw new ConnectionSetupException(LabFlagsMessage);
        }
    }

    /// <summary>The resolver for <paramref name="settings"/>; a bad flag or ssh_config line is one line.</summary>
    /// <exception cref="ConnectionSetupException">What <see cref="SshRouteResolver.TryLoad"/> refused, in one line.</exception>
    public static SshRouteResolver Resolver(SshSettings settings) =>
        SshRouteResolver.TryLoad(settings, out var error) ?? throw new ConnectionSetupException(error!);
}
