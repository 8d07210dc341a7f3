using System.Text.Json.Nodes;

namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>Cluster-scope checks about Calico's configuration and the identity: P17, P18, P19, RBAC (DOMAIN.md).</summary>
internal static class CalicoConfigRules
{
    public const string V3 = "projectcalico.org/v3";
    public const string CrdV1 = "crd.projectcalico.org/v1";

    /// <summary>
    /// P17: FELIX_BPF* / FELIX_DEFAULTENDPOINTTOHOSTACTION env vs FelixConfiguration default and node.NAME
    /// (precedence env &gt; node.NAME &gt; default): warn when one place overrides another with a different value (#7252),
    /// and whenever FELIX_BPFENABLED is set (it beats the FelixConfiguration the migration patches).
    /// </summary>
    public static CheckResult P17(ClusterFacts cluster)
    {
        if (cluster.CalicoNodeDaemonSet.Error is { } dsError)
        {
            return Outcome.Unreadable("P17", null, cluster.CalicoNodeDaemonSet.Path, dsError);
        }

        if (cluster.FelixConfigurations.Error is { } fcError)
        {
            return Outcome.Unreadable("P17", null, cluster.FelixConfigurations.Path, fcError);
        }

        var dsPath = cluster.CalicoNodeDaemonSet.Path;
        var env = CalicoInstall.From(cluster).Env().Where(e => IsFelixOverride(e.Name)).ToList();
        var configs = cluster.FelixConfigurations.Items
            .Select(fc => (Name: ApiJson.Name(fc), Fields: Fields(fc)))
            .OrderBy(c => c.Name == "default" ? 0 : 1)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        var evidence = env.Select(e => $"{dsPath}: env {e.Display}")
            .Concat(configs.SelectMany(c => c.Fields.Select(f => $"felixconfigurations {c.Name}: spec.{f.Key} = {f.Value}")))
            .ToList();
        if (evidence.Count == 0)
        {
            evidence.Add($"{dsPath}: no FELIX_BPF* or FELIX_DEFAULTENDPOINTTOHOSTACTION env; FelixConfigurations set no bpf* field");
        }

        var conflicts = new List<string>();
        var defaults = configs.Where(c => c.Name == "default").SelectMany(c => c.Fields).ToDictionary(f => f.Key.ToUpperInvariant(), f => f);
        foreach (var (name, fields) in configs.Where(c => c.Name.StartsWith("node.", StringComparison.Ordinal)))
        {
            foreach (var field in fields)
            {
                if (defaults.TryGetValue(field.Key.ToUpperInvariant(), out var d) && !Same(d.Value, field.Value))
                {
                    conflicts.Add($"{name} sets {field.Key}={field.Value} over default's {d.Value}");
                }
            }
        }

        foreach (var e in env)
        {
            var key = e.Name["FELIX_".Length..];
            foreach (var (name, fields) in configs)
            {
                var field = fields.FirstOrDefault(f => f.Key.Equals(key, StringComparison.OrdinalIgnoreCase));
                if (field.Key is not null && (e.Value is null || !Same(e.Value, field.Value)))
                {
                    conflicts.Add($"env {e.Display} overrides FelixConfiguration {name} {field.Key}={field.Value}");
                }
            }
        }

        var bpfEnabledEnv = env.FirstOrDefault(e => e.Name == "FELIX_BPFENABLED");
        if (bpfEnabledEnv is not null)
        {
            conflicts.Add($"env {bpfEnabledEnv.Display} beats FelixConfiguration bpfEnabled, which the migration patches");
        }

        return conflicts.Count > 0
            ? Outcome.Warn("P17", null, string.Join("; ", conflicts), Outcome.Lines(evidence))
            : Outcome.Pass("P17", null, env.Count + configs.Sum(c => c.Fields.Count) == 0 ? "no overrides" : "no conflicting overrides", Outcome.Lines(evidence));
    }

