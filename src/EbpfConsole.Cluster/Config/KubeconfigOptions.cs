namespace EbpfConsole.Cluster.Config;

/// <summary>
/// How the user chose the cluster: <c>--kubeconfig FILE</c> and <c>--context NAME</c> (both optional; the usual
/// conventions fill the rest, see <see cref="KubeconfigSource"/>).
/// </summary>
/// <param name="KubeconfigPath">--kubeconfig: one file; beats KUBECONFIG and ~/.kube/config.</param>
/// <param name="Context">--context: the context to use instead of current-context.</param>
public sealed record KubeconfigOptions(string? KubeconfigPath = null, string? Context = null)
{
    /// <summary>Limit for one API request (preflight reads, first contact).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Limit for one run of an exec credential plugin.</summary>
    public TimeSpan ExecTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// What the kubeconfig conventions read from the process: environment variables, the home directory and the
/// in-cluster service account directory. Tests give their own; <see cref="Process"/> is the real one.
/// </summary>
/// <param name="Variable">Reads an environment variable (KUBECONFIG, KUBERNETES_SERVICE_HOST, …).</param>
/// <param name="Home">The user's home directory (~/.kube/config lives below it); null when unknown.</param>
/// <param name="ServiceAccountDirectory">Where a pod's service account token, ca.crt and namespace are mounted.</param>
public sealed record KubeconfigEnvironment(Func<string, string?> Variable, string? Home, string ServiceAccountDirectory)
{
    /// <summary>The standard mount point of a pod's service account.</summary>
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>This process: its environment, $HOME, the standard service account directory.</summary>
    public static KubeconfigEnvironment Process { get; } = new(
        Environment.GetEnvironmentVariable,
        Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        DefaultServiceAccountDirectory);

    /// <summary>~/.kube/config, or null without a home directory.</summary>
    public string? DefaultKubeconfigPath => string.IsNullOrEmpty(Home) ? null : Path.Combine(Home, ".kube", "config");
}
