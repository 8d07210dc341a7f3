using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab.Cluster;

namespace EbpfConsole.Lab;

/// <summary>
/// The lab's operations (DESIGN.md "The lab"): an emulated cluster of 2–50 nodes in network namespaces with
/// real packets on node-1 and node-2, a real sshd per node, a real nginx pod and an emulated Kubernetes API server (a lab service in
/// the root namespace) whose lab controller drives the NodePort datapath unless `lab mode` overrides it. Every
/// operation needs root; mutations hold the machine-wide <see cref="LabLock"/>, and the state directory that
/// built the running lab owns it (<see cref="LabMachine"/>). Progress goes to the callback, never to stdout.
/// </summary>
public sealed partial class LabService
{
    public const string DefaultScenario = LabScenario.Default;

    private readonly LabPaths _paths;
    private readonly ICommandRunner _runner;
    private readonly Action<string>? _progress;
    private LabShell? _shell;

    public LabService(LabPaths paths, ICommandRunner runner, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(runner);
        _paths = paths;
        _runner = runner;
        _progress = progress;
    }

    /// <summary>Scenarios `up` accepts (assets/lab/scenarios).</summary>
    public static IReadOnlyList<string> Scenarios => LabScenario.Names;

    /// <summary>The datapath every scenario's fresh lab starts with (kube-proxy in iptables mode).</summary>
    public static DatapathMode ScenarioStartMode => DatapathMode.Iptables;

    public LabPaths Paths => _paths;

    /// <summary>How long a mutation waits for another one to finish.</summary>
    public TimeSpan LockTimeout { get; init; } = LabLock.DefaultTimeout;

    /// <summary>The machine-wide lock every mutation holds (<see cref="LabMachine.LockPath"/>).</summary>
    public string LockPath => Machine.LockPath;

    /// <summary>Root and tool checks; replaceable so unit tests can run the service against a fake runner.</summary>
    internal Action EnsureEnvironment { get; init; } = LabEnvironment.EnsureReady;

    /// <summary>The machine-global lock and owner record (/run/ebpf-console); unit tests point it at a temporary directory.</summary>
    internal LabMachine Machine { get; init; } = LabMachine.Default;

    internal ProcFs Proc { get; init; } = ProcFs.Default;

    /// <summary>The deadline of each command that sets none of its own.</summary>
    internal TimeSpan CommandTimeout { get; init; } = LabShell.StandardTimeout;

    internal TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(15);

    internal TimeSpan StopGrace { get; init; } = LabTeardown.DefaultGrace;

    /// <summary>The scenario catalogue (<see cref="LabScenario"/>); unit tests supply their own.</summary>
    internal Func<IReadOnlyList<string>> ScenarioNames { get; init; } = () => LabScenario.Names;

    internal Func<string, LabScenario> LoadScenario { get; init; } = LabScenario.Load;

    internal TimeSpan ApiServerReadyTimeout { get; init; } = LabApiServerLauncher.DefaultReadyTimeout;

    /// <summary>Replaces the launcher's TCP connect to 127.0.0.1:6443 (unit tests).</summary>
    internal Func<CancellationToken, Task<bool>>? ApiServerPortAnswers { get; init; }

    /// <summary>Where the daemon's binary is looked for (default: beside the running program).</summary>
    internal string? ApiServerDirectory { get; init; }

    private LabShell Shell => _shell ??= new LabShell(_runner) { DefaultTimeout = CommandTimeout };

    private DatapathConfigurator Datapath => new(_paths, Shell);

    /// <summary>Brings the lab up with <paramref name="scenario"/>, keeping the node count of the lab that is up (or was last built here).</summary>
    public Task<LabStatus> UpAsync(string scenario, CancellationToken ct) => UpAsync(scenario, null, ct);

