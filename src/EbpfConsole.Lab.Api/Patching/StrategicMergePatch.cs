using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Api.Patching;

/// <summary>
/// Strategic merge patch for the built-in types the lab serves (k8s.io/apimachinery strategicpatch, with a
/// field-name table instead of Go struct tags): maps merge recursively and null deletes a key; lists with a
/// merge key (<see cref="PatchMeta"/>) merge element by element; other lists replace. Directives:
/// <c>$patch: replace|delete|merge</c> in maps and list items, <c>$retainKeys</c>,
/// <c>$setElementOrder/FIELD</c> (orders the result, never stored), <c>$deleteFromPrimitiveList/FIELD</c>.
/// </summary>
public static class StrategicMergePatch
{
    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    /// <summary>The result of applying <paramref name="patch"/> to <paramref name="original"/> (neither is modified).</summary>
    public static JsonObject Apply(JsonObject original, JsonObject patch) =>
        MergeMap((JsonObject)original.DeepClone(), patch, parentField: null, enclosingList: null) ?? [];

    /// <summary>Merges <paramref name="patch"/> into <paramref name="target"/> (modified); null when the map is to be deleted.</summary>
    private static JsonObject? MergeMap(JsonObject target, JsonObject patch, string? parentField, string? enclosingList)
    {
        switch (JsonTree.Str(patch, "$patch"))
        {
            case "replace":
                return (JsonObject)StripDirectives(patch)!;
            case "delete":
                return null;
            case null or "merge":
                break;
            default:
                throw ApiException.BadRequest($"Unknown patch type: {JsonTree.Str(patch, "$patch")} in map: {patch.ToJsonString()}");
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal) && value is JsonArray doomed && target[key[DeleteFromPrimitiveList.Length..]] is JsonArray list)
            {
                foreach (var item in list.Where(i => doomed.Any(d => JsonNode.DeepEquals(d, i))).ToList())
                {
                    list.Remove(item);
                }
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }

            if (value is null)
            {
                target.Remove(key);
                continue;
            }

            target.TryGetPropertyValue(key, out var existing);
            switch (value)
            {
                case JsonObject patchMap:
                    var merged = MergeMap(existing as JsonObject ?? [], patchMap, key, enclosingList);
                    if (merged is null)
                    {
                        target.Remove(key);
                    }
                    else if (!ReferenceEquals(merged, existing))
                    {
                        target[key] = merged;
                    }

                    break;
                case JsonArray patchList:
                    target[key] = MergeList(key, existing as JsonArray ?? [], patchList, parentField, enclosingList);
                    break;
                default:
                    target[key] = value.DeepClone();
                    break;
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetElementOrder, StringComparison.Ordinal) && value is JsonArray order)
            {
                var field = key[SetElementOrder.Length..];
                if (target[field] is JsonArray list)
                {
                    target[field] = Reorder(list, order, PatchMeta.MergeKey(field, parentField, enclosingList));
                }
            }
        }

        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(JsonTree.Scalar).ToHashSet(StringComparer.Ordinal);
            foreach (var key in target.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                target.Remove(key);
            }
        }

        return target;
    }

    private static JsonArray MergeList(string field, JsonArray original, JsonArray patch, string? parentField, string? enclosingList)
    {
        if (patch.Any(i => i is JsonObject o && JsonTree.Str(o, "$patch") == "replace"))
        {
            return new JsonArray(patch.Where(i => !(i is JsonObject o && JsonTree.Str(o, "$patch") == "replace")).Select(StripDirectives).ToArray());
        }

        var mergeKey = PatchMeta.MergeKey(field, parentField, enclosingList);
        if (mergeKey is null)
        {
            if (PatchMeta.IsMergedPrimitiveList(field, parentField))
            {
                var union = (JsonArray)original.DeepClone();
                foreach (var item in patch.Where(i => !union.Any(u => JsonNode.DeepEquals(u, i))))
                {
                    union.Add(item?.DeepClone());
                }

                return union;
            }

            return (JsonArray)StripDirectives(patch)!;
        }

        var result = original.Select(i => i?.DeepClone()).ToList();
        foreach (var item in patch)
        {
            if (item is not JsonObject patchItem)
            {
                return (JsonArray)StripDirectives(patch)!;
            }

            var keyValue = patchItem[mergeKey];
            if (keyValue is null)
            {
                throw ApiException.BadRequest($"map: {patchItem.ToJsonString()} does not contain declared merge key: {mergeKey}");
            }

            var at = result.FindIndex(e => e is JsonObject o && JsonNode.DeepEquals(o[mergeKey], keyValue));
            if (JsonTree.Str(patchItem, "$patch") == "delete")
            {
                result.RemoveAll(e => e is JsonObject o && JsonNode.DeepEquals(o[mergeKey], keyValue));
                continue;
            }

            var merged = MergeMap(at >= 0 ? (JsonObject)result[at]! : [], patchItem, parentField: null, enclosingList: field);
            if (at >= 0)
            {
                result[at] = merged;
            }
            else if (merged is not null)
            {
                result.Add(merged);
            }
        }

        return new JsonArray(result.Where(r => r is not null).ToArray());
    }

    /// <summary>Elements named in <paramref name="order"/> first, in that order; the others after, in their own order.</summary>
    private static JsonArray Reorder(JsonArray list, JsonArray order, string? mergeKey)
    {
        JsonNode? Id(JsonNode? n) => mergeKey is not null && n is JsonObject o ? o[mergeKey] : n;
        var items = list.Select(i => i?.DeepClone()).ToList();
        var ordered = new List<JsonNode?>();
        foreach (var wanted in order)
        {
            var id = Id(wanted);
            var at = items.FindIndex(i => JsonNode.DeepEquals(Id(i), id));
            if (at >= 0)
            {
                ordered.Add(items[at]);
                items.RemoveAt(at);
            }
        }

        ordered.AddRange(items);
        return new JsonArray(ordered.ToArray());
    }

    /// <summary>A copy of <paramref name="node"/> without any patch directive keys, at any depth.</summary>
    internal static JsonNode? StripDirectives(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (key, value) in o)
                {
                    if (key is "$patch" or "$retainKeys" || key.StartsWith(SetElementOrder, StringComparison.Ordinal) || key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    copy[key] = StripDirectives(value);
                }

                return copy;
            case JsonArray a:
                return new JsonArray(a.Select(StripDirectives).ToArray());
            default:
                return node?.DeepClone();
        }
    }
}
