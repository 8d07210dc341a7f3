namespace EbpfConsole.Cluster;

/// <summary>Messages for the user are one line: the first non-empty line of a library's message, trimmed.</summary>
internal static class OneLine
{
    public static string Of(string? message, int max = 300)
    {
        var line = (message ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault() ?? string.Empty;
        line = line.TrimEnd('.');
        return line.Length <= max ? line : string.Concat(line.AsSpan(0, max), "…");
    }
}
