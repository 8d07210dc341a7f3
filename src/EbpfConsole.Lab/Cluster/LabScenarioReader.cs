using System.Text.Json;
using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Lab.Cluster;

/// <summary>
/// Reads scenario files (JSON): <c>description</c>, <c>kubernetesVersion</c>, <c>nodes</c>
/// (<c>{"node-2": {"bpffs": false, "cgroup2": false, "links": ["kube-ipvs0"], "labels": {…}}}</c>), <c>objects</c>, and to build
/// on another scenario <c>extends</c> plus <c>remove</c> (<c>[{kind, namespace, name}]</c>) and <c>patches</c>
/// (<c>{kind, namespace, name, merge: {…}}</c> or <c>{…, replaceText: {pointer, from, to}}</c>).
/// Every error is a one-line <see cref="LabException"/> naming the file.
/// </summary>
internal static class LabScenarioReader
{
    public static IReadOnlyList<string> NamesIn(string dir)
    {
        if (!System.IO.Directory.Exists(dir))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(dir, "*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .OrderBy(n => n == LabScenario.Default ? 0 : 1)
            .ThenBy(n => n, StringComparer.Ordinal)
            .ToList();
    }

    public static LabScenario Load(string dir, string name) => Load(dir, name, []);

    private static LabScenario Load(string dir, string name, List<string> chain)
    {
        var names = NamesIn(dir);
        if (!names.Contains(name ?? string.Empty, StringComparer.Ordinal))
        {
            throw new LabException($"unknown scenario '{name}'; allowed: {string.Join(", ", names)} (in {dir})");
        }

        var file = Path.Combine(dir, name + ".json");
        if (chain.Contains(name!, StringComparer.Ordinal))
        {
            throw new LabException($"scenario file {file}: \"extends\" loops ({string.Join(" → ", chain.Append(name!))})");
        }

        chain.Add(name!);
        var root = Parse(file);
        LabScenario? parent = null;
        if (root["extends"] is not null)
        {
            var baseName = Text(root, "extends", file);
            parent = Load(dir, baseName, chain);
        }

        var description = root["description"] is null && parent is not null ? parent.Description : Text(root, "description", file);
        var version = root["kubernetesVersion"] is null && parent is not null ? parent.KubernetesVersion : Text(root, "kubernetesVersion", file);
        var (facts, labels) = ReadNodes(root, file, parent);
        var objects = parent?.Objects.Select(o => (JsonObject)o.DeepClone()).ToList() ?? [];
        foreach (var removal in Entries(root, "remove", file))
        {
            var index = IndexOf(objects, removal, file);
            objects.RemoveAt(index);
        }

        foreach (var item in Entries(root, "objects", file))
        {
            objects.Add((JsonObject)item.DeepClone());
        }

        foreach (var patch in Entries(root, "patches", file))
        {
            ApplyPatch(objects, patch, file);
        }

        foreach (var obj in objects)
        {
            Validate(obj, file);
        }

        var duplicate = objects.GroupBy(Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new LabException($"scenario file {file}: object {duplicate.Key} appears twice");
        }

        return new LabScenario(name!, description, version, facts, objects) { NodeLabels = labels };
    }

    private static JsonObject Parse(string file)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(file), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new LabException($"scenario file {file}: the top level must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new LabException($"scenario file {file}: malformed JSON ({ex.Message.Split('\n')[0].Trim()})", ex);
        }
        catch (IOException ex)
        {
            throw new LabException($"scenario file {file}: cannot be read ({ex.Message})", ex);
        }
    }

    private static string Text(JsonObject root, string key, string file) =>
        ClusterJson.Str(root, key) is { Length: > 0 } text ? text : throw new LabException($"scenario file {file}: \"{key}\" must be a non-empty string");

    private static List<JsonObject> Entries(JsonObject root, string key, string file)
    {
        if (root[key] is null)
        {
            return [];
        }

        if (root[key] is not JsonArray array || array.Any(e => e is not JsonObject))
        {
            throw new LabException($"scenario file {file}: \"{key}\" must be a list of objects");
        }

        return array.Cast<JsonObject>().ToList();
    }

