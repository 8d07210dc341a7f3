using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Cluster.Config;

/// <summary>Where the cluster configuration comes from.</summary>
public enum KubeconfigSourceKind
{
    /// <summary>--kubeconfig FILE.</summary>
    Flag,

    /// <summary>The KUBECONFIG list (colon-separated, merged: the first file wins per name).</summary>
    EnvironmentList,

    /// <summary>~/.kube/config.</summary>
    DefaultFile,

    /// <summary>The pod's service account (KUBERNETES_SERVICE_HOST/PORT + token and ca.crt).</summary>
    InCluster,
}

/// <summary>
/// The kubeconfig file(s) to read, chosen the way kubectl chooses them: <c>--kubeconfig FILE</c> beats
/// <c>KUBECONFIG</c> (a colon-separated list; missing entries are skipped), else <c>~/.kube/config</c>,
/// else the in-cluster service account. <see cref="Resolve"/> throws <see cref="ClusterUnavailableException"/>
/// with one line when none is usable.
/// </summary>
/// <param name="Kind">Which convention applied.</param>
/// <param name="Files">The existing files to merge, in order (empty for <see cref="KubeconfigSourceKind.InCluster"/>).</param>
/// <param name="Description">For messages: "/home/u/.kube/config", "KUBECONFIG /a:/b", "in-cluster service account".</param>
public sealed record KubeconfigSource(KubeconfigSourceKind Kind, IReadOnlyList<string> Files, string Description)
{
    /// <summary>The advice every "no kubeconfig" message ends with.</summary>
    public const string Advice = "set KUBECONFIG, pass --kubeconfig, or use --lab for the lab";

    /// <summary>Applies the conventions to <paramref name="options"/> and <paramref name="environment"/>.</summary>
    public static KubeconfigSource Resolve(KubeconfigOptions options, KubeconfigEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (options.KubeconfigPath is { } flag)
        {
            var path = Full(flag, environment);
            RequireFile(path);
            return new(KubeconfigSourceKind.Flag, [path], path);
        }

        if (environment.Variable("KUBECONFIG") is { Length: > 0 } list)
        {
            var entries = list.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(e => Full(e.Trim('"'), environment))
                .Distinct(StringComparer.Ordinal)
                .ToArray();
            var existing = entries.Where(File.Exists).ToArray();
            if (existing.Length == 0)
            {
                throw new ClusterUnavailableException(entries.Length == 1
                    ? $"kubeconfig {entries[0]} (from KUBECONFIG): not found; {Advice}"
                    : $"KUBECONFIG {list}: none of these files exists; {Advice}");
            }

            return new(KubeconfigSourceKind.EnvironmentList, existing, entries.Length == 1 ? entries[0] : $"KUBECONFIG {string.Join(':', entries)}");
        }

        if (environment.DefaultKubeconfigPath is { } defaultPath && File.Exists(defaultPath))
        {
            return new(KubeconfigSourceKind.DefaultFile, [defaultPath], defaultPath);
        }

        if (InClusterConfig.IsAvailable(environment))
        {
            return new(KubeconfigSourceKind.InCluster, [], $"in-cluster service account ({environment.ServiceAccountDirectory})");
        }

        throw new ClusterUnavailableException(environment.DefaultKubeconfigPath is { } missing
            ? $"kubeconfig {missing}: not found (KUBECONFIG is not set and this is not a pod); {Advice}"
            : $"no kubeconfig: KUBECONFIG is not set, there is no home directory and this is not a pod; {Advice}");
    }

    private static void RequireFile(string path)
    {
        if (Directory.Exists(path))
        {
            throw new ClusterUnavailableException($"kubeconfig {path}: is a directory, not a file; {Advice}");
        }

        if (!File.Exists(path))
        {
            throw new ClusterUnavailableException($"kubeconfig {path}: not found; {Advice}");
        }
    }

    /// <summary>Expands a leading "~/" (as shells do for flags) and makes the path absolute.</summary>
    private static string Full(string path, KubeconfigEnvironment environment)
    {
        if (path.StartsWith("~/", StringComparison.Ordinal) && !string.IsNullOrEmpty(environment.Home))
        {
            path = Path.Combine(environment.Home, path[2..]);
        }

        return Path.GetFullPath(path);
    }
}
