using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Tui.Tests.Checklist;

/// <summary>A migration engine that serves the snapshot a test sets and records what the Checklist pane asked of it.</summary>
internal sealed class FakeMigration : IMigrationActions
{
    private readonly List<string> _calls = [];

    public FakeMigration(MigrationSnapshot latest) => Latest = latest;

    public MigrationSnapshot Latest { get; set; }

    /// <summary>What PreviewAsync gives, by step (a step not here: null, "cannot be previewed").</summary>
    public Dictionary<StepId, StepPreview> Previews { get; } = [];

    /// <summary>What PreviewRollbackAsync gives for a target (null key: everything).</summary>
    public Func<StepId?, RollbackPlan?> RollbackPlans { get; set; } = _ => null;

    public List<StepPreview> Applied { get; } = [];

    public List<RollbackPlan> RolledBack { get; } = [];

    /// <summary>Every call, in order: "preview M4", "apply M4", "verify M2", "preview-rollback M2", "rollback all", "refresh".</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public Task RefreshAsync(CancellationToken cancellationToken)
    {
        Record("refresh");
        return Task.CompletedTask;
    }

    public Task<StepPreview?> PreviewAsync(StepId id, CancellationToken cancellationToken)
    {
        Record($"preview {id}");
        return Task.FromResult(Previews.TryGetValue(id, out var preview) ? preview : null);
    }

    public Task ApplyAsync(StepPreview approved, CancellationToken cancellationToken)
    {
        lock (_calls)
        {
            Applied.Add(approved);
            _calls.Add($"apply {approved.Step}");
        }

        return Task.CompletedTask;
    }

    public Task VerifyAsync(StepId id, CancellationToken cancellationToken)
    {
        Record($"verify {id}");
        return Task.CompletedTask;
    }

    public Task<RollbackPlan?> PreviewRollbackAsync(StepId? target, CancellationToken cancellationToken)
    {
        Record($"preview-rollback {(target is { } t ? t.ToString() : "all")}");
        return Task.FromResult(RollbackPlans(target));
    }

    public Task RollbackAsync(RollbackPlan approved, CancellationToken cancellationToken)
    {
        lock (_calls)
        {
            RolledBack.Add(approved);
            _calls.Add($"rollback {(approved.To is { } t ? t.ToString() : "all")}");
        }

        return Task.CompletedTask;
    }

    private void Record(string call)
    {
        lock (_calls)
        {
            _calls.Add(call);
        }
    }

    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The manifest plan of the lab's healthy scenario, M0–M3 done, M4 next.</summary>
    public static IReadOnlyList<StepRow> Rows(StepState m4 = StepState.Pending) =>
    [
        new(StepId.M0, "Snapshot the objects the migration touches", StepState.Done, "5 objects in the journal", "Rollback restores them (DOMAIN.md M0).", false),
        new(StepId.M1, "kube-proxy ipvs → iptables", StepState.NotApplicable, "kube-proxy already runs iptables (P10)", "P10: ipvs leaves kube-ipvs0.", false),
        new(StepId.M2, "Create the kubernetes-services-endpoint ConfigMap", StepState.Done, "already in the wanted state", "Felix talks to the API directly.", false),
        new(StepId.M3, "Restart calico-node", StepState.Done, "3/3 calico-node pods Ready", "calico-node reads the ConfigMap at start.", false),
        new(StepId.M4, "Disable kube-proxy", m4, m4 == StepState.Interrupted ? "apply interrupted at 12:03" : "kube-proxy runs on 2 nodes",
            "eBPF replaces kube-proxy; both would fight over NodePorts.", true),
        new(StepId.M5, "Operator: BPF with bootstrap", StepState.NotApplicable, "manifest install", "Operator ≥ 3.31 only.", true),
        new(StepId.M6, "Enable the eBPF dataplane", StepState.Blocked, "M4 is not done", "FelixConfiguration bpfEnabled: true.", true),
        new(StepId.M7, "DSR for external NodePort traffic", StepState.Blocked, "M6 is not done", "Replies leave the backend node directly.", true),
        new(StepId.M8, "Test workload: nginx + NodePort 30604", StepState.Pending, "", "Proves the client IP is kept.", false),
        new(StepId.M10, "Emergency tc cleanup on a dark node", StepState.Pending, "on demand only", "#6739.", false),
    ];

    public static MigrationSnapshot Snapshot(
        StepState m4 = StepState.Pending, bool readOnly = false, bool dryRun = false, string? interrupted = null, ProofComparison? comparison = null) =>
        new(Rows(m4), "manifest (Calico v3.29.3)", "/home/op/.local/state/ebpf-console/migrations/lab.jsonl", readOnly, dryRun, null, null, interrupted,
            new Dictionary<StepId, string> { [StepId.M3] = "M3: 1 change\n\n1. restart pods k8s-app=calico-node in kube-system (3 now)" },
            new Dictionary<StepId, IReadOnlyList<string>> { [StepId.M3] = ["calico-node-4xk2p Ready", "log: Kubernetes server override env vars. KUBERNETES_SERVICE_HOST=10.99.0.11"] },
            null, comparison);

    /// <summary>M4's preview: the kube-proxy DaemonSet gets the non-calico nodeSelector.</summary>
    public static StepPreview M4Preview()
    {
        var before = JsonNode.Parse("""
            {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "kube-proxy", "namespace": "kube-system", "resourceVersion": "12"},
             "spec": {"template": {"spec": {"hostNetwork": true, "nodeSelector": {"kubernetes.io/os": "linux"}, "priorityClassName": "system-node-critical"}}}}
            """)!.AsObject();
        var after = (JsonObject)before.DeepClone();
        after["spec"]!["template"]!["spec"]!["nodeSelector"]!["non-calico"] = "true";
        var body = JsonNode.Parse("""{"spec":{"template":{"spec":{"nodeSelector":{"non-calico":"true"}}}}}""")!.AsObject();
        return new StepPreview(StepId.M4,
            [new ObjectChange(MigrationObjects.KubeProxyDaemonSet, ObjectChangeKind.Patch, body, PatchKind.Strategic, before, after)],
            ["kube-proxy pods stop; eBPF is not on yet: NodePorts pass through Calico's iptables meanwhile"],
            T0);
    }
}
