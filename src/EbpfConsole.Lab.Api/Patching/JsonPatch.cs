using System.Globalization;
using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Api.Patching;

/// <summary>
/// JSON patch (RFC 6902): add, remove, replace, move, copy, test with JSON-pointer paths ("~0" = "~",
/// "~1" = "/", "-" = after the last element). As the real API server: a malformed patch → 400 BadRequest,
/// an operation that does not apply (missing path, failed test) → 422 Invalid.
/// </summary>
public static class JsonPatch
{
    /// <summary>Applies <paramref name="operations"/> to a copy of <paramref name="document"/>.</summary>
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        var doc = document.DeepClone();
        foreach (var node in operations)
        {
            if (node is not JsonObject op)
            {
                throw ApiException.BadRequest("json: cannot unmarshal into Go value of type jsonpatch.Patch: each operation must be an object");
            }

            var name = JsonTree.Str(op, "op") ?? throw ApiException.BadRequest("Unexpected kind: missing \"op\"");
            var path = JsonTree.Str(op, "path") ?? throw ApiException.BadRequest($"{name} operation is missing \"path\"");
            doc = name switch
            {
                "add" => Add(doc, path, Value(op, name)),
                "remove" => Remove(doc, path, name, out _),
                "replace" => Add(Remove(doc, path, name, out _), path, Value(op, name)),
                "move" => Add(Remove(doc, From(op, name), name, out var moved), path, moved),
                "copy" => Add(doc, path, Get(doc, From(op, name), name)?.DeepClone()),
                "test" => Test(doc, path, Value(op, name)),
                _ => throw ApiException.BadRequest($"Unexpected kind: {name}"),
            };
        }

        return doc;
    }

    private static JsonNode? Value(JsonObject op, string name) =>
        op.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw ApiException.BadRequest($"{name} operation is missing \"value\"");

    private static string From(JsonObject op, string name) =>
        JsonTree.Str(op, "from") ?? throw ApiException.BadRequest($"{name} operation is missing \"from\"");

    private static JsonNode Test(JsonNode doc, string path, JsonNode? expected)
    {
        var actual = Get(doc, path, "test");
        if (!JsonNode.DeepEquals(actual, expected))
        {
            throw Failed($"testing value {path} failed: test failed");
        }

        return doc;
    }

    private static JsonNode? Get(JsonNode doc, string path, string opName)
    {
        var current = doc;
        foreach (var token in Tokens(path))
        {
            current = current switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when Index(token, a.Count, false) is { } i => a[i],
                _ => throw Failed($"{opName} operation does not apply: doc is missing path: \"{path}\": missing value"),
            };
        }

        return current;
    }

    private static JsonNode Add(JsonNode doc, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value ?? throw Failed("add operation does not apply: the whole document cannot be null");
        }

        var (parent, last) = Parent(doc, path, "add");
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a:
                var i = last == "-" ? a.Count : Index(last, a.Count + 1, true)!.Value;
                a.Insert(i, value);
                break;
        }

        return doc;
    }

    private static JsonNode Remove(JsonNode doc, string path, string opName, out JsonNode? removed)
    {
        var (parent, last) = Parent(doc, path, opName);
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out removed):
                o.Remove(last);
                break;
            case JsonArray a when Index(last, a.Count, false) is { } i:
                removed = a[i];
                a.RemoveAt(i);
                break;
            default:
                throw Failed($"{opName} operation does not apply: doc is missing path: \"{path}\": missing value");
        }

        return doc;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode doc, string path, string opName)
    {
        var tokens = Tokens(path);
        if (tokens.Count == 0)
        {
            throw Failed($"{opName} operation does not apply: the document root cannot be removed");
        }

        var parentPath = tokens.Count == 1 ? string.Empty : "/" + string.Join("/", tokens.Take(tokens.Count - 1).Select(Escape));
        var parent = Get(doc, parentPath, opName);
        return parent is JsonObject or JsonArray
            ? (parent, tokens[^1])
            : throw Failed($"{opName} operation does not apply: doc is missing path: \"{path}\": missing value");
    }

    private static int? Index(string token, int count, bool throwWhenBad)
    {
        if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < count && (token == "0" || token[0] != '0'))
        {
            return i;
        }

        return throwWhenBad ? throw Failed($"add operation does not apply: index {token} is out of bounds") : null;
    }

    private static List<string> Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw ApiException.BadRequest($"JSON pointer must be empty or start with a \"/\": \"{path}\"");
        }

        return path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static ApiException Failed(string message) => new(422, "Invalid", message);
}
