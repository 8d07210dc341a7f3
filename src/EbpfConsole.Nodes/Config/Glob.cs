namespace EbpfConsole.Nodes.Config;

/// <summary>
/// Expands an absolute path whose components may hold <c>*</c> and <c>?</c> (as glob(3) does for ssh_config's Include):
/// matching regular files, sorted by name per directory level. No match is an empty result, not an error.
/// </summary>
internal static class Glob
{
    public static IReadOnlyList<string> Expand(string absolutePath)
    {
        if (absolutePath.IndexOfAny(['*', '?']) < 0)
        {
            return File.Exists(absolutePath) ? [absolutePath] : [];
        }

        var root = Path.GetPathRoot(absolutePath) ?? "/";
        var parts = absolutePath[root.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<string> current = [root];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var last = i == parts.Length - 1;
            current = current.SelectMany(dir => Children(dir, part, last)).ToList();
        }

        return [.. current];
    }

    private static List<string> Children(string directory, string part, bool last)
    {
        if (part.IndexOfAny(['*', '?']) < 0)
        {
            var path = Path.Combine(directory, part);
            return (last ? File.Exists(path) : Directory.Exists(path)) ? [path] : [];
        }

        if (!Directory.Exists(directory))
        {
            return [];
        }

        try
        {
            var entries = last ? Directory.EnumerateFiles(directory) : Directory.EnumerateDirectories(directory);
            return entries
                .Where(e => !Path.GetFileName(e).StartsWith('.') || part.StartsWith('.'))
                .Where(e => KnownHosts.HostPatterns.Wildcard(Path.GetFileName(e), part, ignoreCase: false)) // file names are case-sensitive
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
