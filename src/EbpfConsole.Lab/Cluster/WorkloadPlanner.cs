using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Cluster;

/// <summary>What a controller wants done: pods to create (on which node) and pods to delete, with the reason.</summary>
internal sealed record WorkloadPlan(IReadOnlyList<string> CreateOnNodes, IReadOnlyList<(string Pod, string Reason)> Delete)
{
    public static WorkloadPlan Nothing { get; } = new([], []);

    public bool IsEmpty => CreateOnNodes.Count == 0 && Delete.Count == 0;
}

/// <summary>
/// The DaemonSet and ReplicaSet controllers as pure functions over objects: one pod per eligible node with the
/// current template hash (DaemonSet), spec.replicas pods (ReplicaSet); stale, misplaced and surplus pods go.
/// </summary>
internal static class WorkloadPlanner
{
    public const string RevisionHashLabel = "controller-revision-hash";
    public const string PodTemplateHashLabel = "pod-template-hash";

    /// <summary>The pods <paramref name="owner"/> controls (ownerReferences controller uid), deleted ones excluded.</summary>
    public static IReadOnlyList<JsonObject> OwnedPods(JsonObject owner, IEnumerable<JsonObject> pods) =>
        pods.Where(p => ClusterJson.ControllerOf(p)?.Uid == ClusterJson.Uid(owner) && ClusterJson.Node(p, "metadata", "deletionTimestamp") is null).ToList();

    public static string DaemonSetHash(JsonObject ds) => LabNames.TemplateHash(ClusterJson.Node(ds, "spec", "template"));

    public static WorkloadPlan PlanDaemonSet(JsonObject ds, IReadOnlyList<JsonObject> nodes, IReadOnlyList<JsonObject> ownedPods)
    {
        var hash = DaemonSetHash(ds);
        var eligible = LabSelectors.EligibleNodes(ClusterJson.Obj(ds, "spec", "template", "spec"), nodes).Select(ClusterJson.Name).ToHashSet(StringComparer.Ordinal);
        var deletes = new List<(string, string)>();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in ownedPods.OrderBy(p => ClusterJson.Str(p, "metadata", "creationTimestamp"), StringComparer.Ordinal))
        {
            var node = ClusterJson.Str(pod, "spec", "nodeName") ?? string.Empty;
            if (!eligible.Contains(node))
            {
                deletes.Add((ClusterJson.Name(pod), $"node {node} no longer matches the DaemonSet's node selector"));
            }
            else if (ClusterJson.Labels(pod).GetValueOrDefault(RevisionHashLabel) != hash)
            {
                deletes.Add((ClusterJson.Name(pod), "the pod template changed"));
            }
            else if (!covered.Add(node))
            {
                deletes.Add((ClusterJson.Name(pod), $"a second pod on node {node}"));
            }
        }

        // A replaced pod is created in the same pass (the real controller waits for the old one; the lab's pods stop at once).
        var creates = eligible.Where(n => !covered.Contains(n)).OrderBy(n => n, StringComparer.Ordinal).ToList();
        return new WorkloadPlan(creates, deletes);
    }

    /// <summary>Pods a ReplicaSet must add or remove; new pods are placed by <paramref name="place"/> (null = unschedulable).</summary>
    public static WorkloadPlan PlanReplicaSet(JsonObject rs, IReadOnlyList<JsonObject> ownedPods, Func<JsonObject, string?> place)
    {
        ArgumentNullException.ThrowIfNull(place);
        var replicas = ClusterJson.Int(rs, "spec", "replicas") ?? 1;
        var pods = ownedPods.OrderBy(p => ClusterJson.Str(p, "metadata", "creationTimestamp"), StringComparer.Ordinal).ToList();
        if (pods.Count > replicas)
        {
            // Newest first, as the ReplicaSet controller prefers to delete pods that are not yet ready.
            var surplus = pods.AsEnumerable().Reverse().Take(pods.Count - replicas).Select(p => (ClusterJson.Name(p), "scaled down")).ToList();
            return new WorkloadPlan([], surplus);
        }

        var template = ClusterJson.Obj(rs, "spec", "template") ?? [];
        var node = place(template);
        return node is null || pods.Count == replicas ? WorkloadPlan.Nothing : new WorkloadPlan(Enumerable.Repeat(node, replicas - pods.Count).ToList(), []);
    }

    /// <summary>
    /// The scheduler's choice for a pod (or a Deployment's pod template): among the nodes its nodeSelector allows
    /// and that are not cordoned, hostNetwork pods on the first (node-1), others on the backend node (node-2,
    /// where the real nginx pod lives) when allowed.
    /// </summary>
    public static string? Place(JsonObject template, IReadOnlyList<JsonObject> nodes)
    {
        var schedulable = nodes.Where(n => !(ClusterJson.Obj(n, "spec")?["unschedulable"] is JsonValue v && v.TryGetValue<bool>(out var cordoned) && cordoned));
        var eligible = LabSelectors.EligibleNodes(ClusterJson.Obj(template, "spec"), schedulable).Select(ClusterJson.Name).ToList();
        if (eligible.Count == 0)
        {
            return null;
        }

        return !PodBuilder.HostNetwork(template) && eligible.Contains(LabTopology.BackendNode.Name) ? LabTopology.BackendNode.Name : eligible[0];
    }

    /// <summary>The ReplicaSet a Deployment wants now: name deploy-hash, replicas and selector from the Deployment.</summary>
    public static JsonObject DesiredReplicaSet(JsonObject deployment)
    {
        var template = ClusterJson.Obj(deployment, "spec", "template")?.DeepClone() as JsonObject ?? [];
        var hash = LabNames.TemplateHash(template);
        ClusterJson.Ensure(template, "metadata", "labels")[PodTemplateHashLabel] = hash;
        var selector = ClusterJson.Obj(deployment, "spec", "selector")?.DeepClone() as JsonObject ?? [];
        ClusterJson.Ensure(selector, "matchLabels")[PodTemplateHashLabel] = hash;
        var labels = new Dictionary<string, string>(ClusterJson.Map(deployment, "spec", "template", "metadata", "labels"), StringComparer.Ordinal) { [PodTemplateHashLabel] = hash };
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{ClusterJson.Name(deployment)}-{hash}",
                ["namespace"] = ClusterJson.Namespace(deployment),
                ["labels"] = ClusterJson.ToObject(labels),
                ["annotations"] = new JsonObject { ["deployment.kubernetes.io/desired-replicas"] = (ClusterJson.Int(deployment, "spec", "replicas") ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ["ownerReferences"] = new JsonArray(ClusterJson.OwnerReference(deployment)),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = ClusterJson.Int(deployment, "spec", "replicas") ?? 1,
                ["selector"] = selector,
                ["template"] = template,
            },
        };
    }
}
