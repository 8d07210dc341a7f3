using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Lab.Cluster;

/// <summary>
/// One reconcile pass of the lab's controllers (operator, DaemonSet, Deployment, ReplicaSet, garbage collector),
/// kubelet (pod start, emulated Felix and kube-proxy), endpoints and the datapath. Every write goes through the
/// store, so watches see it; a pass over settled objects writes nothing. Not thread-safe: the controller serialises passes.
/// </summary>
internal sealed partial class LabReconciler
{
    private readonly ObjectStore _store;
    private readonly LabPaths _paths;
    private readonly ILabDatapath _datapath;
    private readonly TimeProvider _time;
    private readonly Func<LabScenario> _scenario;
    private readonly LabEvents _events;
    private readonly PodLogFiles _logs;
    private readonly LabNames _names;
    private readonly Action<string>? _diagnostics;
    private readonly Dictionary<string, DateTimeOffset> _lastConflict = new(StringComparer.Ordinal);

    public LabReconciler(ObjectStore store, LabPaths paths, ILabDatapath datapath, TimeProvider time, Func<LabScenario> scenario, PodLogFiles logs, LabNames names, Action<string>? diagnostics)
    {
        _store = store;
        _paths = paths;
        _datapath = datapath;
        _time = time;
        _scenario = scenario;
        _logs = logs;
        _names = names;
        _diagnostics = diagnostics;
        _events = new LabEvents(store, time);
    }

    /// <summary>How long a pod stays ContainerCreating before it runs.</summary>
    public TimeSpan StartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often Felix and kube-proxy fight over iptables while both run (the conflict).</summary>
    public TimeSpan ConflictInterval { get; init; } = TimeSpan.FromSeconds(5);

    private DateTimeOffset Now => _time.GetUtcNow();

    private LabScenario Scenario => _scenario();

    public async Task PassAsync(CancellationToken ct)
    {
        Step("operator", RunOperator);
        Step("garbage collection", CollectGarbage);
        Step("daemonsets", ReconcileDaemonSets);
        Step("deployments", ReconcileDeployments);
        Step("replicasets", ReconcileReplicaSets);
        Step("scheduler", Schedule);
        Step("kubelet", RunKubelet);
        Step("felix", RunFelix);
        Step("workload status", UpdateWorkloadStatus);
        Step("endpoints", UpdateEndpoints);
        Step("pod logs", RemoveLogsOfDeletedPods);
        Step("events", _events.Trim);
        await ReconcileDatapathAsync(ct).ConfigureAwait(false);
    }

    private void Step(string what, Action action)
    {
        try
        {
            action();
        }
        catch (ApiException ex)
        {
            // Someone changed or deleted an object meanwhile (409/404): the next pass sees the new state.
            _diagnostics?.Invoke($"lab controller: {what}: {ex.Message}");
        }
    }

    private List<JsonObject> List(ResourceType resource, string? ns = null, string? labelSelector = null) =>
        ClusterJson.Objects(ClusterJson.Arr(_store.List(resource, ns, new ListOptions(labelSelector)), "items")).ToList();

    private JsonObject? ConfigMap(string ns, string name) => _store.TryGet(ResourceCatalog.ConfigMaps, ns, name);

    /// <summary>Writes .status when it differs from what is stored (compared without volatile fields by the caller).</summary>
    private void WriteStatus(ResourceType resource, JsonObject obj, JsonObject status)
    {
        if (JsonNode.DeepEquals(obj["status"], status))
        {
            return;
        }

        var body = new JsonObject
        {
            ["apiVersion"] = resource.ApiVersion,
            ["kind"] = resource.Kind,
            ["metadata"] = new JsonObject { ["name"] = ClusterJson.Name(obj), ["namespace"] = ClusterJson.Namespace(obj) },
            ["status"] = status,
        };
        if (!resource.Namespaced)
        {
            ((JsonObject)body["metadata"]!).Remove("namespace");
        }

        _store.UpdateStatus(resource, ClusterJson.Namespace(obj), ClusterJson.Name(obj), body);
    }

    private void MergePatchObject(ResourceType resource, JsonObject obj, JsonObject patch) =>
        _store.Patch(resource, ClusterJson.Namespace(obj), ClusterJson.Name(obj), PatchType.Merge, patch.ToJsonString());

    private void DeletePod(JsonObject pod, string reason)
    {
        try
        {
            _store.Delete(ResourceCatalog.Pods, ClusterJson.Namespace(pod), ClusterJson.Name(pod));
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            return;
        }

        _events.Normal(pod, "Killing", $"Stopping container {string.Join(", ", PodBuilder.ContainerNames(pod))} ({reason})", "kubelet", ClusterJson.Str(pod, "spec", "nodeName"));
    }

    /// <summary>The owner-reference garbage collector: ReplicaSets and pods whose controlling owner is gone are deleted.</summary>
    private void CollectGarbage()
    {
        var owners = List(ResourceCatalog.DaemonSets).Concat(List(ResourceCatalog.Deployments)).Select(ClusterJson.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var rs in List(ResourceCatalog.ReplicaSets))
        {
            if (ClusterJson.ControllerOf(rs) is { } owner && !owners.Contains(owner.Uid))
            {
                _store.Delete(ResourceCatalog.ReplicaSets, ClusterJson.Namespace(rs), ClusterJson.Name(rs));
            }
            else
            {
                owners.Add(ClusterJson.Uid(rs));
            }
        }

        foreach (var pod in List(ResourceCatalog.Pods))
        {
            if (ClusterJson.ControllerOf(pod) is { } owner && !owners.Contains(owner.Uid))
            {
                DeletePod(pod, $"its owner {owner.Kind} {owner.Name} was deleted");
            }
        }
    }

    private void RemoveLogsOfDeletedPods() =>
        _logs.RemoveAllExcept(List(ResourceCatalog.Pods).Select(p => PodLogFiles.Key(ClusterJson.Namespace(p)!, ClusterJson.Name(p))).ToHashSet(StringComparer.Ordinal));

    private List<JsonObject> Nodes() => List(ResourceCatalog.Nodes);

    private static string NodeIp(string? nodeName) =>
        LabTopology.FindNode(nodeName)?.Ip ?? LabTopology.HostIp;
}
