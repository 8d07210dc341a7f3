using System.Text.Json.Nodes;

namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>Cluster-scope checks read from the API: P1, P4, P7, P8, P11 (DOMAIN.md).</summary>
internal static class ClusterRules
{
    /// <summary>P1: install type and Calico version: fail ≤ v3.15 (tech preview), warn &lt; v3.24, pass otherwise; no Calico → fail.</summary>
    public static CheckResult P1(ClusterFacts cluster)
    {
        var install = CalicoInstall.From(cluster);
        var evidence = new List<string> { Describe(cluster.Installation, "") };
        evidence.Add(cluster.CalicoNodeDaemonSet.Found
            ? $"{cluster.CalicoNodeDaemonSet.Path}: image {install.Image ?? "(none)"}"
            : ApiJson.Absence(cluster.CalicoNodeDaemonSet));
        if (ApiJson.Text(cluster.Installation.Json, "status.calicoVersion") is { } statusVersion)
        {
            evidence.Add($"{cluster.Installation.Path}: status.calicoVersion = {statusVersion}");
        }

        var text = Outcome.Lines(evidence);
        if (install.InstallType == CalicoInstall.NotFound)
        {
            if (cluster.CalicoNodeDaemonSet.Error is { } dsError)
            {
                return Outcome.Unreadable("P1", null, cluster.CalicoNodeDaemonSet.Path, dsError);
            }

            if (cluster.Installation.Error is { } installError)
            {
                return Outcome.Unreadable("P1", null, cluster.Installation.Path, installError);
            }

            return Outcome.Fail("P1", null, "Calico not found: no Installation default and no calico-node DaemonSet", text,
                "Install Calico (v3.29 or later recommended) before planning the eBPF migration.");
        }

        var kind = install.IsOperator ? "operator install" : "manifest install";
        if (install.Version is not { } version)
        {
            return Outcome.Warn("P1", null, $"{kind}; version unknown: image tag '{install.VersionText ?? "(none)"}' is not a version", text,
                "Check the Calico version by hand (calico-node logs or `calicoctl version`): eBPF needs v3.24+, v3.29+ recommended.");
        }

        if (version <= new CalicoVersion(3, 15, int.MaxValue))
        {
            return Outcome.Fail("P1", null, $"{kind} of Calico {version}: eBPF is a tech preview up to v3.15", text);
        }

        return version < new CalicoVersion(3, 24, 0)
            ? Outcome.Warn("P1", null, $"{kind} of Calico {version} is older than v3.24", text)
            : Outcome.Pass("P1", null, $"{kind} of Calico {version}", text);
    }

    /// <summary>P4: any Windows node → fail (mixed clusters drop NodePort traffic).</summary>
    public static CheckResult P4(ClusterFacts cluster)
    {
        if (cluster.Nodes.Error is { } error)
        {
            return Outcome.Unreadable("P4", null, cluster.Nodes.Path, error);
        }

        var lines = cluster.Nodes.Items.Select(n =>
            $"{cluster.Nodes.Path} {ApiJson.Name(n)}: label kubernetes.io/os = {Label(n, "kubernetes.io/os") ?? "(unset)"}, nodeInfo.operatingSystem = {ApiJson.Text(n, "status.nodeInfo.operatingSystem") ?? "(unset)"}")
            .ToList();
        var windows = cluster.Nodes.Items.Where(IsWindows).Select(ApiJson.Name).ToList();
        return windows.Count > 0
            ? Outcome.Fail("P4", null, $"Windows node(s): {string.Join(", ", windows)}", Outcome.Lines(lines))
            : Outcome.Pass("P4", null, $"all {cluster.Nodes.Items.Count} node(s) run Linux", Outcome.Lines(lines));
    }

    /// <summary>P7: DATASTORE_TYPE etcdv3 (or ETCD_ENDPOINTS without DATASTORE_TYPE) → fail; kubernetes/absent → pass.</summary>
    public static CheckResult P7(ClusterFacts cluster)
    {
        if (MissingDaemonSet("P7", cluster) is { } missing)
        {
            return missing;
        }

        var env = CalicoInstall.From(cluster).Env();
        var datastore = env.FirstOrDefault(e => e.Name == "DATASTORE_TYPE");
        var etcd = env.FirstOrDefault(e => e.Name == "ETCD_ENDPOINTS");
        var path = cluster.CalicoNodeDaemonSet.Path;
        var evidence = Outcome.Lines([
            $"{path}: env {(datastore is null ? "DATASTORE_TYPE (unset)" : datastore.Display)}",
            etcd is null ? "" : $"{path}: env {etcd.Display}"]);
        var value = datastore?.Value?.Trim();
        if (string.Equals(value, "etcdv3", StringComparison.OrdinalIgnoreCase) || (datastore is null && etcd is not null))
        {
            return Outcome.Fail("P7", null, "calico-node uses the etcd datastore", evidence);
        }

        return datastore is null || string.Equals(value, "kubernetes", StringComparison.OrdinalIgnoreCase)
            ? Outcome.Pass("P7", null, "Kubernetes datastore", evidence)
            : Outcome.Warn("P7", null, $"DATASTORE_TYPE is {datastore.Display}, not a literal kubernetes", evidence,
                "Check which datastore calico-node uses: eBPF migration here assumes the Kubernetes datastore.");
    }

