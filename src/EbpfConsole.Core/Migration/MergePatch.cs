using System.Text.Json.Nodes;

namespace EbpfConsole.Core.Migration;

/// <summary>
/// JSON merge patch (RFC 7386), used to predict the object a step's patch produces (<see cref="ObjectChange.After"/>).
/// The migration's strategic patches (DOMAIN.md M4: kube-proxy's nodeSelector) only touch maps, where a strategic merge
/// patch behaves exactly like a merge patch (a map merges key by key, null deletes a key), so one function predicts both.
/// </summary>
public static class MergePatch
{
    /// <summary>The result of applying <paramref name="patch"/> to <paramref name="target"/> (null: an empty object). Neither input is changed.</summary>
    public static JsonObject Apply(JsonObject? target, JsonObject patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return (JsonObject)Merge(target, patch)!;
    }

    /// <summary>A nested object holding <paramref name="value"/> at <paramref name="path"/>: ("spec", "bpfEnabled") → {"spec":{"bpfEnabled":value}}.</summary>
    public static JsonObject At(JsonNode? value, params string[] path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            throw new ArgumentException("a path needs at least one key", nameof(path));
        }

        var node = value?.DeepClone();
        for (var i = path.Length - 1; i > 0; i--)
        {
            node = new JsonObject { [path[i]] = node };
        }

        return new JsonObject { [path[0]] = node };
    }

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            var merged = Merge(result.TryGetPropertyValue(key, out var existing) ? existing : null, value);
            result[key] = merged;
        }

        return result;
    }
}
