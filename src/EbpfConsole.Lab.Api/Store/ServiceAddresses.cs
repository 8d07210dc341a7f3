using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Api;

/// <summary>
/// Service defaults and address allocation, like the real server: a clusterIP from 10.96.0.0/12 (10.96.0.1 is
/// the <c>kubernetes</c> Service's), nodePorts from 30000-32767, both unique among all Services.
/// </summary>
internal static class ServiceAddresses
{
    public const int NodePortMin = 30000;
    public const int NodePortMax = 32767;
    private const uint ServiceCidrBase = 0x0A600000; // 10.96.0.0
    private const int ServiceCidrSize = 1 << 20;     // /12

    /// <summary>Fills in defaults and addresses of <paramref name="service"/> (modified); <paramref name="old"/> is the stored version on update.</summary>
    public static void Apply(JsonObject service, JsonObject? old, IEnumerable<JsonObject> others, Random random)
    {
        var name = JsonTree.Str(service, "metadata.name") ?? string.Empty;
        var otherList = others.ToList();
        var spec = JsonTree.Ensure(service, "spec");
        var type = JsonTree.Str(spec, "type") ?? "ClusterIP";
        spec["type"] = type;
        spec["sessionAffinity"] ??= "None";
        if (type != "ExternalName")
        {
            AssignClusterIp(spec, old, otherList, name, random);
            spec["internalTrafficPolicy"] ??= "Cluster";
        }

        var nodePorts = type is "NodePort" or "LoadBalancer";
        if (nodePorts)
        {
            spec["externalTrafficPolicy"] ??= "Cluster";
        }

        var used = otherList.SelectMany(s => JsonTree.Items(s, "spec.ports")).Select(p => JsonTree.Number(p, "nodePort")).OfType<long>().ToHashSet();
        var ports = JsonTree.At(spec, "ports") as JsonArray ?? [];
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i] is not JsonObject port)
            {
                continue;
            }

            port["protocol"] ??= "TCP";
            port["targetPort"] ??= port["port"]?.DeepClone();
            if (!nodePorts)
            {
                continue;
            }

            var nodePort = JsonTree.Number(port, "nodePort");
            if (nodePort is null)
            {
                nodePort = OldNodePort(old, port) is { } kept && !used.Contains(kept) ? kept : Allocate(used, random, name, i);
                port["nodePort"] = nodePort;
            }
            else if (nodePort is < NodePortMin or > NodePortMax)
            {
                throw ApiException.Invalid(ResourceCatalog.Services, name, ($"spec.ports[{i}].nodePort", $"Invalid value: {nodePort}: provided port is not in the valid range. The range of valid ports is {NodePortMin}-{NodePortMax}"));
            }
            else if (used.Contains(nodePort.Value))
            {
                throw ApiException.Invalid(ResourceCatalog.Services, name, ($"spec.ports[{i}].nodePort", $"Invalid value: {nodePort}: provided port is already allocated"));
            }

            used.Add(nodePort.Value);
        }
    }

    private static void AssignClusterIp(JsonObject spec, JsonObject? old, List<JsonObject> others, string name, Random random)
    {
        var oldIp = JsonTree.Str(old, "spec.clusterIP");
        var ip = JsonTree.Str(spec, "clusterIP");
        if (string.IsNullOrEmpty(ip))
        {
            ip = oldIp;
        }
        else if (oldIp is not null && ip != oldIp)
        {
            throw ApiException.Invalid(ResourceCatalog.Services, name, ("spec.clusterIPs[0]", $"Invalid value: \"{ip}\": may not change once set"));
        }

        var used = others.Select(s => JsonTree.Str(s, "spec.clusterIP")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(ip))
        {
            do
            {
                var offset = (uint)random.Next(2, ServiceCidrSize - 1);
                ip = ToText(ServiceCidrBase + offset);
            }
            while (used.Contains(ip));
        }
        else if (ip != "None" && ip != oldIp)
        {
            if (!IPAddress.TryParse(ip, out _))
            {
                throw ApiException.Invalid(ResourceCatalog.Services, name, ("spec.clusterIPs[0]", $"Invalid value: \"{ip}\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
            }

            if (used.Contains(ip))
            {
                throw ApiException.Invalid(ResourceCatalog.Services, name, ("spec.clusterIPs", $"Invalid value: []string{{\"{ip}\"}}: failed to allocate IP {ip}: provided IP is already allocated"));
            }
        }

        spec["clusterIP"] = ip;
        spec["clusterIPs"] = new JsonArray(ip);
        if (ip != "None")
        {
            spec["ipFamilies"] ??= new JsonArray("IPv4");
            spec["ipFamilyPolicy"] ??= "SingleStack";
        }
    }

    private static long? OldNodePort(JsonObject? old, JsonObject port) =>
        JsonTree.Items(old, "spec.ports").OfType<JsonObject>()
            .Where(p => JsonTree.Text(p, "port") == JsonTree.Text(port, "port") && (JsonTree.Str(p, "protocol") ?? "TCP") == JsonTree.Str(port, "protocol"))
            .Select(p => JsonTree.Number(p, "nodePort")).FirstOrDefault();

    private static long Allocate(HashSet<long> used, Random random, string name, int index)
    {
        if (used.Count >= NodePortMax - NodePortMin + 1)
        {
            throw ApiException.Invalid(ResourceCatalog.Services, name, ($"spec.ports[{index}].nodePort", "Internal error: range is full"));
        }

        long port;
        do
        {
            port = random.Next(NodePortMin, NodePortMax + 1);
        }
        while (used.Contains(port));
        return port;
    }

    private static string ToText(uint address) =>
        string.Join('.', new[] { address >> 24, (address >> 16) & 0xFF, (address >> 8) & 0xFF, address & 0xFF }.Select(b => b.ToString(CultureInfo.InvariantCulture)));
}
