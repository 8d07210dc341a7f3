namespace EbpfConsole.Core.Migration.Steps;

/// <summary>The calico-node (Felix) log lines DOMAIN.md names, and the checks built on them (M3, M5, M6).</summary>
internal static class CalicoNodeLogs
{
    public const string OverrideLine = "Kubernetes server override env vars";
    public const string BpfStarted = "BPF enabled, starting BPF endpoint manager";
    public const string KernelUnsupported = "BPF dataplane mode enabled but not supported by the kernel";

    /// <summary>
    /// DOMAIN.md M6 verify: every calico-node pod Ready and its log (since <paramref name="since"/>) has "BPF enabled, starting
    /// BPF endpoint manager"; "not supported by the kernel" fails at once (P2: Felix fell back to iptables).
    /// </summary>
    public static async Task<Observation> BpfActiveAsync(StepContext ctx, DateTimeOffset? since, CancellationToken ct)
    {
        var ns = ctx.Target.CalicoNamespace;
        var pods = await Pods.ListAsync(ctx, ns, StepKit.CalicoNodeSelector, ct).ConfigureAwait(false);
        var logs = await PodLogs.ReadAsync(ctx, ns, pods, since, ct).ConfigureAwait(false);
        foreach (var (pod, lines) in logs)
        {
            if (PodLogs.Find(lines, KernelUnsupported) is { } line)
            {
                return Observation.Failed(
                    $"{pod.Display}: Felix says \"{KernelUnsupported}\": this node's kernel cannot run eBPF (P2), so Felix fell back to "
                    + "iptables and, with kube-proxy off, Services break on it; roll back M6 (and M4) or upgrade the kernel",
                    [$"{pod.Name}: {line}"]);
            }
        }

        var ready = Pods.AllReady(pods, "calico-node");
        var evidence = logs.Select(l => PodLogs.Find(l.Lines, BpfStarted) is { } found ? $"{l.Pod.Name}: {found}" : null).OfType<string>().ToList();
        if (!ready.Ok)
        {
            return ready with { Lines = [.. ready.Lines, .. evidence] };
        }

        var missing = logs.Where(l => PodLogs.Find(l.Lines, BpfStarted) is null).Select(l => l.Pod).ToList();
        if (missing.Count > 0)
        {
            return Observation.NotYet(
                $"{pods.Count - missing.Count}/{pods.Count} calico-node pods logged \"{BpfStarted}\"; not yet {missing[0].Display}",
                [.. ready.Lines, .. evidence]);
        }

        return Observation.Done($"{pods.Count}/{pods.Count} calico-node pods Ready with the BPF dataplane", [.. ready.Lines, .. evidence]);
    }
}
