namespace EbpfConsole.Nodes.Config;

/// <summary>One parsed line of an ssh_config file, with where it came from (for messages).</summary>
internal abstract record SshConfigItem(string File, int Line)
{
    public string Location => $"{File}:{Line}";
}

/// <summary><c>Host pattern…</c>: starts a block that applies when the patterns match.</summary>
internal sealed record SshConfigHost(IReadOnlyList<string> Patterns, string File, int Line) : SshConfigItem(File, Line);

/// <summary><c>Match …</c>: not supported; the block it starts applies to no host.</summary>
internal sealed record SshConfigMatch(string File, int Line) : SshConfigItem(File, Line);

/// <summary>A keyword the console uses (lower-case) and its arguments, quotes removed.</summary>
internal sealed record SshConfigSetting(string Keyword, IReadOnlyList<string> Arguments, string File, int Line) : SshConfigItem(File, Line);

/// <summary><c>Include …</c>: the files its globs matched, in order, each parsed.</summary>
internal sealed record SshConfigInclude(IReadOnlyList<SshConfigIncludedFile> Files, string File, int Line) : SshConfigItem(File, Line);

internal sealed record SshConfigIncludedFile(string Path, IReadOnlyList<SshConfigItem> Items);
