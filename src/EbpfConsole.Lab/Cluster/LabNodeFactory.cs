using System.Globalization;
using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Cluster;

/// <summary>What the machine says about itself, shown on every lab Node (the nodes share the host's kernel).</summary>
internal sealed record HostFacts(string KernelVersion, string OsImage)
{
    public static HostFacts Read(string osRelease = "/etc/os-release", string kernel = "/proc/sys/kernel/osrelease")
    {
        var kernelVersion = TryRead(kernel)?.Trim() is { Length: > 0 } k ? k : "unknown";
        var pretty = TryRead(osRelease)?.Split('\n')
            .Select(l => l.Trim())
            .FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"');
        return new HostFacts(kernelVersion, string.IsNullOrEmpty(pretty) ? "Linux" : pretty);
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>Builds the lab's Node objects from <see cref="LabTopology"/>, the scenario and the host's facts.</summary>
internal static class LabNodeFactory
{
    public const string ContainerRuntimeVersion = "containerd://1.7.24";

    /// <summary>node-K → 10.244.K.0/24: node-1 → 10.244.1.0/24, node-2 → 10.244.2.0/24 (the nginx pod's 10.244.2.5 is in node-2's).</summary>
    public static string PodCidr(LabHost node) => $"10.244.{Index(node)}.0/24";

    /// <summary>K of node-K.</summary>
    public static int Index(LabHost node) =>
        LabTopology.NodeIndex((node ?? throw new ArgumentNullException(nameof(node))).Name)
            ?? throw new ArgumentException($"{node.Name} is not a lab node", nameof(node));

    public static JsonObject Build(LabHost node, LabScenario scenario, HostFacts host, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(host);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["beta.kubernetes.io/arch"] = "amd64",
            ["beta.kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["kubernetes.io/hostname"] = node.Name,
            ["kubernetes.io/os"] = "linux",
        };
        if (node == LabTopology.IngressNode)
        {
            labels["node-role.kubernetes.io/control-plane"] = string.Empty;
        }

        foreach (var (key, value) in scenario.LabelsFor(node.Name))
        {
            labels[key] = value;
        }

        var stamp = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var capacity = new JsonObject { ["cpu"] = "2", ["ephemeral-storage"] = "20470Mi", ["hugepages-2Mi"] = "0", ["memory"] = "4017084Ki", ["pods"] = "110" };
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["name"] = node.Name,
                ["labels"] = ClusterJson.ToObject(labels),
                ["annotations"] = new JsonObject
                {
                    ["node.alpha.kubernetes.io/ttl"] = "0",
                    ["projectcalico.org/IPv4Address"] = $"{node.Ip}/{LabTopology.PrefixLength}",
                    ["projectcalico.org/IPv4IPIPTunnelAddr"] = $"10.244.{Index(node)}.0",
                    ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
                },
            },
            ["spec"] = new JsonObject
            {
                ["podCIDR"] = PodCidr(node),
                ["podCIDRs"] = new JsonArray(PodCidr(node)),
            },
            ["status"] = new JsonObject
            {
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = node.Ip },
                    new JsonObject { ["type"] = "Hostname", ["address"] = node.Name }),
                ["capacity"] = capacity,
                ["allocatable"] = capacity.DeepClone(),
                ["conditions"] = new JsonArray(
                    Condition("NetworkUnavailable", "False", "CalicoIsUp", "Calico is running on this node", stamp),
                    Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", stamp),
                    Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", stamp),
                    Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", stamp),
                    Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", stamp)),
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
                ["nodeInfo"] = new JsonObject
                {
                    ["architecture"] = "amd64",
                    ["bootID"] = Guid.NewGuid().ToString(),
                    ["containerRuntimeVersion"] = ContainerRuntimeVersion,
                    ["kernelVersion"] = host.KernelVersion,
                    ["kubeProxyVersion"] = scenario.KubernetesVersion,
                    ["kubeletVersion"] = scenario.KubernetesVersion,
                    ["machineID"] = Guid.NewGuid().ToString("N"),
                    ["operatingSystem"] = "linux",
                    ["osImage"] = host.OsImage,
                    ["systemUUID"] = Guid.NewGuid().ToString(),
                },
            },
        };
    }

    private static JsonObject Condition(string type, string status, string reason, string message, string stamp) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastHeartbeatTime"] = stamp,
        ["lastTransitionTime"] = stamp,
        ["reason"] = reason,
        ["message"] = message,
    };
}
