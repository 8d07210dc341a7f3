using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using EbpfConsole.Core.Preflight;
using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using KubeCluster = k8s.KubeConfigModels.Cluster;

namespace EbpfConsole.Cluster.Config;

/// <summary>A kubeconfig turned into a client configuration.</summary>
/// <param name="Config">For KubernetesClient; its CA is taken out (<see cref="CaCertificates"/>): the console verifies TLS itself.</param>
/// <param name="Server">The API server URL.</param>
/// <param name="Identity">The context's user name (in-cluster: the service account).</param>
/// <param name="Context">The context used; null in-cluster.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="CaCertificates">The certificate-authority to trust instead of the system's, if the kubeconfig gives one.</param>
internal sealed record LoadedKubeconfig(
    KubernetesClientConfiguration Config,
    string Server,
    string Identity,
    string? Context,
    KubeconfigSource Source,
    X509Certificate2Collection? CaCertificates);

/// <summary>
/// Picks the context (--context, else current-context), checks that its cluster and user exist and their files
/// are there, runs an exec credential plugin, and builds a <see cref="KubernetesClientConfiguration"/> from the
/// chosen context only. Every problem is a <see cref="ClusterUnavailableException"/> with one line naming the file.
/// </summary>
internal static class KubeconfigLoader
{
    public static LoadedKubeconfig Load(KubeconfigOptions options, KubeconfigEnvironment environment, TimeProvider time, CancellationToken cancellationToken)
    {
        var source = KubeconfigSource.Resolve(options, environment);
        if (source.Kind == KubeconfigSourceKind.InCluster)
        {
            var (inCluster, identity) = InClusterConfig.Build(environment);
            var ca = inCluster.SslCaCerts;
            inCluster.SslCaCerts = null;
            return new LoadedKubeconfig(inCluster, inCluster.Host, identity, null, source, ca);
        }

        var files = KubeconfigFiles.Read(source);
        var contextName = Choose(options, files);
        var (context, contextFile) = files.FindContext(contextName)
            ?? throw new ClusterUnavailableException(
                $"context '{contextName}' not in {files.Description}; known: {Known(files.ContextNames)}");
        var where = $"context '{contextName}' in {contextFile}";
        var clusterName = context.ContextDetails?.Cluster;
        if (string.IsNullOrEmpty(clusterName))
        {
            throw new ClusterUnavailableException($"{where}: names no cluster");
        }

        var (cluster, clusterFile) = files.FindCluster(clusterName)
            ?? throw new ClusterUnavailableException($"{where}: cluster '{clusterName}' is not defined in {files.Description}");
        var server = cluster.ClusterEndpoint?.Server;
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new ClusterUnavailableException($"cluster '{clusterName}' in {clusterFile}: no server URL");
        }

        if (!Uri.TryCreate(server, UriKind.Absolute, out var serverUri) || (serverUri.Scheme != "https" && serverUri.Scheme != "http"))
        {
            throw new ClusterUnavailableException($"cluster '{clusterName}' in {clusterFile}: server '{server}' is not an http(s) URL");
        }

        RequireFile(cluster.ClusterEndpoint!.CertificateAuthority, "certificate-authority", $"cluster '{clusterName}' in {clusterFile}");
        var userName = context.ContextDetails!.User;
        User? user = null;
        if (!string.IsNullOrEmpty(userName))
        {
            string userFile;
            (user, userFile) = files.FindUser(userName)
                ?? throw new ClusterUnavailableException($"{where}: user '{userName}' is not defined in {files.Description}");
            var userWhere = $"user '{userName}' in {userFile}";
            if (user.UserCredentials is { } credentials)
            {
                RequireFile(credentials.ClientCertificate, "client-certificate", userWhere);
                RequireFile(credentials.ClientKey, "client-key", userWhere);
                if (credentials.ExternalExecution is { } exec)
                {
                    ApplyExec(credentials, exec, Path.GetDirectoryName(userFile), userWhere, cluster.ClusterEndpoint, options, environment, time, cancellationToken, out var provider);
                    var built = Build(contextName, context, cluster, user, where);
                    built.TokenProvider = provider;
                    return Loaded(built, userName, contextName, source);
                }
            }
        }

