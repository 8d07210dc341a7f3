namespace EbpfConsole.Core.Preflight;

/// <summary>One section of the node probe: the command as shown to the user, its exit code, and its output verbatim.</summary>
public sealed record ProbeOutput(string Command, int? ExitCode, string Output);

/// <summary>
/// What preflight read on one node over SSH. <see cref="Failure"/> is set when the node could not be read at all
/// (unreachable, timed out, authentication failed, host key refused, sudo refused…): every SSH-based check of the
/// node is then unknown with that reason. Otherwise <see cref="Outputs"/> holds the probe's sections by key.
/// </summary>
public sealed record NodeFacts(string Node, string Address, string? Failure, IReadOnlyDictionary<string, ProbeOutput> Outputs)
{
    public static NodeFacts Failed(string node, string address, string failure) =>
        new(node, address, failure, new Dictionary<string, ProbeOutput>());
}

/// <summary>The result of running one script on a node. <see cref="Failure"/>: the node could not be reached or the
/// command could not run (the message names host, port, user and the cause); then the other fields are empty.</summary>
public sealed record ShellResult(int? ExitCode, string StandardOutput, string StandardError, string? Failure = null);

/// <summary>Runs a shell script on a node (over SSH). Never throws for node failures: they are <see cref="ShellResult.Failure"/>.</summary>
public interface INodeShell
{
    /// <param name="target">The node.</param>
    /// <param name="script">A POSIX sh script, sent on stdin or as the command.</param>
    /// <param name="timeout">Limit for connecting and running together.</param>
    /// <param name="cancellationToken">Cancels the run (throws <see cref="OperationCanceledException"/>).</param>
    Task<ShellResult> RunAsync(Nodes.NodeTarget target, string script, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>Reads <see cref="ClusterFacts"/> through the Kubernetes API. Throws <see cref="ClusterUnavailableException"/> when
/// the API cannot be used at all (no/garbage kubeconfig, server down, TLS failure, unauthorized); partial read errors are in the facts.</summary>
public interface IClusterReader
{
    Task<ClusterFacts> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>The cluster cannot be read at all; the message says why in one line (no stack trace for the user).</summary>
public sealed class ClusterUnavailableException : Exception
{
    public ClusterUnavailableException()
    {
    }

    public ClusterUnavailableException(string message)
        : base(message)
    {
    }

    public ClusterUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
