using System.Net;
using EbpfConsole.Cluster;
using EbpfConsole.Cluster.Config;
using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab;
using EbpfConsole.Lab.Api;
using EbpfConsole.Lab.ApiServer;
using EbpfConsole.Lab.Cluster;

namespace EbpfConsole.Integration.Tests.Cluster;

/// <summary>
/// An in-process lab API server seeded with one lab scenario (its objects and Node objects, no controller
/// running), on 127.0.0.1 with an ephemeral port, and its admin kubeconfig. No lab needed; loopback only.
/// </summary>
public abstract class ClusterApiFixture : IAsyncLifetime, IDisposable
{
    private LabApiHost? _host;

    protected ClusterApiFixture(string scenario)
    {
        Scenario = scenario;
        StateDir = Path.Combine(Path.GetTempPath(), $"ebpf-console-cluster-{scenario}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Paths = new LabPaths(StateDir);
    }

    public string Scenario { get; }

    public string StateDir { get; }

    public LabPaths Paths { get; }

    public LabPki Pki { get; private set; } = null!;

    public ObjectStore Store { get; private set; } = null!;

    /// <summary>https://127.0.0.1:PORT.</summary>
    public string Server { get; private set; } = null!;

    public string KubeconfigPath => Path.Combine(StateDir, "admin.kubeconfig");

    /// <summary>An environment without KUBECONFIG, home or service account: only --kubeconfig counts.</summary>
    public KubeconfigEnvironment KubeEnvironment => new(name => name == "PATH" ? Environment.GetEnvironmentVariable("PATH") : null, null, Path.Combine(StateDir, "no-serviceaccount"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(StateDir);
        Pki = await LabPki.EnsureAsync(Paths);
        Store = new ObjectStore(Paths.ApiStatePath);
        var controller = new LabController(Paths, Store, new NoDatapath());
        controller.EnsureSeeded(Scenario);
        _host = new LabApiHost(Pki, Store, controller, new LabApiHostOptions([new IPEndPoint(IPAddress.Loopback, 0)], LogPath: Path.Combine(StateDir, "apiserver.log")));
        await _host.StartAsync(CancellationToken.None);
        Server = _host.Addresses.Single().ToString().TrimEnd('/');
        LabKubeconfig.Write(Paths, KubeconfigPath, Server);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
            _host = null;
        }

        Pki?.Dispose();
        Directory.Delete(StateDir, recursive: true);
    }

    public void Dispose()
    {
        _host?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _host = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>Writes a kubeconfig file in the state directory and returns its path.</summary>
    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(StateDir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public ClusterConnection Open(string? kubeconfig = null, TimeSpan? timeout = null) =>
        ClusterConnection.Open(new KubeconfigOptions(kubeconfig ?? KubeconfigPath) { RequestTimeout = timeout ?? TimeSpan.FromSeconds(10) }, KubeEnvironment);

    private sealed class NoDatapath : ILabDatapath
    {
        public DatapathMode? ManualOverride => null;

        public string? Current => null;

        public Task ApplyAsync(DatapathMode? mode, CancellationToken ct) => Task.CompletedTask;
    }
}

/// <summary>The healthy scenario: manifest install in kube-system, kube-proxy iptables.</summary>
public sealed class HealthyClusterApiFixture() : ClusterApiFixture("healthy");

/// <summary>The operator scenario: Installation default, calico-node in calico-system.</summary>
public sealed class OperatorClusterApiFixture() : ClusterApiFixture("operator");

/// <summary>The kubekey-default scenario: kube-proxy in ipvs mode.</summary>
public sealed class KubekeyClusterApiFixture() : ClusterApiFixture("kubekey-default");