        return Loaded(Build(contextName, context, cluster, user, where), userName ?? "(no user)", contextName, source);
    }

    private static string Choose(KubeconfigOptions options, KubeconfigFiles files)
    {
        if (!string.IsNullOrEmpty(options.Context))
        {
            return options.Context;
        }

        if (!string.IsNullOrEmpty(files.CurrentContext))
        {
            return files.CurrentContext;
        }

        throw new ClusterUnavailableException(files.ContextNames.Count == 0
            ? $"kubeconfig {files.Description}: no contexts defined"
            : $"kubeconfig {files.Description}: no current-context; pass --context (known: {Known(files.ContextNames)})");
    }

    private static string Known(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);

    private static void RequireFile(string? path, string field, string where)
    {
        if (!string.IsNullOrEmpty(path) && !File.Exists(path))
        {
            throw new ClusterUnavailableException($"{where}: {field} {path}: not found");
        }
    }

    /// <summary>Runs the plugin now (so a failure is reported before any request) and puts its credential in place of the exec block.</summary>
    private static void ApplyExec(
        UserCredentials credentials,
        ExternalExecution exec,
        string? directory,
        string where,
        ClusterEndpoint endpoint,
        KubeconfigOptions options,
        KubeconfigEnvironment environment,
        TimeProvider time,
        CancellationToken cancellationToken,
        out ExecPluginTokenProvider? provider)
    {
        var clusterInfo = new JsonObject
        {
            ["server"] = endpoint.Server,
            ["tls-server-name"] = endpoint.TlsServerName,
            ["insecure-skip-tls-verify"] = endpoint.SkipTlsVerify,
            ["certificate-authority-data"] = endpoint.CertificateAuthorityData
                ?? (endpoint.CertificateAuthority is { } caFile ? Convert.ToBase64String(File.ReadAllBytes(caFile)) : null),
        };
        ExecCredential credential;
        ExecCredentialPlugin plugin;
        try
        {
            plugin = new ExecCredentialPlugin(exec, directory, where, clusterInfo, environment.Variable("PATH"), options.ExecTimeout);
            credential = plugin.RunAsync(cancellationToken).GetAwaiter().GetResult();
        }
        catch (ExecCredentialException ex)
        {
            throw new ClusterUnavailableException(ex.Message, ex);
        }

        credentials.ExternalExecution = null;
        credentials.ClientCertificateData = credential.ClientCertificatePem is { } pem ? Convert.ToBase64String(Encoding.ASCII.GetBytes(pem)) : null;
        credentials.ClientKeyData = credential.ClientKeyPem is { } key ? Convert.ToBase64String(Encoding.ASCII.GetBytes(key)) : null;
        credentials.Token = null;
        provider = credential.Token is null ? null : new ExecPluginTokenProvider(plugin, credential, time);
        if (provider is not null)
        {
            // KubernetesClient needs some credential on the user to accept it; the provider then supplies (and refreshes) the token.
            credentials.Token = credential.Token;
        }
    }

    private static KubernetesClientConfiguration Build(string contextName, Context context, KubeCluster cluster, User? user, string where)
    {
        var reduced = new K8SConfiguration
        {
            ApiVersion = "v1",
            Kind = "Config",
            CurrentContext = contextName,
            Contexts = [context],
            Clusters = [cluster],
            Users = user is null ? [] : [user],
        };
        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(reduced);
        }
        catch (Exception ex) when (ex is KubeConfigException or FormatException or CryptographicException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new ClusterUnavailableException($"{where}: {OneLine.Of(ex.Message)}", ex);
        }
    }

    private static LoadedKubeconfig Loaded(KubernetesClientConfiguration config, string identity, string context, KubeconfigSource source)
    {
        var ca = config.SslCaCerts;
        config.SslCaCerts = null;
        return new LoadedKubeconfig(config, config.Host, identity, context, source, ca);
    }
}
