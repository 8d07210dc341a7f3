using System.Globalization;
using System.Text;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Nodes.Config;

/// <summary>
/// Reads ssh_config(5) text into <see cref="SshConfigItem"/>s. A malformed line stops reading with one line naming
/// file:line and the cause; unknown keywords are ignored; Match blocks are skipped with a note.
/// </summary>
internal sealed class SshConfigParser(string sshDirectory, string homeDirectory)
{
    /// <summary>OpenSSH's READCONF_MAX_DEPTH.</summary>
    private const int MaxIncludeDepth = 16;

    private static readonly HashSet<string> SingleValued = ["hostname", "user", "port", "identityfile", "proxyjump", "stricthostkeychecking"];

    private readonly List<string> _notes = [];

    public SshConfigLoadResult ParseFile(string path)
    {
        try
        {
            var items = ParseFileItems(path, 0);
            return SshConfigLoadResult.Ok(new SshConfig(path, items, _notes));
        }
        catch (SshConfigError error)
        {
            return SshConfigLoadResult.Failed(error.Message);
        }
    }

    public SshConfigLoadResult ParseText(string text, string source)
    {
        try
        {
            var items = ParseLines(text, source, 0);
            return SshConfigLoadResult.Ok(new SshConfig(source, items, _notes));
        }
        catch (SshConfigError error)
        {
            return SshConfigLoadResult.Failed(error.Message);
        }
    }

    internal static StrictHostKeyChecking? ParseStrict(string value) => value.ToUpperInvariant() switch
    {
        "YES" or "TRUE" => StrictHostKeyChecking.Yes,
        "NO" or "FALSE" or "OFF" => StrictHostKeyChecking.No,
        "ASK" => StrictHostKeyChecking.Ask,
        "ACCEPT-NEW" => StrictHostKeyChecking.AcceptNew,
        _ => null,
    };

    /// <summary>Splits the arguments like OpenSSH's argv_split: whitespace separates, '…' and "…" quote, \ escapes, # starts a comment.</summary>
    internal static List<string>? SplitArguments(string text)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var inToken = false;
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && i + 1 < text.Length && (text[i + 1] == quote || text[i + 1] == '\\'))
                {
                    current.Append(text[++i]);
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inToken)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    inToken = false;
                }
            }
            else if (c == '#' && !inToken)
            {
                break;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inToken = true;
            }
            else if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\'' or '\\' or ' ')
            {
                current.Append(text[++i]);
                inToken = true;
            }
            else
            {
                current.Append(c);
                inToken = true;
            }
        }

        if (quote != '\0')
        {
            return null;
        }

        if (inToken)
        {
            args.Add(current.ToString());
        }

        return args;
    }

    private List<SshConfigItem> ParseFileItems(string path, int depth)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SshConfigError($"{path}: cannot read SSH config ({ex.Message})");
        }

        return ParseLines(text, path, depth);
    }

    private List<SshConfigItem> ParseLines(string text, string file, int depth)
    {
        var items = new List<SshConfigItem>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var item = ParseLine(line, file, lineNumber, depth);
            if (item is not null)
            {
                items.Add(item);
            }
        }

        return items;
    }

    private SshConfigItem? ParseLine(string line, string file, int lineNumber, int depth)
    {
        var at = $"{file}:{lineNumber}";
        var end = 0;
        while (end < line.Length && !char.IsWhiteSpace(line[end]) && line[end] != '=')
        {
            end++;
        }

        var keyword = line[..end].ToLowerInvariant();
        var rest = line[end..].TrimStart();
        if (rest.StartsWith('='))
        {
            rest = rest[1..].TrimStart();
        }

        if (keyword.Length == 0)
        {
            throw new SshConfigError($"{at}: malformed line (no keyword before '=')");
        }

        var args = SplitArguments(rest) ?? throw new SshConfigError($"{at}: unterminated quote in '{line}'");
        if (keyword == "match")
        {
            _notes.Add($"{at}: Match blocks are not supported; the block is skipped (use Host patterns)");
            return new SshConfigMatch(file, lineNumber);
        }

        if (keyword is not ("host" or "include") && !SingleValued.Contains(keyword) && keyword != "userknownhostsfile")
        {
            return null; // Unknown or unused keyword: ignored.
        }

        if (args.Count == 0)
        {
            throw new SshConfigError($"{at}: {keyword} needs a value");
        }

        if (SingleValued.Contains(keyword) && args.Count > 1)
        {
            throw new SshConfigError($"{at}: {keyword} takes one value, got '{rest}'");
        }

        switch (keyword)
        {
            case "host":
                return new SshConfigHost(args, file, lineNumber);
            case "include":
                return Include(args, file, lineNumber, depth);
        }

        Validate(keyword, args, at);
        return new SshConfigSetting(keyword, args, file, lineNumber);
    }

    private static void Validate(string keyword, List<string> args, string at)
    {
        var value = args[0];
        var problem = keyword switch
        {
            "port" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
                ? null
                : $"Port '{value}' is not a number from 1 to 65535",
            "stricthostkeychecking" => ParseStrict(value) is null ? $"StrictHostKeyChecking '{value}' is not yes, no, ask or accept-new" : null,
            "proxyjump" => SshJumpSpec.TryParseChain(value, out _, out var jumpError) ? null : $"ProxyJump: {jumpError}",
            "hostname" => SshTokens.Problem(value, SshTokens.HostNameTokens),
            "identityfile" => SshTokens.Problem(value, SshTokens.PathTokens),
            "userknownhostsfile" => args.Any(a => a.Equals("none", StringComparison.OrdinalIgnoreCase))
                ? "UserKnownHostsFile none is not supported (host keys must be checked against a known_hosts file)"
                : args.Select(a => SshTokens.Problem(a, SshTokens.PathTokens)).FirstOrDefault(p => p is not null),
            "user" => value.Any(c => char.IsControl(c) || c == '@') ? $"User '{value}' is not a valid user name" : null,
            _ => null,
        };
        if (problem is not null)
        {
            throw new SshConfigError($"{at}: {problem}");
        }
    }

    private SshConfigInclude Include(List<string> patterns, string file, int lineNumber, int depth)
    {
        if (depth + 1 > MaxIncludeDepth)
        {
            throw new SshConfigError($"{file}:{lineNumber}: Include nested more than {MaxIncludeDepth} deep (an Include loop?)");
        }

        var files = new List<SshConfigIncludedFile>();
        foreach (var pattern in patterns)
        {
            var expanded = SshTokens.ExpandHome(pattern, homeDirectory);
            var absolute = Path.IsPathRooted(expanded) ? expanded : Path.Combine(sshDirectory, expanded);
            foreach (var match in Glob.Expand(absolute))
            {
                files.Add(new SshConfigIncludedFile(match, ParseFileItems(match, depth + 1)));
            }
        }

        return new SshConfigInclude(files, file, lineNumber);
    }

    /// <summary>A malformed config: stops parsing; its message is the one-line error for the user.</summary>
    private sealed class SshConfigError(string message) : Exception(message);
}