    /// <summary>
    /// Brings the lab up with <paramref name="scenario"/> and <paramref name="nodes"/> nodes (null: the recorded count, else
    /// <see cref="LabTopology.DefaultNodes"/>). A healthy lab is left alone; when only the API server died it alone is
    /// restarted (objects kept); a partial lab is torn down and rebuilt (keys kept, and the API objects too while the
    /// scenario and node count are the same). A lab up with another scenario or another node count is refused.
    /// </summary>
    public async Task<LabStatus> UpAsync(string scenario, int? nodes, CancellationToken ct)
    {
        var names = ScenarioNames();
        if (!names.Contains(scenario ?? string.Empty, StringComparer.Ordinal))
        {
            throw new LabException($"unknown scenario '{scenario}'; allowed: {string.Join(", ", names)}");
        }

        if (nodes is { } asked && LabTopology.NodeCountError(asked) is { } error)
        {
            throw new LabException(error);
        }

        EnsureEnvironment();
        _paths.EnsureStateDir();
        using var held = await LockAsync(ct).ConfigureAwait(false);
        var namespaces = await LabTeardown.ListNamespacesAsync(Shell, ct).ConfigureAwait(false);
        Machine.EnsureNotOwnedByAnother(_paths, namespaces);
        var recordedConfig = LabApiServerConfig.Read(_paths.ApiServerConfigPath);
        var recorded = recordedConfig?.Scenario;
        if (namespaces.Count > 0 && recorded is not null && recorded != scenario)
        {
            throw new LabException($"the lab is up with scenario '{recorded}'; run 'ebpf-console lab down' first");
        }

        if (namespaces.Count > 0 && recordedConfig is not null && nodes is { } wanted && wanted != recordedConfig.Nodes)
        {
            throw new LabException($"the lab is up with {recordedConfig.Nodes} nodes; run 'ebpf-console lab down' first");
        }

        var count = nodes ?? recordedConfig?.Nodes ?? LabTopology.DefaultNodes;
        await LabRoutes.EnsureNoConflictAsync(Shell, ct).ConfigureAwait(false);
        var definition = LoadScenario(scenario!);
        var status = await StatusAsync(count, ct).ConfigureAwait(false);
        if (status.Up)
        {
            if (Machine.ReadOwner() is null)
            {
                Machine.WriteOwner(_paths);
            }

            Report($"lab is already up (scenario {scenario}, {count} nodes, datapath {status.Datapath}); nothing to do");
            return status;
        }

        var apiServer = ApiServer();
        await apiServer.EnsurePortFreeAsync(ct).ConfigureAwait(false);
        var sameLab = recordedConfig is not null && recordedConfig.Scenario == scenario && recordedConfig.Nodes == count;
        if (sameLab && status.Health.All(h => h.Value || h.Key == LabHealth.ApiServer))
        {
            return await RestartApiServerAsync(apiServer, definition, count, ct).ConfigureAwait(false);
        }

        if (namespaces.Count > 0)
        {
            var broken = status.Health.Where(h => !h.Value).Select(h => h.Key);
            Report($"found a partial lab (not healthy: {string.Join(", ", broken)}): tearing it down and rebuilding");
        }

        await Teardown().RunAsync(ct).ConfigureAwait(false);
        if (!sameLab)
        {
            // Objects of another scenario or node count (or of a lab from before the API server) must not seed this one.
            DeleteApiState();
        }

        Machine.WriteOwner(_paths);
        var hosts = LabTopology.NodesFor(count);
        Report($"creating namespaces, bridge, veths and the pod network (scenario {scenario}, {count} nodes)");
        await Shell.RunAllAsync(LabTopologyBuilder.Commands(definition, count), ct).ConfigureAwait(false);

        var sshd = new SshdLauncher(_paths, Shell);
        Report("preparing SSH keys (kept across ups) and known_hosts");
        await sshd.EnsureKeysAsync(hosts, ct).ConfigureAwait(false);
        Machine.EnsureCalicoRunDir();
        foreach (var node in hosts.Where(n => definition.FactsFor(n.Name) is { Bpffs: false } or { Cgroup2: false }))
        {
            var facts = definition.FactsFor(node.Name);
            var missing = new[] { facts.Bpffs ? null : "no BPF filesystem", facts.Cgroup2 ? null : $"no cgroup2 at {SshdLauncher.CalicoCgroupPath}" };
            Report($"{node.Name} ({node.Ip}): {string.Join(", ", missing.OfType<string>())}");
        }

        Report($"starting sshd on {(count == 1 ? hosts[0].Name : $"{count} nodes ({hosts[0].Name} … {hosts[^1].Name}, {hosts[0].Ip} … {hosts[^1].Ip})")}");
        await sshd.StartAllAsync(hosts, n => definition.FactsFor(n.Name), null, ct).ConfigureAwait(false);

        Report($"starting nginx in pod {LabTopology.Pod.Namespace} ({LabTopology.Pod.Ip})");
        await new NginxLauncher(_paths, Shell).StartAsync(ct).ConfigureAwait(false);
        var mode = StartingMode();
        Report($"datapath {DatapathConfigurator.NameOf(mode)}");
        await Datapath.ApplyAsync(mode, ct).ConfigureAwait(false);
        Report($"starting the API server on {LabApiServerLauncher.Url} (log {_paths.ApiServerLogPath})");
        await apiServer.StartAsync(ConfigFor(definition, count), ct).ConfigureAwait(false);
        return await WaitHealthyAsync("lab is up", count, ct).ConfigureAwait(false);
    }

