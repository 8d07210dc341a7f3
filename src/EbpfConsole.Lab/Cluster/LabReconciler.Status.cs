using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Lab.Cluster;

internal sealed partial class LabReconciler
{
    private void UpdateWorkloadStatus()
    {
        var pods = List(ResourceCatalog.Pods);
        var nodes = Nodes();
        foreach (var ds in List(ResourceCatalog.DaemonSets))
        {
            WriteStatus(ResourceCatalog.DaemonSets, ds, WorkloadStatus.DaemonSet(ds, nodes, WorkloadPlanner.OwnedPods(ds, pods)));
        }

        var replicaSets = List(ResourceCatalog.ReplicaSets);
        foreach (var rs in replicaSets)
        {
            WriteStatus(ResourceCatalog.ReplicaSets, rs, WorkloadStatus.ReplicaSet(rs, WorkloadPlanner.OwnedPods(rs, pods)));
        }

        foreach (var deployment in List(ResourceCatalog.Deployments))
        {
            var owned = replicaSets.Where(rs => ClusterJson.ControllerOf(rs)?.Uid == ClusterJson.Uid(deployment)).ToList();
            var current = ClusterJson.Name(WorkloadPlanner.DesiredReplicaSet(deployment));
            var ownedPods = owned.SelectMany(rs => WorkloadPlanner.OwnedPods(rs, pods)).ToList();
            var currentPods = owned.Where(rs => ClusterJson.Name(rs) == current).SelectMany(rs => WorkloadPlanner.OwnedPods(rs, pods)).ToList();
            WriteStatus(ResourceCatalog.Deployments, deployment, WorkloadStatus.Deployment(deployment, current, ownedPods, currentPods, Now));
        }
    }

    /// <summary>The endpoints controller: each Service with a selector gets Endpoints of its pods (Ready → addresses).</summary>
    private void UpdateEndpoints()
    {
        var pods = List(ResourceCatalog.Pods);
        foreach (var service in List(ResourceCatalog.Services))
        {
            var selector = ClusterJson.Map(service, "spec", "selector");
            if (selector.Count == 0)
            {
                continue;
            }

            var ns = ClusterJson.Namespace(service)!;
            var members = pods.Where(p => ClusterJson.Namespace(p) == ns && PodBuilder.IsRunning(p) && ClusterJson.Str(p, "status", "podIP") is not null && LabSelectors.MatchesMap(selector, ClusterJson.Labels(p))).ToList();
            var wanted = WorkloadStatus.Endpoints(service, members);
            var existing = _store.TryGet(ResourceCatalog.Endpoints, ns, ClusterJson.Name(service));
            if (existing is null)
            {
                _store.Create(ResourceCatalog.Endpoints, ns, wanted);
            }
            else if (!JsonNode.DeepEquals(existing["subsets"], wanted["subsets"]))
            {
                existing["subsets"] = wanted["subsets"]!.DeepClone();
                ((JsonObject)existing["metadata"]!).Remove("resourceVersion");
                _store.Update(ResourceCatalog.Endpoints, ns, ClusterJson.Name(service), existing);
            }
        }
    }
}
