using System.Text.Json;
using System.Text.Json.Nodes;

namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>Small readers over API JSON (as served) that never throw for a missing or mistyped field.</summary>
internal static class ApiJson
{
    /// <summary>The node at a dotted path ("spec.template.spec"), or null.</summary>
    public static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(part, out node))
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>A scalar at a path as text (strings as is, numbers and booleans in JSON form), or null.</summary>
    public static string? Text(JsonNode? node, string path) => Scalar(At(node, path));

    public static string? Scalar(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
            _ => null,
        }
        : null;

    public static IEnumerable<JsonObject> Objects(JsonNode? node, string path) =>
        At(node, path) is JsonArray array ? array.OfType<JsonObject>() : [];

    /// <summary>A string map (labels, annotations, ConfigMap data) at a path; empty when absent.</summary>
    public static IReadOnlyDictionary<string, string> Map(JsonNode? node, string path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (At(node, path) is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (Scalar(value) is { } text)
                {
                    map[key] = text;
                }
            }
        }

        return map;
    }

    public static string Name(JsonNode? node) => Text(node, "metadata.name") ?? "";

    /// <summary>"not found" / the error, for evidence about an object that is not there.</summary>
    public static string Absence(ApiObject obj) => obj.Error is { } error ? $"{obj.Path}: could not read: {error}" : $"{obj.Path}: not found";

    /// <summary>The Node object named <paramref name="name"/> in the list, or null.</summary>
    public static JsonObject? FindNode(ClusterFacts cluster, string name) =>
        cluster.Nodes.Items.FirstOrDefault(n => string.Equals(Name(n), name, StringComparison.Ordinal));

    /// <summary>status.addresses of type InternalIP (first), or null.</summary>
    public static string? InternalIp(JsonNode? node) => Objects(node, "status.addresses")
        .Where(a => Text(a, "type") == "InternalIP")
        .Select(a => Text(a, "address"))
        .FirstOrDefault(a => !string.IsNullOrEmpty(a));
}
