namespace EbpfConsole.Core.Migration.Steps;

/// <summary>DOMAIN.md M3 (manifest): restart calico-node, calico-kube-controllers and calico-typha so they read M2's ConfigMap.</summary>
internal sealed class M3RestartCalico(MigrationTarget plan) : PlanStep(plan)
{
    public static readonly string[] Selectors = [StepKit.CalicoNodeSelector, "k8s-app=calico-kube-controllers", "k8s-app=calico-typha"];

    public override StepId Id => StepId.M3;

    public override string Title => "Restart Calico so it reads the ConfigMap";

    public override string Why =>
        $"calico-node reads ConfigMap {MigrationObjects.ServicesEndpointName} only when it starts, so its pods (and calico-kube-controllers, "
        + "calico-typha) are restarted; each calico-node then logs \"Kubernetes server override env vars\" with the address (DOMAIN.md M3).";

    public override IReadOnlyList<StepId> After => [StepId.M2];

    public override string? NotApplicableReason(MigrationTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Install == InstallKind.Operator ? "the operator rolls calico-node itself when the ConfigMap changes" : null;
    }

    public override async Task<StepCheck> CheckAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cmRef = MigrationObjects.ServicesEndpointConfigMap(context.Target);
        var configMap = await context.Api.GetAsync(cmRef, cancellationToken).ConfigureAwait(false);
        if (configMap is null)
        {
            return StepCheck.Pending($"{cmRef.Display} does not exist yet (M2)");
        }

        var created = StepKit.Created(configMap);
        var groups = await GroupsAsync(context, cancellationToken).ConfigureAwait(false);
        if (groups.Count == 0 || groups[0].Selector != StepKit.CalicoNodeSelector)
        {
            return StepCheck.Pending($"no calico-node pods in {context.Target.CalicoNamespace}");
        }

        foreach (var (selector, pods) in groups)
        {
            // creationTimestamp has whole seconds: a pod of the same second counts as started after the ConfigMap.
            if (pods.FirstOrDefault(p => created is null || p.Created is null || p.Created < StepKit.FloorToSecond(created.Value)) is { } old)
            {
                return StepCheck.Pending($"{old.Display} started before {cmRef.Display} was created{(created is { } c ? $" ({StepKit.Stamp(c)})" : "")}");
            }

            if (pods.FirstOrDefault(p => !p.Ready) is { } notReady)
            {
                return StepCheck.Pending($"{notReady.Display} not Ready: {notReady.Why}");
            }
        }

        return StepCheck.Done($"every {string.Join(", ", groups.Select(g => g.Selector[(g.Selector.IndexOf('=', StringComparison.Ordinal) + 1)..]))} pod started after {cmRef.Display} and is Ready");
    }

    public override async Task<StepPreview> PreviewAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ns = context.Target.CalicoNamespace;
        var groups = await GroupsAsync(context, cancellationToken).ConfigureAwait(false);
        var changes = groups.Select(g => (PlannedChange)new PodRestart(ns, g.Selector, g.Pods.Select(p => p.Name).ToList())).ToList();
        var notes = new List<string> { "calico-node restarts on every node; the dataplane keeps forwarding meanwhile (still iptables)." };
        var cmRef = MigrationObjects.ServicesEndpointConfigMap(context.Target);
        var configMap = await context.Api.GetAsync(cmRef, cancellationToken).ConfigureAwait(false);
        if (StepKit.Created(configMap) is { } created && context.Time.GetUtcNow() - created < TimeSpan.FromSeconds(60))
        {
            notes.Add($"{cmRef.Display} was created {(int)(context.Time.GetUtcNow() - created).TotalSeconds} s ago: {M2ServicesEndpoint.WaitNote}");
        }

        return StepKit.Preview(context, Id, changes, notes);
    }

    public override Task<VerifyResult> VerifyAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var since = StepKit.BegunAt(context, Id);
        var ns = context.Target.CalicoNamespace;
        return Polling.UntilAsync(context, async ct =>
        {
            var groups = await GroupsAsync(context, ct).ConfigureAwait(false);
            if (groups.Count == 0 || groups[0].Selector != StepKit.CalicoNodeSelector)
            {
                return Observation.NotYet($"no calico-node pods in {ns} yet", []);
            }

            Observation? all = null;
            foreach (var (selector, pods) in groups)
            {
                var what = selector[(selector.IndexOf('=', StringComparison.Ordinal) + 1)..];
                var seen = Pods.AllReady(pods, what, since);
                all = all is null ? seen : all.And(seen);
            }

            return all!.Ok ? all.And(await OverrideLoggedAsync(context, groups[0].Pods, since, ct).ConfigureAwait(false)) : all;
        }, cancellationToken);
    }

    /// <summary>Each calico-node pod logged "Kubernetes server override env vars" (naming the chosen host, when known).</summary>
    private static async Task<Observation> OverrideLoggedAsync(StepContext context, IReadOnlyList<PodView> pods, DateTimeOffset? since, CancellationToken ct)
    {
        var logs = await PodLogs.ReadAsync(context, context.Target.CalicoNamespace, pods, since, ct).ConfigureAwait(false);
        var host = context.Target.Endpoint?.Host;
        var lines = new List<string>();
        PodView? missing = null;
        string? wrong = null;
        foreach (var (pod, log) in logs)
        {
            var line = PodLogs.Find(log, CalicoNodeLogs.OverrideLine);
            if (line is null)
            {
                missing ??= pod;
                continue;
            }

            lines.Add($"{pod.Name}: {line}");
            if (host is not null && !line.Contains(host, StringComparison.Ordinal))
            {
                wrong ??= $"{pod.Display} started without the ConfigMap's {host} (it logged: {line.Trim()})";
            }
        }

        if (wrong is not null)
        {
            return Observation.NotYet(wrong, lines);
        }

        return missing is null
            ? Observation.Done($"{pods.Count}/{pods.Count} calico-node pods logged \"{CalicoNodeLogs.OverrideLine}\"", lines)
            : Observation.NotYet($"{missing.Display} has not logged \"{CalicoNodeLogs.OverrideLine}\" yet", lines);
    }

    /// <summary>The selectors that have pods now, calico-node first, with their pods.</summary>
    private static async Task<List<(string Selector, IReadOnlyList<PodView> Pods)>> GroupsAsync(StepContext context, CancellationToken ct)
    {
        var groups = new List<(string, IReadOnlyList<PodView>)>();
        foreach (var selector in Selectors)
        {
            var pods = await Pods.ListAsync(context, context.Target.CalicoNamespace, selector, ct).ConfigureAwait(false);
            if (pods.Count > 0)
            {
                groups.Add((selector, pods));
            }
        }

        return groups;
    }

    /// <summary>Pod restarts are not reversible; M2's rollback restarts calico-node once the ConfigMap is gone (DOMAIN.md M3).</summary>
    public override Task<VerifyResult> VerifyRollbackAsync(StepContext context, CancellationToken cancellationToken) =>
        Task.FromResult(VerifyResult.Pass("nothing to undo: restarted pods stay restarted; M2's rollback restarts calico-node without the ConfigMap"));
}
