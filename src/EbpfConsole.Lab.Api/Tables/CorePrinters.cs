using System.Globalization;
using System.Text.Json.Nodes;
using static EbpfConsole.Lab.Api.Tables;

namespace EbpfConsole.Lab.Api;

/// <summary>The core/v1 printers (kubernetes pkg/printers/internalversion/printers.go, 1.32).</summary>
internal static class CorePrinters
{
    public static TablePrinter Nodes { get; } = new(
        [
            NameColumn,
            new("Status", "string", "The status of the node"),
            new("Roles", "string", "The roles of the node"),
            AgeColumn,
            new("Version", "string", "Kubelet Version reported by the node."),
            new("Internal-IP", "string", "List of addresses reachable to the node.", 1),
            new("External-IP", "string", "List of addresses reachable to the node.", 1),
            new("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
            new("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
            new("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
        ],
        (o, now) =>
        [
            Name(o), NodeStatus(o), NodeRoles(o), Age(o, now), JsonTree.Str(o, "status.nodeInfo.kubeletVersion") ?? string.Empty,
            NodeAddress(o, "InternalIP"), NodeAddress(o, "ExternalIP"),
            Unknown(JsonTree.Str(o, "status.nodeInfo.osImage")), Unknown(JsonTree.Str(o, "status.nodeInfo.kernelVersion")),
            Unknown(JsonTree.Str(o, "status.nodeInfo.containerRuntimeVersion")),
        ]);

    public static TablePrinter Pods { get; } = new(
        [
            NameColumn,
            new("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
            new("Status", "string", "The aggregate status of the containers in this pod."),
            new("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            AgeColumn,
            new("IP", "string", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
            new("Node", "string", "NodeName is a request to schedule this pod onto a specific node.", 1),
            new("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node.", 1),
            new("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness.", 1),
        ],
        (o, now) =>
        [
            Name(o), PodReady(o), PodStatus(o), PodRestarts(o, now), Age(o, now),
            None(JsonTree.Str(o, "status.podIP")), None(JsonTree.Str(o, "spec.nodeName")),
            None(JsonTree.Str(o, "status.nominatedNodeName")), ReadinessGates(o),
        ]);

    public static TablePrinter Services { get; } = new(
        [
            NameColumn,
            new("Type", "string", "type determines how the Service is exposed."),
            new("Cluster-IP", "string", "clusterIP is the IP address of the service and is usually assigned randomly."),
            new("External-IP", "string", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
            new("Port(s)", "string", "The list of ports that are exposed by this service."),
            AgeColumn,
            new("Selector", "string", "Route service traffic to pods with label keys and values matching this selector.", 1),
        ],
        (o, now) =>
        [
            Name(o), JsonTree.Str(o, "spec.type") ?? "ClusterIP", ClusterIp(o), ExternalIp(o), ServicePorts(o), Age(o, now),
            FormatLabels(JsonTree.StringMap(o, "spec.selector")),
        ]);

    public static TablePrinter Endpoints { get; } = new(
        [NameColumn, new("Endpoints", "string", "Endpoints of the resource."), AgeColumn],
        (o, now) => [Name(o), FormatEndpoints(o), Age(o, now)]);

    public static TablePrinter ConfigMaps { get; } = new(
        [NameColumn, new("Data", "integer", "Number of data items in the config map."), AgeColumn],
        (o, now) => [Name(o), (JsonTree.Obj(o, "data")?.Count ?? 0) + (JsonTree.Obj(o, "binaryData")?.Count ?? 0), Age(o, now)]);

    public static TablePrinter Namespaces { get; } = new(
        [NameColumn, new("Status", "string", "The status of the namespace"), AgeColumn],
        (o, now) => [Name(o), JsonTree.Str(o, "status.phase") ?? string.Empty, Age(o, now)]);

    public static TablePrinter Events { get; } = new(
        [
            new("Last Seen", "string", "Time when last event occurred"),
            new("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future."),
            new("Reason", "string", "Reason why the action was taken."),
            new("Object", "string", "The object that this event is about."),
            new("Subobject", "string", "The subobject that this event is about.", 1),
            new("Source", "string", "The component reporting this event.", 1),
            new("Message", "string", "A human-readable description of the status of this operation."),
            new("First Seen", "string", "The first time the event was seen.", 1),
            new("Count", "string", "The number of times this event has occurred.", 1),
            new("Name", "string", "The name of the event.", 1, "name"),
        ],
        (o, now) =>
        [
            HumanDuration.Since(JsonTree.Str(o, "lastTimestamp") ?? JsonTree.Str(o, "eventTime") ?? JsonTree.Str(o, "metadata.creationTimestamp"), now),
            JsonTree.Str(o, "type") ?? string.Empty, JsonTree.Str(o, "reason") ?? string.Empty,
            $"{(JsonTree.Str(o, "involvedObject.kind") ?? string.Empty).ToLowerInvariant()}/{JsonTree.Str(o, "involvedObject.name")}",
            JsonTree.Str(o, "involvedObject.fieldPath") ?? string.Empty, EventSource(o), JsonTree.Str(o, "message") ?? string.Empty,
            HumanDuration.Since(JsonTree.Str(o, "firstTimestamp") ?? JsonTree.Str(o, "eventTime") ?? JsonTree.Str(o, "metadata.creationTimestamp"), now),
            (JsonTree.Number(o, "count") ?? 1).ToString(CultureInfo.InvariantCulture), Name(o),
        ]);

    private static string NodeStatus(JsonObject o)
    {
        var ready = JsonTree.Items(o, "status.conditions").OfType<JsonObject>().FirstOrDefault(c => JsonTree.Str(c, "type") == "Ready");
        var status = ready is null ? "Unknown" : JsonTree.Str(ready, "status") == "True" ? "Ready" : "NotReady";
        return JsonTree.At(o, "spec.unschedulable")?.GetValueKind() == System.Text.Json.JsonValueKind.True ? status + ",SchedulingDisabled" : status;
    }

    private static string NodeRoles(JsonObject o)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in JsonTree.StringMap(o, "metadata.labels"))
        {
            if (key.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal) && key.Length > "node-role.kubernetes.io/".Length)
            {
                roles.Add(key["node-role.kubernetes.io/".Length..]);
            }
            else if (key == "kubernetes.io/role" && value.Length > 0)
            {
                roles.Add(value);
            }
        }

        return roles.Count == 0 ? "<none>" : string.Join(",", roles);
    }

    private static string NodeAddress(JsonObject o, string type) =>
        JsonTree.Items(o, "status.addresses").OfType<JsonObject>().Where(a => JsonTree.Str(a, "type") == type)
            .Select(a => JsonTree.Str(a, "address")).FirstOrDefault(a => !string.IsNullOrEmpty(a)) ?? "<none>";

    private static string PodReady(JsonObject o)
    {
        var total = JsonTree.Items(o, "spec.containers").Count();
        var ready = JsonTree.Items(o, "status.containerStatuses").Count(s => JsonTree.At(s, "ready")?.GetValueKind() == System.Text.Json.JsonValueKind.True);
        return string.Create(CultureInfo.InvariantCulture, $"{ready}/{total}");
    }

    private static string PodStatus(JsonObject o)
    {
        var reason = JsonTree.Str(o, "status.reason") is { Length: > 0 } r ? r : JsonTree.Str(o, "status.phase") ?? string.Empty;
        var hasRunning = false;
        foreach (var s in JsonTree.Items(o, "status.containerStatuses").OfType<JsonObject>().Reverse())
        {
            if (JsonTree.Str(s, "state.waiting.reason") is { Length: > 0 } waiting)
            {
                reason = waiting;
            }
            else if (JsonTree.Str(s, "state.terminated.reason") is { Length: > 0 } terminated)
            {
                reason = terminated;
            }
            else if (JsonTree.Obj(s, "state.terminated") is { } t)
            {
                reason = JsonTree.Number(t, "signal") is { } signal and not 0
                    ? string.Create(CultureInfo.InvariantCulture, $"Signal:{signal}")
                    : string.Create(CultureInfo.InvariantCulture, $"ExitCode:{JsonTree.Number(t, "exitCode") ?? 0}");
            }
            else if (JsonTree.Obj(s, "state.running") is not null && JsonTree.At(s, "ready")?.GetValueKind() == System.Text.Json.JsonValueKind.True)
            {
                hasRunning = true;
            }
        }

        if (reason == "Completed" && hasRunning)
        {
            var ready = JsonTree.Items(o, "status.conditions").OfType<JsonObject>().Any(c => JsonTree.Str(c, "type") == "Ready" && JsonTree.Str(c, "status") == "True");
            reason = ready ? "Running" : "NotReady";
        }

        if (JsonTree.Str(o, "metadata.deletionTimestamp") is not null)
        {
            reason = JsonTree.Str(o, "status.reason") == "NodeLost" ? "Unknown" : "Terminating";
        }

        return reason;
    }

    private static string PodRestarts(JsonObject o, DateTimeOffset now)
    {
        long restarts = 0;
        DateTimeOffset? last = null;
        foreach (var s in JsonTree.Items(o, "status.containerStatuses"))
        {
            restarts += JsonTree.Number(s, "restartCount") ?? 0;
            if (JsonTree.ParseTimestamp(JsonTree.Str(s, "lastState.terminated.finishedAt")) is { } finished && (last is null || finished > last))
            {
                last = finished;
            }
        }

        return restarts > 0 && last is { } at
            ? string.Create(CultureInfo.InvariantCulture, $"{restarts} ({HumanDuration.Format(now - at)} ago)")
            : restarts.ToString(CultureInfo.InvariantCulture);
    }

    private static string ReadinessGates(JsonObject o)
    {
        var gates = JsonTree.Items(o, "spec.readinessGates").Select(g => JsonTree.Str(g, "conditionType")).ToList();
        if (gates.Count == 0)
        {
            return "<none>";
        }

        var met = gates.Count(g => JsonTree.Items(o, "status.conditions").Any(c => JsonTree.Str(c, "type") == g && JsonTree.Str(c, "status") == "True"));
        return string.Create(CultureInfo.InvariantCulture, $"{met}/{gates.Count}");
    }

    private static string ClusterIp(JsonObject o) =>
        JsonTree.Str(o, "spec.type") == "ExternalName" ? "<none>" : None(JsonTree.Str(o, "spec.clusterIP"));

    private static string ExternalIp(JsonObject o)
    {
        var external = JsonTree.Items(o, "spec.externalIPs").Select(JsonTree.Scalar).OfType<string>().ToList();
        switch (JsonTree.Str(o, "spec.type"))
        {
            case "ExternalName":
                return JsonTree.Str(o, "spec.externalName") ?? "<none>";
            case "LoadBalancer":
                var ingress = JsonTree.Items(o, "status.loadBalancer.ingress").Select(i => JsonTree.Str(i, "ip") ?? JsonTree.Str(i, "hostname")).OfType<string>().ToList();
                var all = ingress.Concat(external).ToList();
                return all.Count == 0 ? "<pending>" : string.Join(",", all);
            default:
                return external.Count == 0 ? "<none>" : string.Join(",", external);
        }
    }

    private static string ServicePorts(JsonObject o)
    {
        var ports = JsonTree.Items(o, "spec.ports").OfType<JsonObject>().Select(p =>
        {
            var protocol = JsonTree.Str(p, "protocol") ?? "TCP";
            var port = JsonTree.Text(p, "port");
            return JsonTree.Number(p, "nodePort") is { } nodePort and > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{port}:{nodePort}/{protocol}")
                : $"{port}/{protocol}";
        }).ToList();
        return ports.Count == 0 ? "<none>" : string.Join(",", ports);
    }

    /// <summary>"ip:port" for each address of each port, three at most then " + N more..." (printers.go formatEndpoints).</summary>
    internal static string FormatEndpoints(JsonObject o)
    {
        const int max = 3;
        var list = new List<string>();
        var count = 0;
        foreach (var subset in JsonTree.Items(o, "subsets"))
        {
            var addresses = JsonTree.Items(subset, "addresses").Select(a => JsonTree.Str(a, "ip") ?? string.Empty).ToList();
            var ports = JsonTree.Items(subset, "ports").Select(p => JsonTree.Text(p, "port")).ToList();
            var entries = ports.Count == 0
                ? addresses
                : ports.SelectMany(port => addresses.Select(ip => ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]:{port}" : $"{ip}:{port}"));
            foreach (var entry in entries)
            {
                count++;
                if (list.Count < max)
                {
                    list.Add(entry);
                }
            }
        }

        if (count == 0)
        {
            return "<none>";
        }

        var text = string.Join(",", list);
        return count > max ? string.Create(CultureInfo.InvariantCulture, $"{text} + {count - max} more...") : text;
    }

    private static string EventSource(JsonObject o)
    {
        var component = JsonTree.Str(o, "source.component") ?? JsonTree.Str(o, "reportingComponent") ?? string.Empty;
        return JsonTree.Str(o, "source.host") is { Length: > 0 } host ? $"{component}, {host}" : component;
    }

    private static string None(string? value) => string.IsNullOrEmpty(value) ? "<none>" : value;

    private static string Unknown(string? value) => string.IsNullOrEmpty(value) ? "<unknown>" : value;
}
