using System.Globalization;

namespace EbpfConsole.Integration.Tests.Capture.Remote;

/// <summary>One process seen in /proc: pid, parent, start time (to tell a reused pid apart) and command line.</summary>
internal sealed record ProcInfo(int Pid, int ParentPid, ulong StartTime, char State, string CommandLine);

/// <summary>
/// Finds the processes a test started on "the node" (this machine's root namespace, where the test sshd runs
/// commands) by a marker unique to the test in their command line, plus their descendants (cat, sleep). Only
/// reads /proc: it never signals anything.
/// </summary>
internal static class ProcTree
{
    public static IReadOnlyList<ProcInfo> All()
    {
        var list = new List<ProcInfo>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } info)
            {
                list.Add(info);
            }
        }

        return list;
    }

    /// <summary>Processes whose command line holds <paramref name="marker"/>, and all their descendants.</summary>
    public static IReadOnlyList<ProcInfo> WithMarker(string marker)
    {
        var all = All().Where(p => p.State != 'Z').ToList();
        var found = all.Where(p => p.CommandLine.Contains(marker, StringComparison.Ordinal)).ToDictionary(p => p.Pid);
        bool added;
        do
        {
            added = false;
            foreach (var p in all.Where(p => !found.ContainsKey(p.Pid) && found.ContainsKey(p.ParentPid)))
            {
                found[p.Pid] = p;
                added = true;
            }
        }
        while (added);
        return [.. found.Values];
    }

    /// <summary>True while the very process (same pid and start time) exists and is not a zombie.</summary>
    public static bool IsRunning(ProcInfo process) =>
        Read(process.Pid) is { } now && now.StartTime == process.StartTime && now.State != 'Z';

    /// <summary>Polls until none of <paramref name="processes"/> runs; the ones still running after the timeout.</summary>
    public static async Task<IReadOnlyList<ProcInfo>> WaitGoneAsync(IReadOnlyList<ProcInfo> processes, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var running = processes.Where(IsRunning).ToList();
            if (running.Count == 0 || DateTime.UtcNow > deadline)
            {
                return running;
            }

            await Task.Delay(50);
        }
    }

    public static string Describe(IEnumerable<ProcInfo> processes) =>
        string.Join("; ", processes.Select(p => $"{p.Pid} (parent {p.ParentPid}, {p.State}): {p.CommandLine}"));

    private static ProcInfo? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Replace('\0', ' ');
            return new ProcInfo(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), ulong.Parse(fields[19], CultureInfo.InvariantCulture),
                fields[0][0], cmdline);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // gone meanwhile
        }
    }
}
