using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Lab.Cluster;

internal sealed partial class LabReconciler
{
    public const string OperatorNamespace = "tigera-operator";
    public const string CalicoSystem = "calico-system";

    /// <summary>
    /// A modest Tigera operator (operator scenario, DOMAIN.md M2/M5/M6): ConfigMap tigera-operator/kubernetes-services-endpoint
    /// becomes KUBERNETES_SERVICE_HOST/PORT env on calico-system/calico-node (a template change: the pods roll);
    /// without the ConfigMap, <c>calicoNetwork.bpfNetworkBootstrap: Enabled</c> with linuxDataplane BPF does the same
    /// from Endpoints default/kubernetes (the operator's bootstrap, ≥3.31); Installation linuxDataplane BPF/Iptables sets
    /// FelixConfiguration default bpfEnabled; <c>calicoNetwork.kubeProxyManagement: Enabled</c> (the real field; the
    /// top-level <c>spec.kubeProxyManagement</c> is still read as a fallback) disables kube-proxy with the operator's
    /// node selector. Installation status says what is in force.
    /// </summary>
    private void RunOperator()
    {
        if (_store.TryGet(ResourceCatalog.Installations, null, "default") is not { } installation)
        {
            return;
        }

        var bpf = string.Equals(ClusterJson.Str(installation, "spec", "calicoNetwork", "linuxDataplane"), "BPF", StringComparison.OrdinalIgnoreCase);
        if (_store.TryGet(ResourceCatalog.DaemonSets, CalicoSystem, "calico-node") is { } ds)
        {
            SyncOperatorEnv(ds, OperatorServiceEndpoint(installation, bpf));
        }

        if (_store.TryGet(ResourceCatalog.FelixConfigurations, null, "default") is { } felix && ClusterJson.Bool(felix, "spec", "bpfEnabled") != bpf)
        {
            MergePatchObject(ResourceCatalog.FelixConfigurations, felix, new JsonObject { ["spec"] = new JsonObject { ["bpfEnabled"] = bpf } });
        }

        var kubeProxyManagement = ClusterJson.Str(installation, "spec", "calicoNetwork", "kubeProxyManagement")
            ?? ClusterJson.Str(installation, "spec", "kubeProxyManagement");
        if (string.Equals(kubeProxyManagement, "Enabled", StringComparison.OrdinalIgnoreCase)
            && _store.TryGet(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy") is { } kubeProxy)
        {
            const string Key = "operator.tigera.io/disable-kube-proxy";
            var has = ClusterJson.Map(kubeProxy, "spec", "template", "spec", "nodeSelector").ContainsKey(Key);
            if (has != bpf)
            {
                MergePatchObject(ResourceCatalog.DaemonSets, kubeProxy, new JsonObject
                {
                    ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["nodeSelector"] = new JsonObject { [Key] = bpf ? "true" : null } } } },
                });
            }
        }

        var status = new JsonObject
        {
            ["variant"] = ClusterJson.Str(installation, "spec", "variant") ?? "Calico",
            ["calicoVersion"] = FelixModel.VersionOf(
                _store.TryGet(ResourceCatalog.DaemonSets, CalicoSystem, "calico-node") is { } node && ClusterJson.Obj(node, "spec", "template") is { } template
                    ? ClusterJson.Str(FelixModel.Container(template), "image")
                    : null),
            ["computed"] = ClusterJson.Obj(installation, "spec")?.DeepClone(),
            ["conditions"] = ClusterJson.Arr(installation, "status", "conditions")?.DeepClone() ?? new JsonArray(new JsonObject
            {
                ["type"] = "Ready",
                ["status"] = "True",
                ["reason"] = "AllObjectsAvailable",
                ["message"] = "All objects are available",
                ["lastTransitionTime"] = PodBuilder.Stamp(Now),
            }),
        };
        WriteStatus(ResourceCatalog.Installations, installation, status);
    }

    /// <summary>
    /// What calico-node gets as KUBERNETES_SERVICE_HOST/PORT: the ConfigMap's data when it exists (M2); else, with
    /// bpfNetworkBootstrap Enabled in BPF mode, the first address and port of Endpoints default/kubernetes (M5); else nothing.
    /// </summary>
    private IReadOnlyDictionary<string, string> OperatorServiceEndpoint(JsonObject installation, bool bpf)
    {
        if (ConfigMap(OperatorNamespace, "kubernetes-services-endpoint") is { } configMap)
        {
            return ClusterJson.Map(configMap, "data");
        }

        var bootstrap = string.Equals(
            ClusterJson.Str(installation, "spec", "calicoNetwork", "bpfNetworkBootstrap") ?? ClusterJson.Str(installation, "spec", "bpfNetworkBootstrap"),
            "Enabled",
            StringComparison.OrdinalIgnoreCase);
        if (!bpf || !bootstrap || _store.TryGet(ResourceCatalog.Endpoints, "default", "kubernetes") is not { } endpoints)
        {
            return new Dictionary<string, string>();
        }

        foreach (var subset in ClusterJson.Objects(ClusterJson.Arr(endpoints, "subsets")))
        {
            var host = ClusterJson.Objects(ClusterJson.Arr(subset, "addresses")).Select(a => ClusterJson.Str(a, "ip")).FirstOrDefault(ip => !string.IsNullOrEmpty(ip));
            var ports = ClusterJson.Objects(ClusterJson.Arr(subset, "ports")).ToList();
            var port = ports.FirstOrDefault(p => ClusterJson.Str(p, "name") == "https") ?? ports.FirstOrDefault();
            if (host is not null && ClusterJson.Int(port, "port") is { } number)
            {
                return new Dictionary<string, string>
                {
                    ["KUBERNETES_SERVICE_HOST"] = host,
                    ["KUBERNETES_SERVICE_PORT"] = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
            }
        }

        return new Dictionary<string, string>();
    }

    private void SyncOperatorEnv(JsonObject ds, IReadOnlyDictionary<string, string> data)
    {
        var template = (JsonObject)(ClusterJson.Obj(ds, "spec", "template")?.DeepClone() ?? new JsonObject());
        if (FelixModel.Container(template) is not { } container)
        {
            return;
        }

        var env = ClusterJson.Objects(ClusterJson.Arr(container, "env")).Select(e => (JsonObject)e.DeepClone())
            .Where(e => ClusterJson.Str(e, "name") is not ("KUBERNETES_SERVICE_HOST" or "KUBERNETES_SERVICE_PORT")).ToList();
        foreach (var key in new[] { "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT" })
        {
            if (data.TryGetValue(key, out var value))
            {
                env.Add(new JsonObject { ["name"] = key, ["value"] = value });
            }
        }

        var wanted = new JsonArray(env.Select(e => (JsonNode)e).ToArray());
        if (JsonNode.DeepEquals(container["env"], wanted))
        {
            return;
        }

        container["env"] = wanted;
        ds["spec"]!["template"] = template;
        ((JsonObject)ds["metadata"]!).Remove("resourceVersion");
        _store.Update(ResourceCatalog.DaemonSets, CalicoSystem, "calico-node", ds);
    }
}
