using System.Globalization;

namespace EbpfConsole.Lab;

/// <summary>
/// What /proc says about a process: state, parent, executable and command line. The root is replaceable
/// so unit tests can describe processes with plain files and symlinks. Unreadable means "not known": every
/// caller treats that as "not ours".
/// </summary>
public sealed class ProcFs(string root = "/proc")
{
    private const string DeletedSuffix = " (deleted)";

    public static ProcFs Default { get; } = new();

    public string Root { get; } = root;

    /// <summary>True when <paramref name="pid"/> no longer runs. A zombie counts as stopped (PID 1 here reaps late).</summary>
    public bool IsStopped(int pid) => StatFields(pid) is not { } fields || fields[0] is "Z" or "X";

    /// <summary>The parent PID, or null when the process is gone.</summary>
    public int? ParentOf(int pid) =>
        StatFields(pid) is { Length: > 1 } fields && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid) ? ppid : null;

    /// <summary>Where /proc/PID/exe points, without the " (deleted)" the kernel appends once the binary was replaced (an upgrade).</summary>
    public string? ExecutableOf(int pid)
    {
        var target = Try(() => new FileInfo(PidPath(pid, "exe")).LinkTarget);
        return target is not null && target.EndsWith(DeletedSuffix, StringComparison.Ordinal) ? target[..^DeletedSuffix.Length] : target;
    }

    /// <summary>The command line with its NUL separators as spaces (daemons that rewrite their title use spaces anyway).</summary>
    public string? CommandLineOf(int pid) => Try(() => File.ReadAllText(PidPath(pid, "cmdline")).Replace('\0', ' ').Trim());

    /// <summary>This process and every ancestor of it: the lab never signals these, whatever namespace they are in.</summary>
    public IReadOnlySet<int> SelfAndAncestors()
    {
        var chain = new HashSet<int>();
        int? pid = Environment.ProcessId;
        while (pid is > 0 and var p && chain.Add(p))
        {
            pid = ParentOf(p);
        }

        return chain;
    }

    /// <summary>
    /// True when <paramref name="pid"/> runs <paramref name="daemon"/>'s binary and its command line names the
    /// daemon's config file: a PID from a pid file can belong to anything once the daemon died and the PID was reused.
    /// </summary>
    public bool IsLabDaemon(int pid, LabDaemon daemon)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        if (pid <= 1 || IsStopped(pid) || ExecutableOf(pid) is not { } exe || CommandLineOf(pid) is not { } cmdline)
        {
            return false;
        }

        var binaryMatches = daemon.ExecutableNames.Count > 0
            ? daemon.ExecutableNames.Contains(Path.GetFileName(exe), StringComparer.Ordinal)
            : exe == RealPath(daemon.Binary);
        return binaryMatches && $" {cmdline} ".Contains($" {daemon.ConfigPath} ", StringComparison.Ordinal);
    }

    /// <summary>The PID in <paramref name="daemon"/>'s pid file when that process is still the daemon (<see cref="IsLabDaemon"/>).</summary>
    public int? LiveDaemonPid(LabDaemon daemon)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        var text = Try(() => File.ReadAllText(daemon.PidFile).Trim());
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && IsLabDaemon(pid, daemon) ? pid : null;
    }

    /// <summary><paramref name="path"/> with every symlink resolved (like realpath(3)), as /proc/PID/exe reports it.</summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        for (var hops = 0; hops < 40; hops++)
        {
            var parts = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var current = "/";
            string? resolved = null;
            for (var i = 0; i < parts.Length && resolved is null; i++)
            {
                var next = Path.Combine(current, parts[i]);
                if (Try(() => new FileInfo(next).LinkTarget) is { } target)
                {
                    resolved = Path.GetFullPath(Path.Combine(Path.Combine(current, target), string.Join('/', parts.Skip(i + 1))));
                }

                current = next;
            }

            if (resolved is null)
            {
                return full;
            }

            full = resolved;
        }

        return full;
    }

    /// <summary>The stat fields after "(comm)": state first, then the parent PID. comm may contain spaces and ')'.</summary>
    private string[]? StatFields(int pid)
    {
        var stat = Try(() => File.ReadAllText(PidPath(pid, "stat")));
        var close = stat?.LastIndexOf(')') ?? -1;
        return close < 0 ? null : stat![(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private string PidPath(int pid, string entry) => Path.Combine(Root, pid.ToString(CultureInfo.InvariantCulture), entry);

    private static string? Try(Func<string?> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>
/// A daemon the lab launches: its pid file, the binary it runs and the config file its command line names.
/// When <see cref="ExecutableNames"/> is set, any executable with one of those file names counts (the API
/// server runs from whichever installation started it, as an apphost or under the <c>dotnet</c> host); the
/// config path on the command line, which is this state directory's own, then identifies it.
/// </summary>
public sealed record LabDaemon(string Name, string PidFile, string Binary, string ConfigPath)
{
    public IReadOnlyList<string> ExecutableNames { get; init; } = [];

    /// <summary>
    /// The lab's daemons for one state directory: an sshd for every node a lab can have (node-1 … node-50: whatever
    /// count built it, teardown finds each by its pid file), the pod's nginx and the API server (root namespace).
    /// </summary>
    public static IReadOnlyList<LabDaemon> All(LabPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return [.. LabTopology.NodesFor(LabTopology.MaxNodes).Select(n => Sshd(paths, n)), Nginx(paths), ApiServer(paths)];
    }

    /// <summary>The emulated API server (<see cref="LabApiServerLauncher"/>): pid file in the API directory, identified by its config path.</summary>
    public static LabDaemon ApiServer(LabPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return new("apiserver", paths.ApiServerPidPath, LabApiServerLauncher.ExecutableName, paths.ApiServerConfigPath)
        {
            ExecutableNames = ApiServerExecutables,
        };
    }

    /// <summary>One shared list, so two descriptions of the same API server daemon are equal records.</summary>
    private static readonly string[] ApiServerExecutables = [LabApiServerLauncher.ExecutableName, LabApiServerLauncher.DotnetHost];

    public static LabDaemon Sshd(LabPaths paths, LabHost node)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(node);
        return new("sshd " + node.Name, paths.SshdPidPath(node), SshdLauncher.Binary, paths.SshdConfigPath(node));
    }

    public static LabDaemon Nginx(LabPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return new("nginx", paths.NginxPidPath, NginxLauncher.Binary, paths.NginxConfigPath);
    }
}
