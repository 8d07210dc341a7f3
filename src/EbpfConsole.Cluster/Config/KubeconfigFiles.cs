using EbpfConsole.Core.Preflight;
using k8s;
using k8s.KubeConfigModels;
using KubeCluster = k8s.KubeConfigModels.Cluster;
using YamlDotNet.Core;

namespace EbpfConsole.Cluster.Config;

/// <summary>
/// Kubeconfig files read and merged as kubectl merges them: the first file that defines a cluster, user or context
/// name wins, and current-context comes from the first file that sets one. Relative paths (certificate-authority,
/// client-certificate, client-key) are made absolute against the file that holds them, before merging.
/// </summary>
internal sealed class KubeconfigFiles
{
    private readonly Dictionary<string, (Context Context, string File)> _contexts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (KubeCluster Cluster, string File)> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (User User, string File)> _users = new(StringComparer.Ordinal);
    private readonly List<string> _contextOrder = [];

    private KubeconfigFiles(string description) => Description = description;

    /// <summary>The source's description, for messages.</summary>
    public string Description { get; }

    public string? CurrentContext { get; private set; }

    public IReadOnlyList<string> ContextNames => _contextOrder;

    /// <summary>Reads every file of <paramref name="source"/>; unreadable or malformed → <see cref="ClusterUnavailableException"/>.</summary>
    public static KubeconfigFiles Read(KubeconfigSource source)
    {
        var merged = new KubeconfigFiles(source.Description);
        foreach (var file in source.Files)
        {
            merged.Add(Parse(file), file);
        }

        return merged;
    }

    public (Context Context, string File)? FindContext(string name) => _contexts.TryGetValue(name, out var found) ? found : null;

    public (KubeCluster Cluster, string File)? FindCluster(string name) => _clusters.TryGetValue(name, out var found) ? found : null;

    public (User User, string File)? FindUser(string name) => _users.TryGetValue(name, out var found) ? found : null;

    internal static K8SConfiguration Parse(string file)
    {
        K8SConfiguration? config;
        try
        {
            config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(file), useRelativePaths: false);
        }
        catch (YamlException ex)
        {
            var inner = ex;
            while (inner.InnerException is YamlException deeper)
            {
                inner = deeper;
            }

            var detail = inner.InnerException is not null || inner.Message.Contains("deserializ", StringComparison.OrdinalIgnoreCase)
                ? "a value of the wrong kind here; a kubeconfig is a mapping of apiVersion, kind, clusters, users, contexts and current-context"
                : OneLine.Of(StripMark(inner.Message));
            throw new ClusterUnavailableException(
                $"kubeconfig {file}: not a valid kubeconfig (YAML line {ex.Start.Line}, column {ex.Start.Column}: {detail})", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ClusterUnavailableException($"kubeconfig {file}: cannot read it: {OneLine.Of(ex.Message)}", ex);
        }

        if (config is null)
        {
            throw new ClusterUnavailableException($"kubeconfig {file}: the file is empty");
        }

        var directory = Path.GetDirectoryName(file);
        foreach (var cluster in config.Clusters ?? [])
        {
            if (cluster?.ClusterEndpoint is { } endpoint)
            {
                endpoint.CertificateAuthority = Absolute(endpoint.CertificateAuthority, directory);
            }
        }

        foreach (var user in config.Users ?? [])
        {
            if (user?.UserCredentials is { } credentials)
            {
                credentials.ClientCertificate = Absolute(credentials.ClientCertificate, directory);
                credentials.ClientKey = Absolute(credentials.ClientKey, directory);
            }
        }

        return config;
    }

    private void Add(K8SConfiguration config, string file)
    {
        if (string.IsNullOrEmpty(CurrentContext) && !string.IsNullOrEmpty(config.CurrentContext))
        {
            CurrentContext = config.CurrentContext;
        }

        foreach (var context in config.Contexts ?? [])
        {
            if (context?.Name is { } name && _contexts.TryAdd(name, (context, file)))
            {
                _contextOrder.Add(name);
            }
        }

        foreach (var cluster in config.Clusters ?? [])
        {
            if (cluster?.Name is { } name)
            {
                _clusters.TryAdd(name, (cluster, file));
            }
        }

        foreach (var user in config.Users ?? [])
        {
            if (user?.Name is { } name)
            {
                _users.TryAdd(name, (user, file));
            }
        }
    }

    private static string? Absolute(string? path, string? directory) =>
        string.IsNullOrEmpty(path) || Path.IsPathRooted(path) || directory is null ? path : Path.GetFullPath(Path.Combine(directory, path));

    /// <summary>YamlDotNet prefixes "(Line: 1, Col: 1, Idx: 0) - (Line: …): "; the line and column are said separately.</summary>
    private static string StripMark(string message)
    {
        var at = message.LastIndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && at > 0 ? message[(at + 3)..] : message;
    }
}
