using System.CommandLine;
using System.Globalization;

namespace EbpfConsole.Cli.Connect;

/// <summary>The SSH flags as given; null/empty when not given (then ~/.ssh/config and OpenSSH's defaults decide).</summary>
internal sealed record SshFlags(
    string? User,
    IReadOnlyList<string> Identities,
    string? Jump,
    int? Port,
    bool AcceptNew,
    IReadOnlyList<string> KnownHosts,
    string? Config)
{
    /// <summary>No SSH flag given.</summary>
    public static SshFlags None { get; } = new(null, [], null, null, false, [], null);
}

/// <summary>SSH options of every verb that reaches nodes, named like OpenSSH's: flags beat ~/.ssh/config.</summary>
internal sealed class SshCliOptions
{
    public Option<string?> User { get; } = new("--ssh-user") { HelpName = "USER", Description = "SSH user for nodes (default: ~/.ssh/config, else the current user; root on the lab)" };

    public Option<string[]> Identity { get; } = new("--identity", "-i") { HelpName = "FILE", Description = "SSH private key (repeatable; default: ~/.ssh/config IdentityFile, else id_ed25519, id_ecdsa, id_rsa)" };

    public Option<string?> Jump { get; } = new("--jump", "-J") { HelpName = "[USER@]HOST[:PORT]", Description = "Reach nodes through this jump host (ProxyJump; comma-separated for a chain)" };

    public Option<int?> Port { get; } = new("--ssh-port") { HelpName = "PORT", Description = "SSH port of the nodes (default: ~/.ssh/config, else 22)" };

    public Option<bool> AcceptNew { get; } = new("--accept-new") { Description = "Trust unknown host keys and record them (StrictHostKeyChecking=accept-new); a changed key is always refused" };

    public Option<string[]> KnownHosts { get; } = new("--known-hosts") { HelpName = "FILE", Description = "known_hosts file (repeatable; the first receives new keys; default ~/.ssh/known_hosts)" };

    public Option<string?> Config { get; } = new("--ssh-config") { HelpName = "FILE", Description = "ssh_config file (default ~/.ssh/config; 'none' to ignore it)" };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Port.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p is < 1 or > 65535)
            {
                result.AddError("--ssh-port must be between 1 and 65535");
            }
        });
        command.Options.Add(User);
        command.Options.Add(Identity);
        command.Options.Add(Jump);
        command.Options.Add(Port);
        command.Options.Add(AcceptNew);
        command.Options.Add(KnownHosts);
        command.Options.Add(Config);
    }

    public SshFlags Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new SshFlags(
            parse.GetValue(User),
            parse.GetValue(Identity) ?? [],
            parse.GetValue(Jump),
            parse.GetValue(Port),
            parse.GetValue(AcceptNew),
            parse.GetValue(KnownHosts) ?? [],
            parse.GetValue(Config));
    }
}
