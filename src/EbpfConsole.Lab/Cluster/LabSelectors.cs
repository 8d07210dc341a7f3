using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Cluster;

/// <summary>Label matching the way the scheduler and controllers do it: nodeSelector maps and LabelSelectors.</summary>
internal static class LabSelectors
{
    /// <summary>Every pair of <paramref name="selector"/> is among <paramref name="labels"/> (an empty selector matches all).</summary>
    public static bool MatchesMap(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.All(p => labels.TryGetValue(p.Key, out var value) && value == p.Value);

    /// <summary>A metav1.LabelSelector (matchLabels + matchExpressions In/NotIn/Exists/DoesNotExist); null matches nothing.</summary>
    public static bool Matches(JsonObject? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return false;
        }

        if (!MatchesMap(ClusterJson.Map(selector, "matchLabels"), labels))
        {
            return false;
        }

        foreach (var expression in ClusterJson.Objects(ClusterJson.Arr(selector, "matchExpressions")))
        {
            var key = ClusterJson.Str(expression, "key") ?? string.Empty;
            var values = ClusterJson.Arr(expression, "values")?.Select(v => v?.ToString() ?? string.Empty).ToList() ?? [];
            var has = labels.TryGetValue(key, out var value);
            var ok = ClusterJson.Str(expression, "operator") switch
            {
                "In" => has && values.Contains(value!),
                "NotIn" => !has || !values.Contains(value!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The nodes a pod template may run on: its nodeSelector against each node's labels (tolerations ignored).</summary>
    public static IReadOnlyList<JsonObject> EligibleNodes(JsonObject? podSpec, IEnumerable<JsonObject> nodes)
    {
        var selector = ClusterJson.Map(podSpec, "nodeSelector");
        return nodes.Where(n => MatchesMap(selector, ClusterJson.Labels(n))).OrderBy(ClusterJson.Name, StringComparer.Ordinal).ToList();
    }
}
