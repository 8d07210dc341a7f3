using System.Globalization;

namespace EbpfConsole.Lab;

/// <summary>
/// Removes every trace of the lab: the processes inside <c>eclab-</c> namespaces (ours by construction) and
/// lab daemons found through their pid files (those whose namespace vanished, and the API server, which runs
/// in the root namespace: pid file → a process running the daemon's binary with its config file on the command line), every <c>eclab-</c> namespace and the <c>eclab-host</c> link, then the pid files.
/// Works on a half-built lab and when nothing exists. Kills only by PID, never this process or an ancestor,
/// and re-checks each PID is still ours right before SIGKILL. A process that survives SIGKILL does not stop
/// the rest: the link and namespaces are removed anyway and the survivors are reported at the end.
/// </summary>
public sealed class LabTeardown(LabPaths paths, LabShell shell, Action<string>? progress = null)
{
    public static TimeSpan DefaultGrace { get; } = TimeSpan.FromSeconds(3);

    /// <summary>How long each signal (TERM, then KILL) is given to work.</summary>
    internal TimeSpan Grace { get; init; } = DefaultGrace;

    internal ProcFs Proc { get; init; } = ProcFs.Default;

    /// <summary>Other state directories whose daemons may be left (the recorded owner of the running lab).</summary>
    internal IReadOnlyList<LabPaths> OtherStateDirs { get; init; } = [];

