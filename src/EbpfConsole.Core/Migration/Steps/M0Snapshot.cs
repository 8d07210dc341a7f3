using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Migration.Steps;

/// <summary>DOMAIN.md M0: read every object the migration may touch into the journal, so rollback can restore them.</summary>
internal sealed class M0Snapshot(MigrationTarget plan) : PlanStep(plan)
{
    /// <summary>P10 is what M1 fixes; P16 only matters for DSR (M7).</summary>
    private static readonly string[] NotBlocking = ["P10", "P16"];

    public override StepId Id => StepId.M0;

    public override string Title => "Snapshot the objects the migration touches";

    public override string Why =>
        "Before anything changes, the console stores kube-proxy's DaemonSet and ConfigMap, calico-node, FelixConfiguration default"
        + (IsOperator ? ", the Installation" : "")
        + " and ConfigMap kubernetes-services-endpoint in the journal (DOMAIN.md M0), so a rollback puts each one back exactly as it was. "
        + "A failed preflight check stops the migration here.";

    /// <summary>Every failed preflight check except P10 (M1 fixes it) and P16 (only M7 needs it).</summary>
    public override IReadOnlyList<string> BlockingChecks { get; } =
        CheckCatalog.All.Select(c => c.Id).Where(id => !NotBlocking.Contains(id, StringComparer.Ordinal)).ToList();

    public override string? NotApplicableReason(MigrationTarget target) => null;

    public override Task<StepCheck> CheckAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var missing = Missing(context);
        return Task.FromResult(context.Journal.SnapshotAt is { } at && missing.Count == 0
            ? StepCheck.Done($"snapshot of {context.Target.Touched.Count} objects taken {StepKit.Stamp(at)}")
            : StepCheck.Pending(context.Journal.SnapshotAt is null
                ? "no snapshot in the journal yet"
                : $"the snapshot lacks {string.Join(", ", missing.Select(r => r.Display))}"));
    }

    public override Task<StepPreview> PreviewAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(StepKit.Preview(context, Id, [new SnapshotObjects(context.Target.Touched)], []));
    }

    public override Task<VerifyResult> VerifyAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var missing = Missing(context);
        var lines = context.Target.Touched.Select(r => context.Journal.Snapshot.TryGetValue(r.Key, out var s)
            ? $"{r.Display}: {(s.Json is null ? "absent" : $"resourceVersion {StepKit.Text(s.Json, "metadata.resourceVersion") ?? "?"}")}"
            : $"{r.Display}: not in the snapshot").ToArray();
        return Task.FromResult(context.Journal.SnapshotAt is not null && missing.Count == 0
            ? VerifyResult.Pass($"the journal holds the snapshot of {lines.Length} objects", lines)
            : VerifyResult.Fail(context.Journal.SnapshotAt is null
                ? "the journal has no snapshot"
                : $"the journal's snapshot lacks {string.Join(", ", missing.Select(r => r.Display))}", lines));
    }

    private static List<Api.ObjectRef> Missing(StepContext context) =>
        context.Target.Touched.Where(r => !context.Journal.Snapshot.ContainsKey(r.Key)).ToList();
}
