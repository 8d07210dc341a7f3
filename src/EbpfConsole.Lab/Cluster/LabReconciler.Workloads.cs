using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Lab.Cluster;

internal sealed partial class LabReconciler
{
    private void ReconcileDaemonSets()
    {
        var nodes = Nodes();
        var pods = List(ResourceCatalog.Pods);
        foreach (var ds in List(ResourceCatalog.DaemonSets))
        {
            var plan = WorkloadPlanner.PlanDaemonSet(ds, nodes, WorkloadPlanner.OwnedPods(ds, pods));
            foreach (var (podName, reason) in plan.Delete)
            {
                var pod = pods.First(p => ClusterJson.Name(p) == podName && ClusterJson.Namespace(p) == ClusterJson.Namespace(ds));
                DeletePod(pod, reason);
                _events.Normal(ds, "SuccessfulDelete", $"Deleted pod: {podName}", "daemonset-controller");
            }

            var hash = WorkloadPlanner.DaemonSetHash(ds);
            foreach (var node in plan.CreateOnNodes)
            {
                CreatePod(ds, ClusterJson.Obj(ds, "spec", "template") ?? [], node, WorkloadPlanner.RevisionHashLabel, hash, "daemonset-controller");
            }
        }
    }

    private void ReconcileDeployments()
    {
        var replicaSets = List(ResourceCatalog.ReplicaSets);
        foreach (var deployment in List(ResourceCatalog.Deployments))
        {
            var desired = WorkloadPlanner.DesiredReplicaSet(deployment);
            var owned = replicaSets.Where(rs => ClusterJson.ControllerOf(rs)?.Uid == ClusterJson.Uid(deployment)).ToList();
            var current = owned.FirstOrDefault(rs => ClusterJson.Name(rs) == ClusterJson.Name(desired));
            if (current is null)
            {
                var created = _store.Create(ResourceCatalog.ReplicaSets, ClusterJson.Namespace(deployment), desired);
                _events.Normal(deployment, "ScalingReplicaSet", $"Scaled up replica set {ClusterJson.Name(created)} from 0 to {ClusterJson.Int(desired, "spec", "replicas")}", "deployment-controller");
            }
            else if (ClusterJson.Int(current, "spec", "replicas") != ClusterJson.Int(desired, "spec", "replicas"))
            {
                var from = ClusterJson.Int(current, "spec", "replicas");
                MergePatchObject(ResourceCatalog.ReplicaSets, current, new JsonObject
                {
                    ["metadata"] = new JsonObject { ["annotations"] = desired["metadata"]!["annotations"]!.DeepClone() },
                    ["spec"] = new JsonObject { ["replicas"] = ClusterJson.Int(desired, "spec", "replicas") },
                });
                _events.Normal(deployment, "ScalingReplicaSet", $"Scaled {(from < ClusterJson.Int(desired, "spec", "replicas") ? "up" : "down")} replica set {ClusterJson.Name(current)} from {from} to {ClusterJson.Int(desired, "spec", "replicas")}", "deployment-controller");
            }

            // Old templates go at once (Recreate-like; the lab has no traffic to drain between two pods).
            foreach (var old in owned.Where(rs => ClusterJson.Name(rs) != ClusterJson.Name(desired)))
            {
                _store.Delete(ResourceCatalog.ReplicaSets, ClusterJson.Namespace(old), ClusterJson.Name(old));
                _events.Normal(deployment, "ScalingReplicaSet", $"Scaled down replica set {ClusterJson.Name(old)} from {ClusterJson.Int(old, "spec", "replicas") ?? 0} to 0", "deployment-controller");
            }
        }
    }

    private void ReconcileReplicaSets()
    {
        var nodes = Nodes();
        var pods = List(ResourceCatalog.Pods);
        foreach (var rs in List(ResourceCatalog.ReplicaSets))
        {
            var owned = WorkloadPlanner.OwnedPods(rs, pods);
            var plan = WorkloadPlanner.PlanReplicaSet(rs, owned, t => WorkloadPlanner.Place(t, nodes));
            foreach (var (podName, reason) in plan.Delete)
            {
                DeletePod(owned.First(p => ClusterJson.Name(p) == podName), reason);
                _events.Normal(rs, "SuccessfulDelete", $"Deleted pod: {podName}", "replicaset-controller");
            }

            var hash = ClusterJson.Labels(rs).GetValueOrDefault(WorkloadPlanner.PodTemplateHashLabel) ?? LabNames.TemplateHash(ClusterJson.Node(rs, "spec", "template"));
            foreach (var node in plan.CreateOnNodes)
            {
                CreatePod(rs, ClusterJson.Obj(rs, "spec", "template") ?? [], node, WorkloadPlanner.PodTemplateHashLabel, hash, "replicaset-controller");
            }
        }
    }

    private void CreatePod(JsonObject owner, JsonObject template, string node, string hashLabel, string hash, string component)
    {
        var ns = ClusterJson.Namespace(owner);
        string name;
        do
        {
            name = _names.WithSuffix(ClusterJson.Name(owner));
        }
        while (_store.TryGet(ResourceCatalog.Pods, ns, name) is not null);

        var pod = PodBuilder.FromTemplate(owner, template, name, node, hashLabel, hash, Now);
        pod["status"] = PodBuilder.PendingStatus(pod, NodeIp(node), Now);
        var created = _store.Create(ResourceCatalog.Pods, ns, pod);
        if (created["status"] is null)
        {
            WriteStatus(ResourceCatalog.Pods, created, PodBuilder.PendingStatus(created, NodeIp(node), Now));
        }

        _events.Normal(owner, "SuccessfulCreate", $"Created pod: {name}", component);
        _events.Normal(created, "Scheduled", $"Successfully assigned {ns}/{name} to {node}", "default-scheduler");
    }
}
