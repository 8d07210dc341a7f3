using System.Globalization;
using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Lab.Cluster;

/// <summary>The default scheduler, for pods created without a node (`kubectl run`, a pod manifest): the controllers place their own.</summary>
internal sealed partial class LabReconciler
{
    private void Schedule()
    {
        var nodes = List(ResourceCatalog.Nodes);
        foreach (var pod in List(ResourceCatalog.Pods).Where(p => ClusterJson.Str(p, "spec", "nodeName") is null && ClusterJson.Str(p, "metadata", "deletionTimestamp") is null))
        {
            var node = WorkloadPlanner.Place(pod, nodes);
            if (node is null)
            {
                if (PodBuilder.Phase(pod) == "Pending"
                    && ClusterJson.Objects(ClusterJson.Arr(pod, "status", "conditions")).Any(c => ClusterJson.Str(c, "reason") == "Unschedulable"))
                {
                    continue; // already said so; the real scheduler retries with back-off, quietly here
                }

                var reason = $"0/{nodes.Count} nodes are available: {nodes.Count} node(s) didn't match Pod's node affinity/selector or were unschedulable.";
                WriteStatus(ResourceCatalog.Pods, pod, Unschedulable(reason));
                _events.Warning(pod, "FailedScheduling", reason, "default-scheduler");
                continue;
            }

            MergePatchObject(ResourceCatalog.Pods, pod, new JsonObject
            {
                ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [PodBuilder.ScheduledAtAnnotation] = Now.ToString("O", CultureInfo.InvariantCulture) } },
                ["spec"] = new JsonObject { ["nodeName"] = node },
            });
            if (_store.TryGet(ResourceCatalog.Pods, ClusterJson.Namespace(pod), ClusterJson.Name(pod)) is { } placed)
            {
                WriteStatus(ResourceCatalog.Pods, placed, PodBuilder.PendingStatus(placed, NodeIp(node), Now));
            }

            _events.Normal(pod, "Scheduled", $"Successfully assigned {ClusterJson.Namespace(pod)}/{ClusterJson.Name(pod)} to {node}", "default-scheduler");
        }
    }

    private JsonObject Unschedulable(string message) => new()
    {
        ["phase"] = "Pending",
        ["conditions"] = new JsonArray(new JsonObject
        {
            ["type"] = "PodScheduled",
            ["status"] = "False",
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = Now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["reason"] = "Unschedulable",
            ["message"] = message,
        }),
        ["qosClass"] = "BestEffort",
    };
}
