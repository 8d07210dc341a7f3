using System.Globalization;
using EbpfConsole.Nodes.KnownHosts;

namespace EbpfConsole.Nodes.Config;

/// <summary>
/// A parsed OpenSSH client config (<c>~/.ssh/config</c>): Host blocks with the keywords the console uses (HostName,
/// User, Port, IdentityFile, ProxyJump, StrictHostKeyChecking, UserKnownHostsFile), Include resolved. Other keywords
/// are ignored; Match blocks are skipped (see <see cref="Notes"/>). Immutable and thread-safe once loaded.
/// </summary>
public sealed class SshConfig
{
    private readonly IReadOnlyList<SshConfigItem> _items;

    internal SshConfig(string source, IReadOnlyList<SshConfigItem> items, IReadOnlyList<string> notes)
    {
        Source = source;
        _items = items;
        Notes = notes;
    }

    /// <summary>No config at all (<c>--ssh-config none</c>, or no ~/.ssh/config).</summary>
    public static SshConfig Empty { get; } = new("(none)", [], []);

    /// <summary>The file it was read from (or a description).</summary>
    public string Source { get; }

    /// <summary>Things the user should know that did not stop loading, e.g. "file:12: Match blocks are not supported; skipped".</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>
    /// Reads <paramref name="path"/>. Relative Include paths are taken relative to <paramref name="sshDirectory"/>
    /// (OpenSSH: ~/.ssh for a user config). A missing file is an error only when <paramref name="mustExist"/>.
    /// </summary>
    public static SshConfigLoadResult Load(string path, string sshDirectory, bool mustExist = false, string? homeDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(sshDirectory);
        if (!File.Exists(path))
        {
            return mustExist ? SshConfigLoadResult.Failed($"{path}: SSH config file not found") : SshConfigLoadResult.Ok(Empty);
        }

        return new SshConfigParser(sshDirectory, homeDirectory ?? SshTokens.DefaultHomeDirectory).ParseFile(path);
    }

    /// <summary>Parses config text (for tests and in-memory configs); <paramref name="source"/> names it in messages.</summary>
    public static SshConfigLoadResult Parse(string text, string source, string sshDirectory, string? homeDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new SshConfigParser(sshDirectory, homeDirectory ?? SshTokens.DefaultHomeDirectory).ParseText(text, source);
    }

    /// <summary>
    /// The settings for a host known by <paramref name="names"/> (e.g. a node's name and its InternalIP). A Host line
    /// applies when one of its positive patterns matches ANY of the names and none of its negated patterns matches ANY of
    /// them (so <c>Host * !node-1</c> excludes node-1 whatever address it has). Blocks are visited in file order and
    /// the first value obtained wins, as ssh_config(5) says; IdentityFile accumulates.
    /// </summary>
    public SshHostConfig Lookup(params IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var result = new Accumulator();
        var active = true;
        Walk(_items, names, ref active, neverMatch: false, result);
        return result.ToConfig();
    }

    /// <summary>Whether a Host line's patterns select a host known by any of <paramref name="names"/>.</summary>
    internal static bool HostMatches(IReadOnlyList<string> patterns, IReadOnlyList<string> names)
    {
        var matched = false;
        foreach (var raw in patterns)
        {
            var negated = raw.StartsWith('!');
            var pattern = negated ? raw[1..] : raw;
            if (!names.Any(name => HostPatterns.Wildcard(name, pattern)))
            {
                continue;
            }

            if (negated)
            {
                return false;
            }

            matched = true;
        }

        return matched;
    }

    // OpenSSH readconf.c: a block applies while "active"; an Include inside an inactive block includes nothing that can
    // match ("never match"), and the including block's state is restored after each included file.
    private static void Walk(IReadOnlyList<SshConfigItem> items, IReadOnlyList<string> names, ref bool active, bool neverMatch, Accumulator result)
    {
        foreach (var item in items)
        {
            switch (item)
            {
                case SshConfigHost host:
                    active = !neverMatch && HostMatches(host.Patterns, names);
                    break;
                case SshConfigMatch:
                    active = false;
                    break;
                case SshConfigSetting setting when active:
                    result.Apply(setting);
                    break;
                case SshConfigInclude include:
                    var outer = active;
                    foreach (var file in include.Files)
                    {
                        Walk(file.Items, names, ref active, neverMatch || !outer, result);
                        active = outer;
                    }

                    break;
            }
        }
    }

    private sealed class Accumulator
    {
        private readonly List<string> _identityFiles = [];
        private string? _hostName;
        private string? _user;
        private int? _port;
        private string? _proxyJump;
        private StrictHostKeyChecking? _strict;
        private IReadOnlyList<string>? _knownHosts;

        public void Apply(SshConfigSetting setting)
        {
            var first = setting.Arguments[0];
            switch (setting.Keyword)
            {
                case "hostname":
                    _hostName ??= first;
                    break;
                case "user":
                    _user ??= first;
                    break;
                case "port":
                    _port ??= int.Parse(first, NumberStyles.None, CultureInfo.InvariantCulture);
                    break;
                case "identityfile":
                    _identityFiles.Add(first);
                    break;
                case "proxyjump":
                    _proxyJump ??= first;
                    break;
                case "stricthostkeychecking":
                    _strict ??= SshConfigParser.ParseStrict(first);
                    break;
                case "userknownhostsfile":
                    _knownHosts ??= setting.Arguments;
                    break;
            }
        }

        public SshHostConfig ToConfig() => new(_hostName, _user, _port, [.. _identityFiles], _proxyJump, _strict, _knownHosts);
    }
}

/// <summary>Either a loaded <see cref="SshConfig"/> or a one-line error naming file:line and the cause.</summary>
public sealed record SshConfigLoadResult(SshConfig? Config, string? Error)
{
    public static SshConfigLoadResult Ok(SshConfig config) => new(config, null);

    public static SshConfigLoadResult Failed(string error) => new(null, error);
}
