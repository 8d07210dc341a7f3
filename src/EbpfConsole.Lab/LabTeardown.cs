using System.Globalization;

namespace EbpfConsole.Lab;

/// <summary>
/// Removes every trace of the lab: the processes inside <c>eclab-</c> namespaces (and lab daemons whose
/// namespace vanished, recognised by their pid file and a command line naming the state directory),
/// every <c>eclab-</c> namespace and the <c>eclab-host</c> link. Works on a half-built lab and when
/// nothing exists. Kills only by PID, only processes proven to be the lab's.
/// </summary>
public sealed class LabTeardown(LabPaths paths, LabShell shell, Action<string>? progress = null)
{
    private static readonly TimeSpan TermGrace = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(3);

    public async Task RunAsync(CancellationToken ct)
    {
        var namespaces = await ListNamespacesAsync(shell, ct).ConfigureAwait(false);
        var pids = new SortedSet<int>();
        foreach (var ns in namespaces)
        {
            var result = await shell.ProbeAsync(LabCommand.Ip("netns", "pids", ns), ct).ConfigureAwait(false);
            pids.UnionWith(ParsePids(result.StdOut));
        }

        pids.UnionWith(OrphanedDaemons());
        if (pids.Count > 0)
        {
            progress?.Invoke($"stopping {pids.Count} lab process(es): {string.Join(' ', pids)}");
            await StopAsync(pids, ct).ConfigureAwait(false);
        }

        var hostLink = await shell.ProbeAsync(LabCommand.Ip("link", "show", LabTopology.HostLink), ct).ConfigureAwait(false);
        if (hostLink.Succeeded)
        {
            await shell.RunAsync(LabCommand.Ip("link", "del", LabTopology.HostLink), ct).ConfigureAwait(false);
        }

        if (namespaces.Count > 0)
        {
            progress?.Invoke($"deleting namespaces: {string.Join(' ', namespaces)}");
        }

        foreach (var ns in namespaces)
        {
            await shell.RunAsync(LabCommand.Ip("netns", "del", ns), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Names of existing namespaces that belong to the lab (prefix <c>eclab-</c>).</summary>
    public static async Task<IReadOnlyList<string>> ListNamespacesAsync(LabShell shell, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(shell);
        var result = await shell.RunAsync(LabCommand.Ip("netns", "list"), ct).ConfigureAwait(false);
        return ParseNamespaces(result.StdOut);
    }

    /// <summary>Parses `ip netns list` ("name (id: N)" per line) down to the lab's namespace names.</summary>
    public static IReadOnlyList<string> ParseNamespaces(string output) =>
        (output ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ')[0])
            .Where(name => name.StartsWith(LabTopology.Prefix, StringComparison.Ordinal))
            .ToList();

    public static IReadOnlyList<int> ParsePids(string output) =>
        (output ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 1)
            .ToList();

    /// <summary>True when <paramref name="pid"/> no longer runs. A zombie counts as stopped (PID 1 here reaps late).</summary>
    public static bool IsStopped(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return true;
        }

        // "pid (comm) S ..." — comm may contain spaces and parentheses: the state follows the last ')'.
        var close = stat.LastIndexOf(')');
        var state = close >= 0 && close + 2 < stat.Length ? stat[close + 2] : '?';
        return state is 'Z' or 'X';
    }

    /// <summary>The pid in a lab pid file, if that process still runs and its command line names the state directory.</summary>
    public static int? LivePidFromFile(string pidFile, string stateDir)
    {
        try
        {
            var text = File.ReadAllText(pidFile).Trim();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 1 || IsStopped(pid))
            {
                return null;
            }

            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return cmdline.Contains(Path.TrimEndingDirectorySeparator(stateDir) + "/", StringComparison.Ordinal) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private IEnumerable<int> OrphanedDaemons()
    {
        var files = LabTopology.Nodes.Select(paths.SshdPidPath).Append(paths.NginxPidPath);
        return files.Select(f => LivePidFromFile(f, paths.StateDir)).OfType<int>();
    }

    private async Task StopAsync(IReadOnlyCollection<int> pids, CancellationToken ct)
    {
        await SignalAsync("-TERM", pids, ct).ConfigureAwait(false);
        var left = await WaitAsync(pids, TermGrace, ct).ConfigureAwait(false);
        if (left.Count == 0)
        {
            return;
        }

        progress?.Invoke($"killing {string.Join(' ', left)} (still running after SIGTERM)");
        await SignalAsync("-KILL", left, ct).ConfigureAwait(false);
        left = await WaitAsync(left, KillGrace, ct).ConfigureAwait(false);
        if (left.Count > 0)
        {
            throw new LabException($"lab processes {string.Join(' ', left)} did not stop after SIGKILL");
        }
    }

    private async Task SignalAsync(string signal, IEnumerable<int> pids, CancellationToken ct)
    {
        // Tolerant: a process may exit between listing and signalling.
        var args = new[] { signal, "--" }.Concat(pids.Select(p => p.ToString(CultureInfo.InvariantCulture))).ToArray();
        await shell.ProbeAsync(new LabCommand("kill", args), ct).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<int>> WaitAsync(IReadOnlyCollection<int> pids, TimeSpan grace, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(grace);
        while (true)
        {
            var left = pids.Where(p => !IsStopped(p)).ToList();
            if (left.Count == 0)
            {
                return left;
            }

            try
            {
                await Task.Delay(50, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return left;
            }
        }
    }
}