    /// <summary>Up with the scenario of the lab that is up (or was last built here), else <see cref="DefaultScenario"/>.</summary>
    public Task<LabStatus> EnsureUpAsync(CancellationToken ct) => UpAsync(RecordedScenario() ?? DefaultScenario, ct);

    /// <summary>
    /// Removes every lab process (the API server too), namespace and the host link, whichever state directory owns
    /// the lab, then the API objects and any `lab mode` override: the next `up` starts from its scenario. Safe
    /// when nothing exists. Processes that survive SIGKILL are reported after everything else was removed.
    /// </summary>
    public async Task DownAsync(CancellationToken ct)
    {
        EnsureEnvironment();
        using var held = await LockAsync(ct).ConfigureAwait(false);
        await Teardown().RunAsync(ct).ConfigureAwait(false);
        DeleteApiState();
        Guard(_paths.ModeOverridePath, () => LabDatapath.ClearOverride(_paths));
        Machine.RemoveCalicoRunDir(_progress);
        Machine.RemoveOwner();
        Report("lab is down");
    }

    /// <summary>Forces <paramref name="mode"/> at once and keeps it (a manual override): the lab controller leaves the datapath alone.</summary>
    public async Task<LabStatus> GetStatusAsync(CancellationToken ct)
    {
        EnsureEnvironment();
        return await StatusAsync(RecordedNodes(), ct).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="count"/> requests from a client (client|client2) to a node's NodePort (node-1|node-2).</summary>
    public Task<IReadOnlyList<CurlResult>> CurlAsync(string from, string target, int count, CancellationToken ct) =>
        CurlAsync(from, target, count, localPort: null, ct);

    /// <summary><paramref name="count"/> requests from a client to a node's NodePort, from <paramref name="localPort"/> when given.</summary>
    public async Task<IReadOnlyList<CurlResult>> CurlAsync(string from, string target, int count, int? localPort, CancellationToken ct)
    {
        var client = LabTopology.Clients.FirstOrDefault(c => c.Name == from)
            ?? throw new LabException($"unknown client '{from}'; allowed: {string.Join(", ", LabTopology.Clients.Select(c => c.Name))}");
        var node = LabTopology.Nodes.FirstOrDefault(n => n.Name == target)
            ?? throw new LabException($"unknown target '{target}'; allowed: {string.Join(", ", LabTopology.Nodes.Select(n => n.Name))}");
        if (count is < 1 or > 1000)
        {
            throw new LabException($"count must be between 1 and 1000, not {count}");
        }

        if (localPort is < LabCurl.MinLocalPort or > 65535)
        {
            throw new LabException($"local port must be between {LabCurl.MinLocalPort} and 65535, not {localPort}");
        }

        EnsureEnvironment();
        var present = await LabTeardown.ListNamespacesAsync(Shell, ct).ConfigureAwait(false);
        Machine.EnsureNotOwnedByAnother(_paths, present);
        if (!present.Contains(client.Namespace))
        {
            throw new LabException("the lab is not up: run 'ebpf-console lab up' first");
        }

        var results = new List<CurlResult>(count);
        for (var i = 0; i < count; i++)
        {
            var result = await Shell.RunAsync(LabCurl.Command(client, node, localPort), ct).ConfigureAwait(false);
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

    private async Task<LabStatus> StatusAsync(int nodes, CancellationToken ct)
    {
        var recorded = Datapath.ReadRecorded();
        var health = await new LabHealth(_paths, Shell, Proc, nodes).ProbeAsync(recorded, ct).ConfigureAwait(false);
        return new LabStatus(
            health.Values.All(v => v),
            DatapathModes.TryParse(recorded, out var mode) ? mode : null,
            LabTopology.NodesFor(nodes),
            LabTopology.Clients,
            LabTopology.Pod,
            _paths.StateDir,
            health)
        {
            Datapath = recorded,
            Scenario = RecordedScenario(),
            ManualOverride = LabDatapath.ReadOverride(_paths) is not null,
            Kubeconfig = File.Exists(_paths.KubeconfigPath) ? _paths.KubeconfigPath : null,
            ViewerKubeconfig = File.Exists(_paths.ViewerKubeconfigPath) ? _paths.ViewerKubeconfigPath : null,
        };
    }

    /// <summary>Polls the health probes until all pass; the probes themselves run under the same deadline.</summary>
    private async Task<LabStatus> WaitHealthyAsync(string done, int nodes, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(HealthTimeout);
        LabStatus? status = null;
        try
        {
            while (!(status = await StatusAsync(nodes, timeout.Token).ConfigureAwait(false)).Up)
            {
                await Task.Delay(100, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            var broken = status is null ? "a health probe did not answer" : string.Join(", ", status.Health.Where(h => !h.Value).Select(h => h.Key));
            throw new LabException($"the lab did not become healthy within {HealthTimeout.TotalSeconds:0.###} s (failing: {broken}). {LogHints()}", ex);
        }

        Report(done);
        return status;
    }

    /// <summary>Everything but the API server is healthy: stop what is left of it and start it again on the persisted objects.</summary>
    /// <summary>The lock, with the lab up and owned by this state directory (`mode`).</summary>
    private async Task<LabLock> LockUpLabAsync(CancellationToken ct)
    {
        EnsureEnvironment();
        _paths.EnsureStateDir();
        var held = await LockAsync(ct).ConfigureAwait(false);
        try
        {
            var present = await LabTeardown.ListNamespacesAsync(Shell, ct).ConfigureAwait(false);
            Machine.EnsureNotOwnedByAnother(_paths, present);
            if (!LabTopology.Namespaces.All(present.Contains))
            {
                throw new LabException("the lab is not up: run 'ebpf-console lab up' first");
            }

            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    private string LogHints()
    {
        var logs = LabTopology.NodesFor(RecordedNodes()).Select(_paths.SshdLogPath).Append(_paths.NginxErrorLogPath).Append(_paths.ApiServerLogPath).Where(File.Exists);
        return "Logs: " + string.Join(", ", logs);
    }

    private static void Guard(string path, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LabException($"cannot remove {path}: {ex.Message}", ex);
        }
    }

    private Task<LabLock> LockAsync(CancellationToken ct)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new LabException("the lab needs Linux (network namespaces)");
        }

        return Machine.LockAsync(LockTimeout, _progress, ct);
    }

    private LabTeardown Teardown()
    {
        var owner = Machine.ReadOwner();
        var others = owner is not null && !LabMachine.IsOwner(_paths, owner) ? new[] { new LabPaths(owner) } : [];
        return new LabTeardown(_paths, Shell, _progress) { Proc = Proc, Grace = StopGrace, OtherStateDirs = others };
    }

    private void Report(string message) => _progress?.Invoke(message);
}
