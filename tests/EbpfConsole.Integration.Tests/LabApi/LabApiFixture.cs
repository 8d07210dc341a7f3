using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using EbpfConsole.Lab;
using EbpfConsole.Lab.Api;
using EbpfConsole.Lab.ApiServer;
using k8s;

namespace EbpfConsole.Integration.Tests.LabApi;

/// <summary>
/// One in-process lab API server on 127.0.0.1 (ephemeral port) with a temporary state directory: PKI and a
/// kubeconfig generated for it, objects persisted to the state directory, fake pod logs. No lab needed.
/// </summary>
public sealed class LabApiFixture : IAsyncLifetime, IDisposable
{
    private LabApiHost? _host;

    public LabApiFixture()
    {
        StateDir = Path.Combine(Path.GetTempPath(), $"ebpf-console-labapi-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Paths = new LabPaths(StateDir);
    }

    public string StateDir { get; }

    public LabPaths Paths { get; }

    public LabPki Pki { get; private set; } = null!;

    public ObjectStore Store { get; private set; } = null!;

    internal FakePodLogs PodLogs { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The kubeconfig pointing at this host's port.</summary>
    public string KubeconfigPath => Path.Combine(StateDir, "test-kubeconfig");

    /// <summary>The read-only viewer's kubeconfig pointing at this host's port.</summary>
    public string ViewerKubeconfigPath => Path.Combine(StateDir, "test-viewer-kubeconfig");

    public string LogPath => Path.Combine(StateDir, "apiserver-test.log");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(StateDir);
        Pki = await LabPki.EnsureAsync(Paths);
        await StartAsync();
    }

    /// <summary>Stops the host and starts a new one (new store loaded from the state file) on the same port.</summary>
    public async Task RestartAsync()
    {
        var port = BaseAddress.Port;
        await _host!.DisposeAsync();
        _host = null;
        await StartAsync(port);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
            _host = null;
        }

        Pki.Dispose();
        Directory.Delete(StateDir, recursive: true);
    }

    public void Dispose()
    {
        _host?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _host = null;
    }

    /// <summary>An HttpClient that trusts the lab CA and (unless <paramref name="withClientCertificate"/> is false) presents the admin certificate.</summary>
    public HttpClient Http(bool withClientCertificate = true, X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is X509Certificate2 server
                    && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
                    && LabPki.IsIssuedBy(server, Pki.CaCertificate, LabPki.ServerAuthOid),
                ClientCertificates = withClientCertificate ? [clientCertificate ?? Pki.ClientCertificate] : [],
                LocalCertificateSelectionCallback = withClientCertificate ? (_, _, _, _, _) => clientCertificate ?? Pki.ClientCertificate : null,
            },
            UseProxy = false,
        };
        return new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public IKubernetes Kubernetes() =>
        new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));

    /// <summary>A namespace of its own for one test (created through the store).</summary>
    public string NewNamespace(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
        Store.Create(ResourceCatalog.Namespaces, null, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name },
        });
        return name;
    }

    private async Task StartAsync(int port = 0)
    {
        Store = new ObjectStore(Paths.ApiStatePath);
        _host = new LabApiHost(Pki, Store, PodLogs, new LabApiHostOptions([new IPEndPoint(IPAddress.Loopback, port)], LogPath: LogPath));
        await _host.StartAsync(CancellationToken.None);
        BaseAddress = _host.Addresses.Single();
        LabKubeconfig.Write(Paths, KubeconfigPath, BaseAddress.ToString().TrimEnd('/'));
        LabKubeconfig.WriteViewer(Paths, ViewerKubeconfigPath, BaseAddress.ToString().TrimEnd('/'));
    }
}

[CollectionDefinition(Name)]
public sealed class LabApiCollectionDefinition : ICollectionFixture<LabApiFixture>
{
    public const string Name = "lab-api";
}
