using System.Text.Json.Nodes;

namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>What kube-proxy is configured to do (P9, P10, P11), from its ConfigMap and DaemonSet.</summary>
internal static class KubeProxyConfig
{
    /// <summary>
    /// The top-level `mode:` of a KubeProxyConfiguration (config.conf) as written: "ipvs", "iptables", "nftables", ""
    /// (empty or quoted empty: kube-proxy's default, iptables on Linux); null when there is no top-level mode line.
    /// </summary>
    public static string? Mode(string? configConf) => TopLevelValue(configConf, "mode");

    /// <summary>The `server:` of kubeconfig.conf (at any indentation), or null.</summary>
    public static string? Server(string? kubeconfigConf)
    {
        foreach (var line in Lines(kubeconfigConf))
        {
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("server:", StringComparison.Ordinal))
            {
                return Unquote(trimmed["server:".Length..]);
            }
        }

        return null;
    }

    /// <summary>The mode given as a flag (--proxy-mode=ipvs / --proxy-mode ipvs) in the kube-proxy container's command or args.</summary>
    public static string? FlagMode(JsonObject? daemonSet)
    {
        var words = ApiJson.Objects(daemonSet, "spec.template.spec.containers")
            .SelectMany(c => Strings(c, "command").Concat(Strings(c, "args")))
            .ToList();
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i].StartsWith("--proxy-mode=", StringComparison.Ordinal))
            {
                return words[i]["--proxy-mode=".Length..];
            }

            if (words[i] == "--proxy-mode" && i + 1 < words.Count)
            {
                return words[i + 1];
            }
        }

        return null;
    }

    /// <summary>"iptables" for an empty mode, else the mode lower-cased.</summary>
    public static string Effective(string? mode) => string.IsNullOrWhiteSpace(mode) ? "iptables" : mode.Trim().ToLowerInvariant();

    /// <summary>The DaemonSet's pod nodeSelector, e.g. {"non-calico": "true"} after M4.</summary>
    public static IReadOnlyDictionary<string, string> NodeSelector(JsonObject? daemonSet) =>
        ApiJson.Map(daemonSet, "spec.template.spec.nodeSelector");

    /// <summary>The data value of a ConfigMap, or null.</summary>
    public static string? Data(ApiObject configMap, string key) =>
        ApiJson.At(configMap.Json, "data") is JsonObject data && data.TryGetPropertyValue(key, out var value) ? ApiJson.Scalar(value) : null;

    private static string? TopLevelValue(string? yaml, string key)
    {
        foreach (var line in Lines(yaml))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
            {
                return Unquote(line[(key.Length + 1)..]);
            }
        }

        return null;
    }

    private static string Unquote(string value)
    {
        var hash = value.IndexOf(" #", StringComparison.Ordinal);
        var v = (hash >= 0 ? value[..hash] : value).Trim();
        return v.Length >= 2 && (v[0] == '"' || v[0] == '\'') && v[^1] == v[0] ? v[1..^1] : v;
    }

    private static IEnumerable<string> Lines(string? text) =>
        text is null ? [] : text.Split('\n').Select(l => l.TrimEnd('\r'));

    private static IEnumerable<string> Strings(JsonObject container, string field) =>
        ApiJson.At(container, field) is JsonArray array ? array.Select(ApiJson.Scalar).OfType<string>() : [];
}
