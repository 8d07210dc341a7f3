namespace EbpfConsole.Lab.Api;

/// <summary>The query of <c>GET …/pods/NAME/log</c> (null = not given).</summary>
public sealed record PodLogOptions(string? Container = null, bool Follow = false, int? TailLines = null, bool Timestamps = false, long? LimitBytes = null, bool Previous = false);

/// <summary>
/// Where pod logs come from (the lab controller: emulated Felix lines, nginx's real access log). Throws
/// <see cref="ApiException"/> for an unknown pod (404) or container (400, naming the pod's containers).
/// With <see cref="PodLogOptions.Follow"/> it writes until the pod is deleted or <paramref name="ct"/> is cancelled.
/// </summary>
public interface IPodLogSource
{
    Task WriteAsync(string ns, string pod, PodLogOptions options, Stream output, CancellationToken ct);
}