    private static (Dictionary<string, LabNodeFacts> Facts, Dictionary<string, IReadOnlyDictionary<string, string>> Labels) ReadNodes(JsonObject root, string file, LabScenario? parent)
    {
        var facts = new Dictionary<string, LabNodeFacts>(parent?.Nodes ?? new Dictionary<string, LabNodeFacts>(), StringComparer.Ordinal);
        var labels = new Dictionary<string, IReadOnlyDictionary<string, string>>(parent?.NodeLabels ?? new Dictionary<string, IReadOnlyDictionary<string, string>>(), StringComparer.Ordinal);
        if (root["nodes"] is null)
        {
            return (facts, labels);
        }

        if (root["nodes"] is not JsonObject nodes)
        {
            throw new LabException($"scenario file {file}: \"nodes\" must be an object keyed by node name");
        }

        foreach (var (node, value) in nodes)
        {
            if (LabTopology.FindNode(node) is null || value is not JsonObject entry)
            {
                throw new LabException($"scenario file {file}: nodes.{node} is not a lab node's facts; nodes: node-1 … node-{LabTopology.MaxNodes}");
            }

            var current = facts.GetValueOrDefault(node) ?? LabNodeFacts.Default;
            var bpffs = entry["bpffs"] is null ? current.Bpffs : ClusterJson.Bool(entry, "bpffs") ?? throw new LabException($"scenario file {file}: nodes.{node}.bpffs must be true or false");
            var links = current.Links;
            if (entry["links"] is not null)
            {
                links = entry["links"] is JsonArray list && list.All(l => l is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    ? list.Select(l => l!.GetValue<string>()).ToList()
                    : throw new LabException($"scenario file {file}: nodes.{node}.links must be a list of link names");
            }

            var cgroup2 = entry["cgroup2"] is null ? current.Cgroup2 : ClusterJson.Bool(entry, "cgroup2") ?? throw new LabException($"scenario file {file}: nodes.{node}.cgroup2 must be true or false");
            facts[node] = new LabNodeFacts(bpffs, links) { Cgroup2 = cgroup2 };
            if (entry["labels"] is JsonObject)
            {
                var merged = new Dictionary<string, string>(labels.GetValueOrDefault(node) ?? new Dictionary<string, string>(), StringComparer.Ordinal);
                foreach (var (key, label) in ClusterJson.Map(entry, "labels"))
                {
                    merged[key] = label;
                }

                labels[node] = merged;
            }
        }

        return (facts, labels);
    }

    private static string Key(JsonObject obj) =>
        $"{ClusterJson.Kind(obj)} {(ClusterJson.Namespace(obj) is { } ns ? ns + "/" : string.Empty)}{ClusterJson.Name(obj)}";

    private static int IndexOf(List<JsonObject> objects, JsonObject reference, string file)
    {
        var kind = ClusterJson.Str(reference, "kind");
        var ns = ClusterJson.Str(reference, "namespace");
        var name = ClusterJson.Str(reference, "name");
        var index = objects.FindIndex(o => ClusterJson.Kind(o) == kind && ClusterJson.Namespace(o) == ns && ClusterJson.Name(o) == name);
        return index >= 0 ? index : throw new LabException($"scenario file {file}: no object {kind} {(ns is null ? string.Empty : ns + "/")}{name} to patch or remove");
    }

    private static void ApplyPatch(List<JsonObject> objects, JsonObject patch, string file)
    {
        var index = IndexOf(objects, patch, file);
        if (patch["merge"] is JsonObject merge)
        {
            objects[index] = (JsonObject)Api.Patching.MergePatch.Apply(objects[index], merge)!;
        }
        else if (patch["replaceText"] is JsonObject replace)
        {
            var pointer = Text(replace, "pointer", file);
            var from = Text(replace, "from", file);
            var to = ClusterJson.Str(replace, "to") ?? throw new LabException($"scenario file {file}: replaceText.to must be a string");
            var steps = pointer.TrimStart('/').Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
            var parent = ClusterJson.Obj(objects[index], steps[..^1]);
            var text = ClusterJson.Str(parent, steps[^1]);
            if (parent is null || text is null || !text.Contains(from, StringComparison.Ordinal))
            {
                throw new LabException($"scenario file {file}: replaceText: \"{from}\" not found at {pointer} of {Key(objects[index])}");
            }

            parent[steps[^1]] = text.Replace(from, to, StringComparison.Ordinal);
        }
        else
        {
            throw new LabException($"scenario file {file}: a patch needs \"merge\" (an object) or \"replaceText\"");
        }
    }

    private static void Validate(JsonObject obj, string file)
    {
        var apiVersion = ClusterJson.Str(obj, "apiVersion");
        var kind = ClusterJson.Str(obj, "kind");
        var name = ClusterJson.Name(obj);
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind) || name.Length == 0)
        {
            throw new LabException($"scenario file {file}: every object needs apiVersion, kind and metadata.name (found {Key(obj).Trim()})");
        }

        var resource = ResourceCatalog.FindByKind(apiVersion, kind) is { Stored: true } stored
            ? stored
            : throw new LabException($"scenario file {file}: {apiVersion} {kind} \"{name}\" is not a resource the lab serves");
        if (resource.Namespaced != (ClusterJson.Namespace(obj) is not null))
        {
            throw new LabException($"scenario file {file}: {kind} \"{name}\" {(resource.Namespaced ? "needs" : "must not have")} metadata.namespace");
        }
    }
}
