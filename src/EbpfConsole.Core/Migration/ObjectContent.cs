using System.Text.Json.Nodes;

namespace EbpfConsole.Core.Migration;

/// <summary>
/// An object's content as its users own it: without the fields the server owns (resourceVersion, uid,
/// creationTimestamp, generation, managedFields, status, the DaemonSet template generation annotation).
/// Used to tell "someone else changed it" from a status update, and to compare with M0's snapshot.
/// </summary>
public static class ObjectContent
{
    private static readonly string[] ServerMetadata =
        ["resourceVersion", "uid", "creationTimestamp", "generation", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"];

    private static readonly string[] ServerAnnotations = ["deprecated.daemonset.template.generation", "deployment.kubernetes.io/revision"];

    /// <summary>A deep copy without the server's fields; null stays null.</summary>
    public static JsonObject? Strip(JsonObject? obj)
    {
        if (obj is null)
        {
            return null;
        }

        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject meta)
        {
            foreach (var field in ServerMetadata)
            {
                meta.Remove(field);
            }

            if (meta["annotations"] is JsonObject annotations)
            {
                foreach (var key in ServerAnnotations)
                {
                    annotations.Remove(key);
                }

                if (annotations.Count == 0)
                {
                    meta.Remove("annotations");
                }
            }
        }

        return copy;
    }

    /// <summary>True when both are absent, or both exist with the same user-owned content.</summary>
    public static bool SameContent(JsonObject? a, JsonObject? b) => JsonNode.DeepEquals(Strip(a), Strip(b));

    /// <summary>The dotted paths whose user-owned values differ ("spec.template.spec.nodeSelector.non-calico"), at most <paramref name="limit"/>.</summary>
    public static IReadOnlyList<string> Differences(JsonObject? expected, JsonObject? actual, int limit = 20)
    {
        var found = new List<string>();
        Walk(Strip(expected), Strip(actual), "", found, limit);
        return found;
    }

    private static void Walk(JsonNode? a, JsonNode? b, string path, List<string> found, int limit)
    {
        if (found.Count >= limit || JsonNode.DeepEquals(a, b))
        {
            return;
        }

        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                Walk(oa[key], ob[key], path.Length == 0 ? key : $"{path}.{key}", found, limit);
            }

            return;
        }

        found.Add(path.Length == 0 ? "(the whole object)" : path);
    }
}