    /// <summary>P18: which API carries Calico's writes: projectcalico.org/v3 (API server) else crd.projectcalico.org/v1; neither → fail.</summary>
    public static CheckResult P18(ClusterFacts cluster)
    {
        if (cluster.DiscoveryError is { } error)
        {
            return Outcome.Unknown("P18", null, $"could not read API discovery: {error}", $"discovery (/api, /apis): could not read: {error}");
        }

        var served = cluster.ServedGroupVersions;
        var evidence = $"discovery: {V3} {(served.Contains(V3) ? "served" : "not served")}, {CrdV1} {(served.Contains(CrdV1) ? "served" : "not served")}";
        if (served.Contains(V3))
        {
            return Outcome.Pass("P18", null, $"writes go through {V3} (Calico API server)", evidence);
        }

        return served.Contains(CrdV1)
            ? Outcome.Pass("P18", null, $"writes go through the CRDs ({CrdV1}); no Calico API server", evidence)
            : Outcome.Fail("P18", null, "neither projectcalico.org/v3 nor crd.projectcalico.org/v1 is served", evidence);
    }

    /// <summary>P19: Installation bpfNetworkBootstrap Enabled together with ConfigMap kubernetes-services-endpoint → fail.</summary>
    public static CheckResult P19(ClusterFacts cluster)
    {
        var installation = cluster.Installation;
        if (installation.Error is { } error)
        {
            return Outcome.Unreadable("P19", null, installation.Path, error);
        }

        if (!installation.Found)
        {
            return Outcome.Pass("P19", null, "manifest install: not applicable", ApiJson.Absence(installation));
        }

        var bootstrap = ApiJson.Text(installation.Json, "spec.calicoNetwork.bpfNetworkBootstrap") ?? ApiJson.Text(installation.Json, "spec.bpfNetworkBootstrap");
        var configMap = cluster.ServicesEndpointConfigMap;
        var evidence = Outcome.Lines([
            $"{installation.Path}: spec.calicoNetwork.bpfNetworkBootstrap = {bootstrap ?? "(unset)"}",
            configMap.Found ? $"{configMap.Path}: found" : ApiJson.Absence(configMap)]);
        var enabled = string.Equals(bootstrap, "Enabled", StringComparison.OrdinalIgnoreCase);
        if (enabled && configMap.Error is { } cmError)
        {
            return Outcome.Unreadable("P19", null, configMap.Path, cmError);
        }

        return enabled && configMap.Found
            ? Outcome.Fail("P19", null, "bpfNetworkBootstrap is Enabled and ConfigMap kubernetes-services-endpoint exists: the operator refuses both", evidence)
            : Outcome.Pass("P19", null, enabled ? "bpfNetworkBootstrap Enabled, no ConfigMap" : "bpfNetworkBootstrap not enabled", evidence);
    }

    /// <summary>RBAC: every SelfSubjectAccessReview allowed → pass; any denied → warn listing the steps it blocks.</summary>
    public static CheckResult Rbac(ClusterFacts cluster)
    {
        var who = cluster.Identity is { } identity ? $" for {identity}" : "";
        if (cluster.PermissionsError is { } error)
        {
            return Outcome.Unknown("RBAC", null, $"could not review permissions{who}: {error}", $"selfsubjectaccessreviews: could not create: {error}");
        }

        if (cluster.Permissions.Count == 0)
        {
            return Outcome.Unknown("RBAC", null, "no permission was reviewed", "selfsubjectaccessreviews: none created");
        }

        var evidence = Outcome.Lines(cluster.Permissions.Select(p =>
            $"selfsubjectaccessreview {p.Need}: {(p.Allowed ? "allowed" : "denied")}{(string.IsNullOrEmpty(p.Reason) ? "" : $" ({p.Reason})")}"));
        var denied = cluster.Permissions.Where(p => !p.Allowed).Select(p => $"{p.Need.Step} {p.Need.Action} ({p.Need})").ToList();
        return denied.Count == 0
            ? Outcome.Pass("RBAC", null, $"all {cluster.Permissions.Count} permissions the migration needs are allowed{who}", evidence)
            : Outcome.Warn("RBAC", null, $"not allowed{who}: {string.Join("; ", denied)}", evidence);
    }

    internal static bool IsFelixOverride(string envName) =>
        envName.StartsWith("FELIX_BPF", StringComparison.Ordinal) || envName == "FELIX_DEFAULTENDPOINTTOHOSTACTION";

    private static List<KeyValuePair<string, string>> Fields(JsonObject felixConfiguration)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (ApiJson.At(felixConfiguration, "spec") is JsonObject spec)
        {
            foreach (var (key, value) in spec)
            {
                if (key.StartsWith("bpf", StringComparison.Ordinal) || key == "defaultEndpointToHostAction")
                {
                    list.Add(new(key, ApiJson.Scalar(value) ?? value?.ToJsonString() ?? "null"));
                }
            }
        }

        return list;
    }

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
