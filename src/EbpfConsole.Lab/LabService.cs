using EbpfConsole.Core.Datapath;

namespace EbpfConsole.Lab;

/// <summary>
/// The lab's operations (DESIGN.md "The lab"): a two-node emulated cluster in network namespaces with
/// real packets, a real sshd per node and a real nginx pod, in one of three NodePort datapaths. Every
/// operation needs root; mutations hold <see cref="LabLock"/>. Progress goes to the callback, never to stdout.
/// </summary>
public sealed class LabService
{
    public const string DefaultScenario = "healthy";

    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(15);

    private readonly LabPaths _paths;
    private readonly LabShell _shell;
    private readonly Action<string>? _progress;
    private readonly LabHealth _health;
    private readonly DatapathConfigurator _datapath;

    public LabService(LabPaths paths, ICommandRunner runner, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(runner);
        _paths = paths;
        _shell = new LabShell(runner);
        _progress = progress;
        _health = new LabHealth(paths, _shell);
        _datapath = new DatapathConfigurator(paths, _shell);
    }

    /// <summary>Scenarios `up` accepts.</summary>
    public static IReadOnlyList<string> Scenarios { get; } = [DefaultScenario];

    public LabPaths Paths => _paths;

    /// <summary>How long a mutation waits for another one to finish.</summary>
    public TimeSpan LockTimeout { get; init; } = LabLock.DefaultTimeout;

    /// <summary>Root and tool checks; replaceable so unit tests can run the service against a fake runner.</summary>
    internal Action EnsureEnvironment { get; init; } = LabEnvironment.EnsureReady;

