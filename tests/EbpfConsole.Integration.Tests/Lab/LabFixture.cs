using EbpfConsole.Core.Datapath;
using EbpfConsole.Integration.Tests.Support;
using EbpfConsole.Lab;
using k8s;

namespace EbpfConsole.Integration.Tests.Lab;

/// <summary>
/// The lab is machine-global (namespaces, eclab-host): every test that touches it belongs to this one
/// collection so none run in parallel. The fixture brings the lab up once and takes it down at the end.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LabCollectionDefinition : ICollectionFixture<LabFixture>
{
    public const string Name = "lab";
}

public sealed class LabFixture : IAsyncLifetime
{
    /// <summary>The tests' own state directory (keys kept across runs), separate from a user's lab.</summary>
    public static readonly string StateDir = Path.Combine(Path.GetTempPath(), "ebpf-console-lab-tests");

    private readonly List<string> _progress = [];

    public LabFixture()
    {
        Paths = new LabPaths(StateDir);
        Service = NewService();
    }

    public LabPaths Paths { get; }

    public LabService Service { get; }

    public IReadOnlyList<string> Progress
    {
        get
        {
            lock (_progress)
            {
                return [.. _progress];
            }
        }
    }

    /// <summary>A second service on the same state dir, e.g. with its own progress hook.</summary>
    public LabService NewService(Action<string>? progress = null, TimeSpan? lockTimeout = null) =>
        new(Paths, new ProcessRunner(), progress ?? Record) { LockTimeout = lockTimeout ?? LabLock.DefaultTimeout };

    public static void RequireTools()
    {
        Requirements.Root();
        foreach (var tool in new[] { "ip", "iptables", "sshd", "nginx", "curl", "conntrack", "ssh-keygen", "ssh", "tcpdump" })
        {
            Requirements.Tool(tool);
        }
    }

    /// <summary>
    /// Up with the default scenario (a no-op when already healthy; a lab left up with another scenario is taken down
    /// first) in <paramref name="mode"/> (forced, as `lab mode` does); fails the test unless fully healthy.
    /// </summary>
    public async Task<LabStatus> EnsureUpAsync(DatapathMode? mode = null)
    {
        var status = await UpScenarioAsync(LabService.DefaultScenario);
        Assert.True(status.Up, "lab not healthy after up: " + string.Join(", ", status.Health.Where(h => !h.Value).Select(h => h.Key)));
        if (mode is { } m && status.Mode != m)
        {
            await Service.SetModeAsync(m, CancellationToken.None);
            status = await Service.GetStatusAsync(CancellationToken.None);
            Assert.Equal(m, status.Mode);
            Assert.True(status.Up);
        }

        return status;
    }

    /// <summary>Up with <paramref name="scenario"/> and <paramref name="nodes"/> nodes, taking down a lab that is up with another scenario or count first.</summary>
    public async Task<LabStatus> UpScenarioAsync(string scenario, int nodes = LabTopology.DefaultNodes)
    {
        var recorded = LabApiServerConfig.Read(Paths.ApiServerConfigPath);
        if (recorded is not null && (recorded.Scenario != scenario || recorded.Nodes != nodes))
        {
            await Service.DownAsync(CancellationToken.None);
        }

        return await Service.UpAsync(scenario, nodes, CancellationToken.None);
    }

    /// <summary>A KubernetesClient for the lab's API server, from the lab's kubeconfig.</summary>
    public IKubernetes Kubernetes() =>
        new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Paths.KubeconfigPath));

    public async Task InitializeAsync()
    {
        RequireTools();
        await EnsureUpAsync();
    }

    public async Task DisposeAsync()
    {
        if (Environment.IsPrivilegedProcess)
        {
            await Service.DownAsync(CancellationToken.None);
        }
    }

    private void Record(string message)
    {
        lock (_progress)
        {
            _progress.Add(message);
        }
    }
}
