using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab.Cluster;

namespace EbpfConsole.Lab;

/// <summary>The lab's API server as a lab service, and the trainer's datapath override beside its controller.</summary>
public sealed partial class LabService
{
    public async Task SetModeAsync(DatapathMode mode, CancellationToken ct)
    {
        using var held = await LockUpLabAsync(ct).ConfigureAwait(false);
        await LabDatapath.WriteOverrideAsync(_paths, mode, ct).ConfigureAwait(false);
        Report($"switching datapath to {mode.ToName()} (previous rules removed, conntrack flushed); manual override until 'lab mode auto'");
        await Datapath.ApplyAsync(mode, ct).ConfigureAwait(false);
    }

    /// <summary>Ends a manual override: the lab controller applies what the API objects say within a second or two.</summary>
    public async Task ClearModeOverrideAsync(CancellationToken ct)
    {
        using (await LockUpLabAsync(ct).ConfigureAwait(false))
        {
            Guard(_paths.ModeOverridePath, () => LabDatapath.ClearOverride(_paths));
        }

        Report("manual override removed: the API objects decide the datapath again");
    }

    /// <summary>The kubeconfig of the running lab's API server; a <see cref="LabException"/> when the lab or its API server is not up.</summary>
    public async Task<string> GetKubeconfigAsync(CancellationToken ct)
    {
        EnsureEnvironment();
        var present = await LabTeardown.ListNamespacesAsync(Shell, ct).ConfigureAwait(false);
        Machine.EnsureNotOwnedByAnother(_paths, present);
        if (!LabTopology.Namespaces.All(present.Contains) || Proc.LiveDaemonPid(LabDaemon.ApiServer(_paths)) is null || !File.Exists(_paths.KubeconfigPath))
        {
            throw new LabException("the lab's API server is not up: run 'ebpf-console lab up' first");
        }

        return _paths.KubeconfigPath;
    }

    private async Task<LabStatus> RestartApiServerAsync(LabApiServerLauncher apiServer, LabScenario scenario, int nodes, CancellationToken ct)
    {
        if (Machine.ReadOwner() is null)
        {
            Machine.WriteOwner(_paths);
        }

        Report($"the API server is not running: restarting it (objects kept; log {_paths.ApiServerLogPath})");
        await Teardown().StopDaemonAsync(apiServer.Daemon, ct).ConfigureAwait(false);
        await apiServer.StartAsync(ConfigFor(scenario, nodes), ct).ConfigureAwait(false);
        return await WaitHealthyAsync("API server restarted cleanly; lab is up", nodes, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The datapath a fresh build starts with: a trainer's override; else, while the API objects are kept, what the
    /// controller last applied; else the scenario's start (every scenario starts with kube-proxy in iptables mode).
    /// The controller then applies what the objects say.
    /// </summary>
    private DatapathMode? StartingMode()
    {
        if (LabDatapath.ReadOverride(_paths) is { } forced)
        {
            return forced;
        }

        var recorded = File.Exists(_paths.ApiStatePath) ? Datapath.ReadRecorded() : null;
        return recorded == DatapathPlan.None ? null : DatapathModes.TryParse(recorded, out var mode) ? mode : ScenarioStartMode;
    }

    private static LabApiServerConfig ConfigFor(LabScenario scenario, int nodes) =>
        new(scenario.Name, LabApiServerConfig.DefaultListen, scenario.KubernetesVersion) { Nodes = nodes };

    private string? RecordedScenario() => LabApiServerConfig.Read(_paths.ApiServerConfigPath)?.Scenario;

    /// <summary>The node count of the lab that is up (or was last built here), else <see cref="LabTopology.DefaultNodes"/>.</summary>
    private int RecordedNodes() => LabApiServerConfig.Read(_paths.ApiServerConfigPath)?.Nodes ?? LabTopology.DefaultNodes;

    private LabApiServerLauncher ApiServer() => new(_paths, Shell, Proc)
    {
        ReadyTimeout = ApiServerReadyTimeout,
        PortAnswers = ApiServerPortAnswers ?? LabApiServerLauncher.ConnectsAsync,
        BaseDirectory = ApiServerDirectory ?? AppContext.BaseDirectory,
    };

    private void DeleteApiState() => Guard(_paths.ApiDir, () =>
    {
        if (Directory.Exists(_paths.ApiDir))
        {
            Directory.Delete(_paths.ApiDir, recursive: true);
        }
    });
}
