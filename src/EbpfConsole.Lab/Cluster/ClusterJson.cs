using System.Text.Json;
using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Cluster;

/// <summary>Small accessors for API objects as plain <see cref="JsonObject"/>s (metadata, labels, nested fields).</summary>
internal static class ClusterJson
{
    /// <summary>The prefix of every annotation the lab controller keeps on objects (its memory, persisted with the store).</summary>
    public const string AnnotationPrefix = "lab.ebpf-console/";

    public static string Name(JsonObject obj) => Str(obj, "metadata", "name") ?? string.Empty;

    public static string? Namespace(JsonObject obj) => Str(obj, "metadata", "namespace");

    public static string Uid(JsonObject obj) => Str(obj, "metadata", "uid") ?? string.Empty;

    public static string Kind(JsonObject obj) => Str(obj, "kind") ?? string.Empty;

    public static long Generation(JsonObject obj) => Node(obj, "metadata", "generation") is JsonValue v && v.TryGetValue<long>(out var g) ? g : 1;

    public static JsonNode? Node(JsonNode? root, params string[] path)
    {
        var current = root;
        foreach (var step in path)
        {
            if (current is not JsonObject o || !o.TryGetPropertyValue(step, out current))
            {
                return null;
            }
        }

        return current;
    }

    public static string? Str(JsonNode? root, params string[] path) =>
        Node(root, path) is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>A boolean, accepting the JSON literal or the strings "true"/"false" (env values, hand-written YAML).</summary>
    public static bool? Bool(JsonNode? root, params string[] path) => Node(root, path) switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => ParseBool(v.GetValue<string>()),
        _ => null,
    };

    public static bool? ParseBool(string? text) =>
        string.Equals(text?.Trim(), "true", StringComparison.OrdinalIgnoreCase) ? true
        : string.Equals(text?.Trim(), "false", StringComparison.OrdinalIgnoreCase) ? false
        : null;

    public static int? Int(JsonNode? root, params string[] path) =>
        Node(root, path) is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i : null;

    public static JsonObject? Obj(JsonNode? root, params string[] path) => Node(root, path) as JsonObject;

    public static JsonArray? Arr(JsonNode? root, params string[] path) => Node(root, path) as JsonArray;

    public static IEnumerable<JsonObject> Objects(JsonArray? array) => array?.OfType<JsonObject>() ?? [];

    /// <summary>A string map (labels, annotations, nodeSelector, data); empty when absent.</summary>
    public static IReadOnlyDictionary<string, string> Map(JsonNode? root, params string[] path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Obj(root, path) is { } o)
        {
            foreach (var (key, value) in o)
            {
                if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                {
                    map[key] = v.GetValue<string>();
                }
            }
        }

        return map;
    }

    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj) => Map(obj, "metadata", "labels");

    public static IReadOnlyDictionary<string, string> Annotations(JsonObject obj) => Map(obj, "metadata", "annotations");

    public static string? Annotation(JsonObject obj, string key) => Annotations(obj).GetValueOrDefault(key);

    /// <summary>The object at <paramref name="path"/>, created (empty) where missing.</summary>
    public static JsonObject Ensure(JsonObject root, params string[] path)
    {
        var current = root;
        foreach (var step in path)
        {
            if (current[step] is not JsonObject next)
            {
                next = [];
                current[step] = next;
            }

            current = next;
        }

        return current;
    }

    public static JsonObject ToObject(IReadOnlyDictionary<string, string> map)
    {
        var o = new JsonObject();
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            o[key] = value;
        }

        return o;
    }

    /// <summary>The controller owner of <paramref name="obj"/> (ownerReferences with controller: true), or null.</summary>
    public static (string Kind, string Name, string Uid)? ControllerOf(JsonObject obj)
    {
        foreach (var owner in Objects(Arr(obj, "metadata", "ownerReferences")))
        {
            if (Bool(owner, "controller") == true)
            {
                return (Str(owner, "kind") ?? string.Empty, Str(owner, "name") ?? string.Empty, Str(owner, "uid") ?? string.Empty);
            }
        }

        return null;
    }

    public static JsonObject OwnerReference(JsonObject owner) => new()
    {
        ["apiVersion"] = Str(owner, "apiVersion"),
        ["kind"] = Kind(owner),
        ["name"] = Name(owner),
        ["uid"] = Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    /// <summary>A canonical text of a JSON tree (object keys sorted), for hashing and comparing.</summary>
    public static string Canonical(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, node);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                writer.WriteStartObject();
                foreach (var (key, value) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    WriteCanonical(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray a:
                writer.WriteStartArray();
                foreach (var item in a)
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
