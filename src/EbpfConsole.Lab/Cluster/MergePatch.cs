using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Cluster;

/// <summary>RFC 7386 JSON merge patch (the scenario files' "merge" patches; null removes a field).</summary>
internal static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            var existing = result[key];
            if (existing is not null)
            {
                result.Remove(key);
            }

            result[key] = Apply(existing, value);
        }

        return result;
    }
}
