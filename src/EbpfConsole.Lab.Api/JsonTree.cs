using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Api;

/// <summary>Small helpers for reading plain <see cref="JsonObject"/> trees by dotted paths.</summary>
public static class JsonTree
{
    /// <summary>The node at a dotted path ("metadata.name", "spec.template.spec"), or null.</summary>
    public static JsonNode? At(JsonNode? node, string dottedPath)
    {
        foreach (var part in dottedPath.Split('.'))
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(part, out node))
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>The value at a dotted path as the text a selector compares ("" when absent; numbers and booleans as JSON writes them).</summary>
    public static string Text(JsonNode? node, string dottedPath) => Scalar(At(node, dottedPath)) ?? string.Empty;

    /// <summary>A string value at a dotted path, or null when absent or not a string.</summary>
    public static string? Str(JsonNode? node, string dottedPath) =>
        At(node, dottedPath) is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>An integer value at a dotted path, or null.</summary>
    public static long? Number(JsonNode? node, string dottedPath) =>
        At(node, dottedPath) is JsonValue v && v.GetValueKind() == JsonValueKind.Number && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null;

    /// <summary>The object at a dotted path, or null.</summary>
    public static JsonObject? Obj(JsonNode? node, string dottedPath) => At(node, dottedPath) as JsonObject;

    /// <summary>The array at a dotted path, or an empty sequence.</summary>
    public static IEnumerable<JsonNode?> Items(JsonNode? node, string dottedPath) =>
        At(node, dottedPath) as JsonArray ?? [];

    /// <summary>The object at <paramref name="name"/> in <paramref name="parent"/>, created when missing (replaced when not an object).</summary>
    public static JsonObject Ensure(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    /// <summary>A string map (labels, nodeSelector, data) as a dictionary; non-string values as their JSON text.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(JsonNode? node, string dottedPath)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (At(node, dottedPath) is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                result[key] = Scalar(value) ?? string.Empty;
            }
        }

        return result;
    }

    /// <summary>A scalar as text (strings raw, numbers/booleans as JSON), null for null/absent, JSON text for containers.</summary>
    public static string? Scalar(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
        JsonValue v when v.GetValueKind() == JsonValueKind.Null => null,
        _ => node.ToJsonString(),
    };

    /// <summary>RFC 3339 in UTC with seconds, as Kubernetes writes timestamps.</summary>
    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A Kubernetes timestamp, or null when absent or unparsable.</summary>
    public static DateTimeOffset? ParseTimestamp(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
