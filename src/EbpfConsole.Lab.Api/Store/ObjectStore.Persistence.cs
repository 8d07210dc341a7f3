using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Api;

/// <summary>The snapshot file: {"resourceVersion": "N", "items": [every object]}.</summary>
public sealed partial class ObjectStore
{
    private void Load(string path)
    {
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException("not a JSON object");
            _resourceVersion = long.Parse(JsonTree.Str(root, "resourceVersion") ?? throw new InvalidDataException("no resourceVersion"), NumberStyles.None, CultureInfo.InvariantCulture);
            foreach (var node in root["items"] as JsonArray ?? throw new InvalidDataException("no items"))
            {
                var obj = node as JsonObject ?? throw new InvalidDataException("an item is not an object");
                var resource = ResourceCatalog.FindByKind(JsonTree.Str(obj, "apiVersion"), JsonTree.Str(obj, "kind"))
                    ?? throw new InvalidDataException($"unknown kind {JsonTree.Str(obj, "apiVersion")} {JsonTree.Str(obj, "kind")}");
                var name = JsonTree.Str(obj, "metadata.name") ?? throw new InvalidDataException("an item has no metadata.name");
                _objects[ObjectKey.Of(resource, JsonTree.Str(obj, "metadata.namespace"), name)] = Copy(obj);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"{path}: the lab API state cannot be read ({e.Message.Split('\n')[0].Trim()}); remove it to start from the scenario again", e);
        }
    }

    /// <summary>Writes the snapshot to a temporary file and renames it over the old one. Under the lock.</summary>
    private void Persist()
    {
        if (_persistPath is null)
        {
            return;
        }

        var root = new JsonObject
        {
            ["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture),
            ["items"] = new JsonArray(_objects.OrderBy(o => o.Key.Resource, StringComparer.Ordinal)
                .ThenBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal)
                .Select(o => (JsonNode)o.Value.DeepClone()).ToArray()),
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(_persistPath))!;
        Directory.CreateDirectory(directory);
        var temp = _persistPath + ".tmp";
        File.WriteAllText(temp, root.ToJsonString());
        File.Move(temp, _persistPath, overwrite: true);
    }
}
