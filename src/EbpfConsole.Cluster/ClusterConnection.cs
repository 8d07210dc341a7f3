using System.Security.Cryptography;
using EbpfConsole.Cluster.Api;
using EbpfConsole.Cluster.Config;
using EbpfConsole.Core.Preflight;
using k8s;
using k8s.Exceptions;

namespace EbpfConsole.Cluster;

/// <summary>
/// A KubernetesClient connection made from the usual kubeconfig conventions (<see cref="KubeconfigSource"/>),
/// with the console's own TLS verification (clear "not trusted" / "name mismatch" reasons) and exec plugins.
/// Opening does not contact the server; the first request does (see <see cref="KubernetesClusterReader"/>).
/// </summary>
public sealed class ClusterConnection : IDisposable
{
    private readonly Kubernetes _client;

    private ClusterConnection(Kubernetes client, LoadedKubeconfig loaded, ServerCertificateValidator tls, TimeSpan requestTimeout)
    {
        _client = client;
        Server = loaded.Server.TrimEnd('/');
        Identity = loaded.Identity;
        Context = loaded.Context;
        Source = loaded.Source;
        RequestTimeout = requestTimeout;
        Api = new RawApi(client, tls, Server, Identity, requestTimeout, loaded.Config.TlsServerName);
    }

    /// <summary>The client, for typed calls (migration steps).</summary>
    public IKubernetes Client => _client;

    /// <summary>The API server URL, e.g. https://127.0.0.1:6443.</summary>
    public string Server { get; }

    /// <summary>Who the console is to the API: the context's user name (in-cluster: the service account).</summary>
    public string Identity { get; }

    /// <summary>The context used; null in-cluster.</summary>
    public string? Context { get; }

    /// <summary>Where the configuration came from.</summary>
    public KubeconfigSource Source { get; }

    /// <summary>Limit for one request.</summary>
    public TimeSpan RequestTimeout { get; }

    internal RawApi Api { get; }

    /// <summary>Opens a connection for this process's environment. Throws <see cref="ClusterUnavailableException"/> (one line).</summary>
    public static ClusterConnection Open(KubeconfigOptions options) => Open(options, KubeconfigEnvironment.Process);

    /// <summary>Opens a connection; <paramref name="environment"/> supplies KUBECONFIG, HOME and the in-cluster paths.</summary>
    public static ClusterConnection Open(KubeconfigOptions options, KubeconfigEnvironment environment, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var loaded = KubeconfigLoader.Load(options, environment, time ?? TimeProvider.System, cancellationToken);
        var tls = new ServerCertificateValidator(loaded.CaCertificates, loaded.Config.SkipTlsVerify);
        loaded.Config.FirstMessageHandlerSetup = tls.Install;
        try
        {
            return new ClusterConnection(new Kubernetes(loaded.Config), loaded, tls, options.RequestTimeout);
        }
        catch (Exception ex) when (ex is KubeConfigException or CryptographicException or FormatException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            var where = loaded.Context is null ? loaded.Source.Description : $"context '{loaded.Context}' in {loaded.Source.Description}";
            throw new ClusterUnavailableException($"{where}: the client certificate or key of user '{loaded.Identity}' cannot be used: {OneLine.Of(ex.Message)}", ex);
        }
    }

    public void Dispose() => _client.Dispose();
}