    /// <summary>Brings the lab up. A healthy lab is left alone; a partial one is torn down and rebuilt (keys kept).</summary>
    public async Task<LabStatus> UpAsync(string scenario, CancellationToken ct)
    {
        if (!Scenarios.Contains(scenario ?? string.Empty, StringComparer.Ordinal))
        {
            throw new LabException($"unknown scenario '{scenario}'; allowed: {string.Join(", ", Scenarios)}");
        }

        EnsureEnvironment();
        using var held = await LockAsync(ct).ConfigureAwait(false);
        var mode = _datapath.ReadMode() ?? DatapathMode.Iptables;
        var status = await StatusAsync(ct).ConfigureAwait(false);
        if (status.Up && status.Mode == mode)
        {
            Report($"lab is already up (mode {mode.ToName()}); nothing to do");
            return status;
        }

        if ((await LabTeardown.ListNamespacesAsync(_shell, ct).ConfigureAwait(false)).Count > 0)
        {
            var broken = status.Health.Where(h => !h.Value).Select(h => h.Key);
            Report($"found a partial lab (not healthy: {string.Join(", ", broken)}): tearing it down and rebuilding");
        }

        await new LabTeardown(_paths, _shell, _progress).RunAsync(ct).ConfigureAwait(false);
        Report("creating namespaces, bridge, veths and the pod network");
        await _shell.RunAllAsync(LabTopologyBuilder.Commands(), ct).ConfigureAwait(false);

        var sshd = new SshdLauncher(_paths, _shell);
        Report("preparing SSH keys (kept across ups) and known_hosts");
        await sshd.EnsureKeysAsync(ct).ConfigureAwait(false);
        foreach (var node in LabTopology.Nodes)
        {
            Report($"starting sshd on {node.Name} ({node.Ip})");
            await sshd.StartAsync(node, ct).ConfigureAwait(false);
        }

        Report($"starting nginx in pod {LabTopology.Pod.Namespace} ({LabTopology.Pod.Ip})");
        await new NginxLauncher(_paths, _shell).StartAsync(ct).ConfigureAwait(false);
        Report($"datapath mode {mode.ToName()}");
        await _datapath.ApplyAsync(mode, ct).ConfigureAwait(false);
        return await WaitHealthyAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Removes every lab process, namespace and the host link. Safe when nothing exists.</summary>
    public async Task DownAsync(CancellationToken ct)
    {
        EnsureEnvironment();
        using var held = await LockAsync(ct).ConfigureAwait(false);
        await new LabTeardown(_paths, _shell, _progress).RunAsync(ct).ConfigureAwait(false);
        Report("lab is down");
    }

    public async Task SetModeAsync(DatapathMode mode, CancellationToken ct)
    {
        EnsureEnvironment();
        using var held = await LockAsync(ct).ConfigureAwait(false);
        var present = await LabTeardown.ListNamespacesAsync(_shell, ct).ConfigureAwait(false);
        if (!LabTopology.Namespaces.All(present.Contains))
        {
            throw new LabException("the lab is not up: run 'ebpf-console lab up' first");
        }

        Report($"switching datapath to {mode.ToName()} (previous rules removed, conntrack flushed)");
        await _datapath.ApplyAsync(mode, ct).ConfigureAwait(false);
    }

    public async Task<LabStatus> GetStatusAsync(CancellationToken ct)
    {
        EnsureEnvironment();
        return await StatusAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="count"/> requests from a client (client|client2) to a node's NodePort (node-1|node-2).</summary>
    public async Task<IReadOnlyList<CurlResult>> CurlAsync(string from, string target, int count, CancellationToken ct)
    {
        var client = LabTopology.Clients.FirstOrDefault(c => c.Name == from)
            ?? throw new LabException($"unknown client '{from}'; allowed: {string.Join(", ", LabTopology.Clients.Select(c => c.Name))}");
        var node = LabTopology.Nodes.FirstOrDefault(n => n.Name == target)
            ?? throw new LabException($"unknown target '{target}'; allowed: {string.Join(", ", LabTopology.Nodes.Select(n => n.Name))}");
        if (count is < 1 or > 1000)
        {
            throw new LabException($"count must be between 1 and 1000, not {count}");
        }

        EnsureEnvironment();
        var present = await LabTeardown.ListNamespacesAsync(_shell, ct).ConfigureAwait(false);
        if (!present.Contains(client.Namespace))
        {
            throw new LabException("the lab is not up: run 'ebpf-console lab up' first");
        }

        var results = new List<CurlResult>(count);
        for (var i = 0; i < count; i++)
        {
            var result = await _shell.RunAsync(LabCurl.Command(client, node), ct).ConfigureAwait(false);
            results.Add(LabCurl.Parse(client, node, result));
        }

        return results;
    }

    /// <summary>The last <paramref name="tail"/> lines of the pod's access log (each starts with the source IP the pod saw).</summary>
    public async Task<IReadOnlyList<string>> ReadAccessLogAsync(int tail, CancellationToken ct)
    {
        if (tail < 1)
        {
            throw new LabException($"tail must be at least 1, not {tail}");
        }

        EnsureEnvironment();
        if (!File.Exists(_paths.AccessLogPath))
        {
            return [];
        }

        var lines = await File.ReadAllLinesAsync(_paths.AccessLogPath, ct).ConfigureAwait(false);
        return lines.Where(l => l.Length > 0).TakeLast(tail).ToList();
    }

    private async Task<LabStatus> StatusAsync(CancellationToken ct)
    {
        var mode = _datapath.ReadMode();
        var health = await _health.ProbeAsync(mode, ct).ConfigureAwait(false);
        return new LabStatus(health.Values.All(v => v), mode, LabTopology.Nodes, LabTopology.Clients, LabTopology.Pod, _paths.StateDir, health);
    }

    private async Task<LabStatus> WaitHealthyAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(HealthTimeout);
        LabStatus status;
        while (!(status = await StatusAsync(ct).ConfigureAwait(false)).Up)
        {
            try
            {
                await Task.Delay(100, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                var broken = string.Join(", ", status.Health.Where(h => !h.Value).Select(h => h.Key));
                throw new LabException($"the lab did not become healthy within {HealthTimeout.TotalSeconds:0} s (failing: {broken}). {LogHints()}");
            }
        }

        Report("lab is up");
        return status;
    }

    private string LogHints()
    {
        var logs = LabTopology.Nodes.Select(_paths.SshdLogPath).Append(_paths.NginxErrorLogPath).Where(File.Exists);
        return "Logs: " + string.Join(", ", logs);
    }

    private Task<LabLock> LockAsync(CancellationToken ct)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new LabException("the lab needs Linux (network namespaces)");
        }

        // Private: it holds the lab's SSH private keys.
        Directory.CreateDirectory(_paths.StateDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return LabLock.AcquireAsync(_paths.LockPath, LockTimeout, _progress, ct);
    }

    private void Report(string message) => _progress?.Invoke(message);
}
