using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Cluster;

/// <summary>The status blocks the controllers keep current (pure: objects in, status out; no timestamps unless they change).</summary>
internal static class WorkloadStatus
{
    public static JsonObject DaemonSet(JsonObject ds, IReadOnlyList<JsonObject> nodes, IReadOnlyList<JsonObject> pods)
    {
        var eligible = LabSelectors.EligibleNodes(ClusterJson.Obj(ds, "spec", "template", "spec"), nodes).Select(ClusterJson.Name).ToHashSet(StringComparer.Ordinal);
        var hash = WorkloadPlanner.DaemonSetHash(ds);
        var scheduled = pods.Where(p => eligible.Contains(ClusterJson.Str(p, "spec", "nodeName") ?? string.Empty)).ToList();
        var ready = scheduled.Count(PodBuilder.IsReady);
        var status = new JsonObject
        {
            ["currentNumberScheduled"] = scheduled.Select(p => ClusterJson.Str(p, "spec", "nodeName")).Distinct().Count(),
            ["desiredNumberScheduled"] = eligible.Count,
            ["numberAvailable"] = ready,
            ["numberMisscheduled"] = 0,
            ["numberReady"] = ready,
            ["observedGeneration"] = ClusterJson.Generation(ds),
            ["updatedNumberScheduled"] = scheduled.Count(p => ClusterJson.Labels(p).GetValueOrDefault(WorkloadPlanner.RevisionHashLabel) == hash),
        };
        if (eligible.Count - ready > 0)
        {
            status["numberUnavailable"] = eligible.Count - ready;
        }

        return status;
    }

    public static JsonObject ReplicaSet(JsonObject rs, IReadOnlyList<JsonObject> pods)
    {
        var ready = pods.Count(PodBuilder.IsReady);
        return new JsonObject
        {
            ["availableReplicas"] = ready,
            ["fullyLabeledReplicas"] = pods.Count,
            ["observedGeneration"] = ClusterJson.Generation(rs),
            ["readyReplicas"] = ready,
            ["replicas"] = pods.Count,
        };
    }

    public static JsonObject Deployment(JsonObject deployment, string currentReplicaSet, IReadOnlyList<JsonObject> pods, IReadOnlyList<JsonObject> currentPods, DateTimeOffset now)
    {
        var desired = ClusterJson.Int(deployment, "spec", "replicas") ?? 1;
        var ready = pods.Count(PodBuilder.IsReady);
        var available = ready >= desired;
        var progressed = currentPods.Count == desired && currentPods.All(PodBuilder.IsReady);
        var previous = ClusterJson.Arr(deployment, "status", "conditions");
        var status = new JsonObject
        {
            ["observedGeneration"] = ClusterJson.Generation(deployment),
            ["replicas"] = pods.Count,
            ["updatedReplicas"] = currentPods.Count,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
            ["conditions"] = new JsonArray(
                Condition(previous, "Available", available ? "True" : "False", available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now),
                Condition(previous, "Progressing", "True", progressed ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                    progressed ? $"ReplicaSet \"{currentReplicaSet}\" has successfully progressed." : $"ReplicaSet \"{currentReplicaSet}\" is progressing.", now)),
        };
        if (pods.Count - ready > 0)
        {
            status["unavailableReplicas"] = pods.Count - ready;
        }

        if (ready == 0)
        {
            status.Remove("readyReplicas");
            status.Remove("availableReplicas");
        }

        return status;
    }

    /// <summary>Endpoints of a Service: Ready pods as addresses, others as notReadyAddresses, ports resolved to the pods' ports.</summary>
    public static JsonObject Endpoints(JsonObject service, IReadOnlyList<JsonObject> pods)
    {
        var endpoints = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Endpoints",
            ["metadata"] = new JsonObject
            {
                ["name"] = ClusterJson.Name(service),
                ["namespace"] = ClusterJson.Namespace(service),
                ["labels"] = ClusterJson.ToObject(ClusterJson.Labels(service)),
            },
        };
        if (pods.Count == 0)
        {
            endpoints["subsets"] = new JsonArray();
            return endpoints;
        }

        var subset = new JsonObject();
        var ready = pods.Where(PodBuilder.IsReady).OrderBy(p => ClusterJson.Str(p, "status", "podIP"), StringComparer.Ordinal).ToList();
        var notReady = pods.Where(p => !PodBuilder.IsReady(p)).OrderBy(p => ClusterJson.Str(p, "status", "podIP"), StringComparer.Ordinal).ToList();
        if (ready.Count > 0)
        {
            subset["addresses"] = new JsonArray(ready.Select(Address).ToArray());
        }

        if (notReady.Count > 0)
        {
            subset["notReadyAddresses"] = new JsonArray(notReady.Select(Address).ToArray());
        }

        subset["ports"] = new JsonArray(ClusterJson.Objects(ClusterJson.Arr(service, "spec", "ports")).Select(p => (JsonNode)Port(p, pods[0])).ToArray());
        endpoints["subsets"] = new JsonArray(subset);
        return endpoints;
    }

    private static JsonNode Address(JsonObject pod) => new JsonObject
    {
        ["ip"] = ClusterJson.Str(pod, "status", "podIP"),
        ["nodeName"] = ClusterJson.Str(pod, "spec", "nodeName"),
        ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["name"] = ClusterJson.Name(pod), ["namespace"] = ClusterJson.Namespace(pod), ["uid"] = ClusterJson.Uid(pod) },
    };

    private static JsonObject Port(JsonObject servicePort, JsonObject pod)
    {
        var target = ClusterJson.Node(servicePort, "targetPort");
        int? number = ClusterJson.Int(servicePort, "targetPort");
        if (number is null && target is JsonValue v && v.TryGetValue<string>(out var named))
        {
            number = ClusterJson.Objects(ClusterJson.Arr(pod, "spec", "containers"))
                .SelectMany(c => ClusterJson.Objects(ClusterJson.Arr(c, "ports")))
                .Where(p => ClusterJson.Str(p, "name") == named)
                .Select(p => ClusterJson.Int(p, "containerPort"))
                .FirstOrDefault();
        }

        var port = new JsonObject { ["port"] = number ?? ClusterJson.Int(servicePort, "port") ?? 0, ["protocol"] = ClusterJson.Str(servicePort, "protocol") ?? "TCP" };
        if (ClusterJson.Str(servicePort, "name") is { } name)
        {
            port["name"] = name;
        }

        return port;
    }

    /// <summary>A condition that keeps its timestamps while its status and reason stay the same (no churn on every pass).</summary>
    private static JsonObject Condition(JsonArray? previous, string type, string status, string reason, string message, DateTimeOffset now)
    {
        var old = ClusterJson.Objects(previous).FirstOrDefault(c => ClusterJson.Str(c, "type") == type);
        var same = old is not null && ClusterJson.Str(old, "status") == status && ClusterJson.Str(old, "reason") == reason;
        var stamp = PodBuilder.Stamp(now);
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastUpdateTime"] = same ? ClusterJson.Str(old, "lastUpdateTime") : stamp,
            ["lastTransitionTime"] = same || (old is not null && ClusterJson.Str(old, "status") == status) ? ClusterJson.Str(old, "lastTransitionTime") : stamp,
            ["reason"] = reason,
            ["message"] = message,
        };
    }
}
