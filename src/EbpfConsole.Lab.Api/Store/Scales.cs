using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api.Patching;

namespace EbpfConsole.Lab.Api;

/// <summary>
/// The <c>scale</c> subresource of deployments and replicasets (autoscaling/v1 Scale), what `kubectl scale`
/// reads and patches: spec.replicas is the owner's, status.selector its label selector as a string.
/// </summary>
public static class Scales
{
    public static bool Serves(ResourceType resource) => resource.Subresources.Contains("scale");

    public static JsonObject Get(ObjectStore store, ResourceType resource, string? ns, string name)
    {
        ArgumentNullException.ThrowIfNull(store);
        return From(store.Get(resource, ns, name));
    }

    /// <summary>PUT: sets the owner's spec.replicas (a resourceVersion in the body must still match: 409 otherwise).</summary>
    public static JsonObject Update(ObjectStore store, ResourceType resource, string? ns, string name, JsonObject scale, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(scale);
        var replicas = scale["spec"]?["replicas"] is JsonValue value && value.TryGetValue<long>(out var n) ? n : 0;
        if (replicas < 0)
        {
            throw new ApiException(422, "Invalid", $"Scale.autoscaling \"{name}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0",
                resource, name, [("spec.replicas", $"Invalid value: {replicas}: must be greater than or equal to 0")]);
        }

        var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } };
        if (JsonTree.Str(scale, "metadata.resourceVersion") is { Length: > 0 } version)
        {
            patch["metadata"] = new JsonObject { ["resourceVersion"] = version };
        }

        return From(store.Patch(resource, ns, name, PatchType.Merge, patch.ToJsonString(), dryRun));
    }

    /// <summary>PATCH of the Scale document (any patch type; a Scale has no lists, so strategic merge is a merge).</summary>
    public static JsonObject Patch(ObjectStore store, ResourceType resource, string? ns, string name, PatchType type, string body, bool dryRun = false)
    {
        var current = Get(store, resource, ns, name);
        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest("error decoding patch: " + e.Message.Split('\n')[0]);
        }

        var patched = type == PatchType.Json
            ? JsonPatch.Apply(current, patch as JsonArray ?? throw ApiException.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch"))
            : MergePatch.Apply(current, patch as JsonObject ?? throw ApiException.BadRequest("error decoding patch: a patch must be a JSON object"));
        return Update(store, resource, ns, name, patched as JsonObject ?? throw ApiException.BadRequest("the patched Scale is not a JSON object"), dryRun);
    }

    private static JsonObject From(JsonObject owner)
    {
        var labels = owner["spec"]?["selector"]?["matchLabels"] as JsonObject;
        var selector = labels is null ? string.Empty : string.Join(",", labels.Select(p => $"{p.Key}={p.Value}"));
        var meta = owner["metadata"] as JsonObject;
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta?["name"]?.DeepClone(),
                ["namespace"] = meta?["namespace"]?.DeepClone(),
                ["uid"] = meta?["uid"]?.DeepClone(),
                ["resourceVersion"] = meta?["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = meta?["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = Replicas(owner, "spec") },
            ["status"] = new JsonObject { ["replicas"] = Replicas(owner, "status"), ["selector"] = selector },
        };
    }

    private static long Replicas(JsonObject owner, string section) =>
        owner[section]?["replicas"] is JsonValue v && v.TryGetValue<long>(out var n) ? n
        : long.TryParse(owner[section]?["replicas"]?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
}