    public async Task RunAsync(CancellationToken ct)
    {
        var namespaces = await ListNamespacesAsync(shell, ct).ConfigureAwait(false);
        var targets = await FindAsync(namespaces, ct).ConfigureAwait(false);
        var survivors = targets.Count > 0 ? await StopAsync(targets, ct).ConfigureAwait(false) : [];

        var failures = new List<string>();
        await CollectFailureAsync(failures, async () =>
        {
            var hostLink = await shell.ProbeAsync(LabCommand.Ip("link", "show", LabTopology.HostLink), ct).ConfigureAwait(false);
            if (hostLink.Succeeded)
            {
                await shell.RunAsync(LabCommand.Ip("link", "del", LabTopology.HostLink), ct).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        if (namespaces.Count > 0)
        {
            progress?.Invoke($"deleting namespaces: {string.Join(' ', namespaces)}");
        }

        foreach (var ns in namespaces)
        {
            await CollectFailureAsync(failures, () => shell.RunAsync(LabCommand.Ip("netns", "del", ns), ct)).ConfigureAwait(false);
        }

        DeletePidFiles(survivors.Select(t => t.Pid).ToHashSet());
        if (survivors.Count > 0)
        {
            var list = string.Join(", ", survivors.Select(t => t.ToString()));
            failures.Insert(0, $"lab processes {list} did not stop after SIGKILL (the namespaces and {LabTopology.HostLink} were removed anyway)");
        }

        if (failures.Count > 0)
        {
            throw new LabException(string.Join("; ", failures));
        }
    }

    /// <summary>
    /// Stops one daemon found through its pid file (SIGTERM, then SIGKILL while it is still the daemon) and deletes
    /// the pid file once it stopped; nothing when it does not run. A survivor is a <see cref="LabException"/>.
    /// </summary>
    public async Task StopDaemonAsync(LabDaemon daemon, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        if (Proc.LiveDaemonPid(daemon) is { } pid && !Proc.SelfAndAncestors().Contains(pid))
        {
            var survivors = await StopAsync([new Target(pid, null, daemon)], ct).ConfigureAwait(false);
            if (survivors.Count > 0)
            {
                throw new LabException($"lab process {survivors[0]} did not stop after SIGKILL");
            }
        }

        DeletePidFile(daemon, []);
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
    public static bool IsStopped(int pid) => ProcFs.Default.IsStopped(pid);

    private IEnumerable<LabDaemon> Daemons() => OtherStateDirs.Prepend(paths).SelectMany(LabDaemon.All);

    private async Task<List<Target>> FindAsync(IReadOnlyList<string> namespaces, CancellationToken ct)
    {
        var targets = new Dictionary<int, Target>();
        foreach (var ns in namespaces)
        {
            foreach (var pid in await PidsInAsync(ns, ct).ConfigureAwait(false))
            {
                targets.TryAdd(pid, new Target(pid, ns, null));
            }
        }

        foreach (var daemon in Daemons())
        {
            if (Proc.LiveDaemonPid(daemon) is { } pid)
            {
                targets.TryAdd(pid, new Target(pid, null, daemon));
            }
        }

        var mine = Proc.SelfAndAncestors();
        var spared = targets.Keys.Where(mine.Contains).Order().ToList();
        if (spared.Count > 0)
        {
            progress?.Invoke($"not stopping {string.Join(' ', spared)}: this process or one of its ancestors (it runs inside a lab namespace)");
        }

        return targets.Values.Where(t => !mine.Contains(t.Pid)).OrderBy(t => t.Pid).ToList();
    }

    private async Task<IReadOnlyList<int>> PidsInAsync(string ns, CancellationToken ct) =>
        ParsePids((await shell.ProbeAsync(LabCommand.Ip("netns", "pids", ns), ct).ConfigureAwait(false)).StdOut);

    /// <summary>SIGTERM, wait, then SIGKILL for those still running and still ours; returns the ones that survived both.</summary>
    private async Task<IReadOnlyList<Target>> StopAsync(IReadOnlyList<Target> targets, CancellationToken ct)
    {
        progress?.Invoke($"stopping {targets.Count} lab process(es): {string.Join(' ', targets.Select(t => t.Pid))}");
        await SignalAsync("-TERM", targets, ct).ConfigureAwait(false);
        var left = await WaitAsync(targets, ct).ConfigureAwait(false);
        if (left.Count == 0)
        {
            return [];
        }

        var ours = await StillOursAsync(left, ct).ConfigureAwait(false);
        foreach (var gone in left.Except(ours))
        {
            progress?.Invoke($"PID {gone.Pid} is no longer the lab's (it exited and the number was reused): not killing it");
        }

        if (ours.Count == 0)
        {
            return [];
        }

        progress?.Invoke($"killing {string.Join(' ', ours.Select(t => t.Pid))} (still running after SIGTERM)");
        await SignalAsync("-KILL", ours, ct).ConfigureAwait(false);
        return await WaitAsync(ours, ct).ConfigureAwait(false);
    }

    /// <summary>Identity again, just before SIGKILL: still in its lab namespace, or still the daemon of its pid file.</summary>
    private async Task<IReadOnlyList<Target>> StillOursAsync(IReadOnlyList<Target> candidates, CancellationToken ct)
    {
        var inNamespace = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        foreach (var ns in candidates.Select(t => t.Namespace).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            inNamespace[ns] = await PidsInAsync(ns, ct).ConfigureAwait(false);
        }

        var mine = Proc.SelfAndAncestors();
        return candidates.Where(t => !mine.Contains(t.Pid) && (t.Namespace is { } ns
            ? inNamespace[ns].Contains(t.Pid)
            : Proc.IsLabDaemon(t.Pid, t.Daemon!))).ToList();
    }

    private async Task SignalAsync(string signal, IEnumerable<Target> targets, CancellationToken ct)
    {
        // Tolerant: a process may exit between listing and signalling.
        var args = new[] { signal, "--" }.Concat(targets.Select(t => t.Pid.ToString(CultureInfo.InvariantCulture))).ToArray();
        await shell.ProbeAsync(new LabCommand("kill", args), ct).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<Target>> WaitAsync(IReadOnlyList<Target> targets, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Grace);
        while (true)
        {
            var left = targets.Where(t => !Proc.IsStopped(t.Pid)).ToList();
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

    /// <summary>Runs one removal step; its failure is recorded and the teardown goes on to the next step.</summary>
    private static async Task CollectFailureAsync(List<string> failures, Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (LabException ex)
        {
            failures.Add(ex.Message);
        }
    }

    /// <summary>Pid files go with their processes; a survivor's stays so a later `down` still finds it.</summary>
    private void DeletePidFiles(HashSet<int> survivors)
    {
        foreach (var daemon in Daemons())
        {
            DeletePidFile(daemon, survivors);
        }
    }

    private void DeletePidFile(LabDaemon daemon, HashSet<int> survivors)
    {
        try
        {
            var text = File.Exists(daemon.PidFile) ? File.ReadAllText(daemon.PidFile).Trim() : null;
            if (text is not null && !(int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && survivors.Contains(pid)))
            {
                File.Delete(daemon.PidFile);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            progress?.Invoke($"could not delete {daemon.PidFile}: {ex.Message}");
        }
    }

    private sealed record Target(int Pid, string? Namespace, LabDaemon? Daemon)
    {
        public override string ToString() => Daemon is { } d ? $"{Pid} ({d.Name})" : $"{Pid} (in {Namespace})";
    }
}
