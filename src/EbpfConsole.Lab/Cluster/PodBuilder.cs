using System.Globalization;
using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Cluster;

/// <summary>
/// Pods the way kubelet and the controllers shape them: from an owner's template (labels + hash label,
/// ownerReferences, spec + nodeName), Pending first, then Running with per-container readiness.
/// </summary>
internal static class PodBuilder
{
    /// <summary>When the lab's kubelet put the pod on its node (round-trip time), for the Pending → Running delay.</summary>
    public const string ScheduledAtAnnotation = ClusterJson.AnnotationPrefix + "scheduled-at";

    public static JsonObject FromTemplate(JsonObject owner, JsonObject template, string name, string nodeName, string hashLabel, string hash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(template);
        var labels = new Dictionary<string, string>(ClusterJson.Map(template, "metadata", "labels"), StringComparer.Ordinal) { [hashLabel] = hash };
        if (ClusterJson.Kind(owner) == "DaemonSet")
        {
            labels["pod-template-generation"] = ClusterJson.Generation(owner).ToString(CultureInfo.InvariantCulture);
        }

        var annotations = new Dictionary<string, string>(ClusterJson.Map(template, "metadata", "annotations"), StringComparer.Ordinal)
        {
            [ScheduledAtAnnotation] = now.ToString("O", CultureInfo.InvariantCulture),
        };
        var spec = ClusterJson.Obj(template, "spec")?.DeepClone() as JsonObject ?? [];
        spec["nodeName"] = nodeName;
        spec["restartPolicy"] ??= "Always";
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["schedulerName"] ??= "default-scheduler";
        spec["terminationGracePeriodSeconds"] ??= 30;
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ClusterJson.Namespace(owner),
                ["generateName"] = name[..(name.LastIndexOf('-') + 1)],
                ["labels"] = ClusterJson.ToObject(labels),
                ["annotations"] = ClusterJson.ToObject(annotations),
                ["ownerReferences"] = new JsonArray(ClusterJson.OwnerReference(owner)),
            },
            ["spec"] = spec,
        };
    }

    public static IReadOnlyList<string> ContainerNames(JsonObject pod) =>
        ClusterJson.Objects(ClusterJson.Arr(pod, "spec", "containers")).Select(c => ClusterJson.Str(c, "name") ?? string.Empty).ToList();

    public static bool HostNetwork(JsonObject podOrTemplate) => ClusterJson.Bool(podOrTemplate, "spec", "hostNetwork") == true;

    public static string? Phase(JsonObject pod) => ClusterJson.Str(pod, "status", "phase");

    public static bool IsRunning(JsonObject pod) => Phase(pod) == "Running" && ClusterJson.Node(pod, "metadata", "deletionTimestamp") is null;

    public static bool IsReady(JsonObject pod) =>
        IsRunning(pod) && ClusterJson.Objects(ClusterJson.Arr(pod, "status", "conditions")).Any(c => ClusterJson.Str(c, "type") == "Ready" && ClusterJson.Str(c, "status") == "True");

    public static int RestartCount(JsonObject pod) =>
        ClusterJson.Objects(ClusterJson.Arr(pod, "status", "containerStatuses")).Select(c => ClusterJson.Int(c, "restartCount") ?? 0).DefaultIfEmpty(0).Max();

    /// <summary>Status of a pod whose containers are being created (what `kubectl get pods` shows as ContainerCreating).</summary>
    public static JsonObject PendingStatus(JsonObject pod, string hostIp, DateTimeOffset now)
    {
        var stamp = Stamp(now);
        return new JsonObject
        {
            ["phase"] = "Pending",
            ["hostIP"] = hostIp,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = hostIp }),
            ["startTime"] = stamp,
            ["qosClass"] = "BestEffort",
            ["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", "False", stamp),
                Condition("Initialized", "True", stamp),
                Condition("Ready", "False", stamp, "ContainersNotReady", $"containers with unready status: [{string.Join(" ", ContainerNames(pod))}]"),
                Condition("ContainersReady", "False", stamp, "ContainersNotReady", $"containers with unready status: [{string.Join(" ", ContainerNames(pod))}]"),
                Condition("PodScheduled", "True", stamp)),
            ["containerStatuses"] = new JsonArray(ClusterJson.Objects(ClusterJson.Arr(pod, "spec", "containers")).Select(c => (JsonNode)new JsonObject
            {
                ["name"] = ClusterJson.Str(c, "name"),
                ["image"] = ClusterJson.Str(c, "image"),
                ["imageID"] = string.Empty,
                ["ready"] = false,
                ["started"] = false,
                ["restartCount"] = 0,
                ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } },
                ["lastState"] = new JsonObject(),
            }).ToArray()),
        };
    }

    /// <summary>Status of a running pod; <paramref name="notReadyMessage"/> non-null = not Ready (the Ready condition's message).</summary>
    public static JsonObject RunningStatus(JsonObject pod, string hostIp, string podIp, DateTimeOffset startedAt, DateTimeOffset now, int restartCount, string? notReadyMessage)
    {
        var ready = notReadyMessage is null;
        var stamp = Stamp(now);
        var started = Stamp(startedAt);
        var names = ContainerNames(pod);
        return new JsonObject
        {
            ["phase"] = "Running",
            ["hostIP"] = hostIp,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = hostIp }),
            ["podIP"] = podIp,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp }),
            ["startTime"] = ClusterJson.Str(pod, "status", "startTime") ?? started,
            ["qosClass"] = "BestEffort",
            ["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", "True", stamp),
                Condition("Initialized", "True", stamp),
                ready ? Condition("Ready", "True", stamp) : Condition("Ready", "False", stamp, "ContainersNotReady", notReadyMessage),
                ready ? Condition("ContainersReady", "True", stamp) : Condition("ContainersReady", "False", stamp, "ContainersNotReady", notReadyMessage),
                Condition("PodScheduled", "True", stamp)),
            ["containerStatuses"] = new JsonArray(ClusterJson.Objects(ClusterJson.Arr(pod, "spec", "containers")).Select(c => (JsonNode)new JsonObject
            {
                ["name"] = ClusterJson.Str(c, "name"),
                ["image"] = ClusterJson.Str(c, "image"),
                ["imageID"] = ClusterJson.Str(c, "image") + "@sha256:" + LabNames.TemplateHash(JsonValue.Create(ClusterJson.Str(c, "image"))),
                ["containerID"] = "containerd://" + Guid.NewGuid().ToString("N"),
                ["ready"] = ready,
                ["started"] = true,
                ["restartCount"] = restartCount,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = started } },
                ["lastState"] = new JsonObject(),
            }).ToArray()),
        };
    }

    public static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static JsonObject Condition(string type, string status, string stamp, string? reason = null, string? message = null)
    {
        var condition = new JsonObject { ["type"] = type, ["status"] = status, ["lastProbeTime"] = null, ["lastTransitionTime"] = stamp };
        if (reason is not null)
        {
            condition["reason"] = reason;
            condition["message"] = message;
        }

        return condition;
    }
}