    /// <summary>P8: manifest installs need envFrom configMapRef kubernetes-services-endpoint (fail) and no explicit KUBERNETES_SERVICE_HOST (warn, #5979).</summary>
    public static CheckResult P8(ClusterFacts cluster)
    {
        if (MissingDaemonSet("P8", cluster) is { } missing)
        {
            return missing;
        }

        var install = CalicoInstall.From(cluster);
        var path = cluster.CalicoNodeDaemonSet.Path;
        var refs = ApiJson.Objects(install.CalicoNodeContainer, "envFrom")
            .Select(e => ApiJson.Text(e, "configMapRef.name"))
            .OfType<string>()
            .ToList();
        var explicitHost = install.Env().FirstOrDefault(e => e.Name == ApiEndpoints.HostKey);
        var evidence = Outcome.Lines([
            $"{path}: container calico-node envFrom configMapRef = {(refs.Count == 0 ? "(none)" : string.Join(", ", refs))}",
            explicitHost is null ? $"{path}: env {ApiEndpoints.HostKey} (unset)" : $"{path}: env {explicitHost.Display}"]);
        if (install.IsOperator)
        {
            return Outcome.Pass("P8", null, "operator install: the operator reads ConfigMap kubernetes-services-endpoint and sets calico-node's env", evidence);
        }

        if (!refs.Contains("kubernetes-services-endpoint", StringComparer.Ordinal))
        {
            return Outcome.Fail("P8", null, "calico-node does not read ConfigMap kubernetes-services-endpoint (no envFrom)", evidence);
        }

        return explicitHost is not null
            ? Outcome.Warn("P8", null, $"an explicit {ApiEndpoints.HostKey} env overrides the ConfigMap (#5979)", evidence)
            : Outcome.Pass("P8", null, "calico-node reads ConfigMap kubernetes-services-endpoint", evidence);
    }

    /// <summary>P11: a kube-proxy DaemonSet managed by Helm, ArgoCD, Flux, the addon manager or an EKS add-on will come back → warn.</summary>
    public static CheckResult P11(ClusterFacts cluster)
    {
        var ds = cluster.KubeProxyDaemonSet;
        if (ds.Error is { } error)
        {
            return Outcome.Unreadable("P11", null, ds.Path, error);
        }

        if (!ds.Found)
        {
            return Outcome.Pass("P11", null, "kube-proxy DaemonSet absent: nothing to disable", ApiJson.Absence(ds));
        }

        var labels = ApiJson.Map(ds.Json, "metadata.labels");
        var annotations = ApiJson.Map(ds.Json, "metadata.annotations");
        var managers = Managers(labels, annotations);
        var shown = labels.Select(kv => $"{ds.Path}: label {kv.Key}={kv.Value}")
            .Concat(annotations.Where(kv => kv.Key != "kubectl.kubernetes.io/last-applied-configuration")
                .Select(kv => $"{ds.Path}: annotation {kv.Key}={Short(kv.Value)}"))
            .ToList();
        var evidence = shown.Count == 0 ? $"{ds.Path}: no labels or annotations" : Outcome.Lines(shown);
        return managers.Count > 0
            ? Outcome.Warn("P11", null, $"kube-proxy is managed by {string.Join(", ", managers)}: a patch to disable it may be reverted", evidence)
            : Outcome.Pass("P11", null, "kube-proxy DaemonSet is not managed by a tool that would re-create it", evidence);
    }

    internal static IReadOnlyList<string> Managers(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations)
    {
        var all = labels.Concat(annotations).ToList();
        var managers = new List<string>();
        if (labels.TryGetValue("app.kubernetes.io/managed-by", out var by) && by.Equals("Helm", StringComparison.OrdinalIgnoreCase)
            || all.Any(kv => kv.Key.StartsWith("meta.helm.sh/", StringComparison.Ordinal)))
        {
            managers.Add("Helm");
        }

        if (all.Any(kv => kv.Key.StartsWith("argocd.argoproj.io/", StringComparison.Ordinal)))
        {
            managers.Add("Argo CD");
        }

        if (all.Any(kv => kv.Key.StartsWith("kustomize.toolkit.fluxcd.io/", StringComparison.Ordinal) || kv.Key.StartsWith("helm.toolkit.fluxcd.io/", StringComparison.Ordinal)))
        {
            managers.Add("Flux");
        }

        if (labels.ContainsKey("addonmanager.kubernetes.io/mode"))
        {
            managers.Add($"the addon manager (mode {labels["addonmanager.kubernetes.io/mode"]})");
        }

        if (labels.ContainsKey("eks.amazonaws.com/component"))
        {
            managers.Add("an EKS add-on");
        }

        return managers;
    }

    /// <summary>Unknown/fail results shared by the checks that read the calico-node DaemonSet.</summary>
    internal static CheckResult? MissingDaemonSet(string id, ClusterFacts cluster)
    {
        var ds = cluster.CalicoNodeDaemonSet;
        if (ds.Error is { } error)
        {
            return Outcome.Unreadable(id, null, ds.Path, error);
        }

        return ds.Found ? null : Outcome.Fail(id, null, "calico-node DaemonSet not found: Calico is not installed", ApiJson.Absence(ds),
            "Install Calico before planning the eBPF migration.");
    }

    private static string Describe(ApiObject obj, string field) => obj.Found ? $"{obj.Path}: found{field}" : ApiJson.Absence(obj);

    private static bool IsWindows(JsonObject node) =>
        string.Equals(Label(node, "kubernetes.io/os"), "windows", StringComparison.OrdinalIgnoreCase)
        || string.Equals(ApiJson.Text(node, "status.nodeInfo.operatingSystem"), "windows", StringComparison.OrdinalIgnoreCase);

    private static string? Label(JsonObject node, string key) => ApiJson.Map(node, "metadata.labels").GetValueOrDefault(key);

    private static string Short(string value) => value.Length <= 120 ? value : value[..117] + "...";
}
