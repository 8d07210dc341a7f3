using EbpfConsole.Core.Preflight.Rules;

namespace EbpfConsole.Core.Preflight;

/// <summary>Builds <see cref="ClusterSummary"/> from the facts (pure).</summary>
public static class ClusterSummaries
{
    public static ClusterSummary From(ClusterFacts cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var install = CalicoInstall.From(cluster);
        var felix = cluster.FelixConfigurations.Items.FirstOrDefault(f => ApiJson.Name(f) == "default");
        var bpfEnabled = string.Equals(ApiJson.Text(felix, "spec.bpfEnabled"), "true", StringComparison.OrdinalIgnoreCase);
        var serviceMode = ApiJson.Text(felix, "spec.bpfExternalServiceMode") is { Length: > 0 } mode ? mode : "Tunnel";
        var endpoints = cluster.KubernetesEndpoints.Json is { } json
            ? string.Join(", ", ApiEndpoints.FromEndpoints(json, cluster.KubernetesEndpoints.Path).Select(e => e.HostPort))
            : "";
        var served = cluster.ServedGroupVersions;
        var group = served.Contains(CalicoConfigRules.V3) ? CalicoConfigRules.V3
            : served.Contains(CalicoConfigRules.CrdV1) ? CalicoConfigRules.CrdV1
            : "none";
        var nodes = cluster.Nodes.Items.Select(n =>
        {
            var os = ApiJson.Text(n, "status.nodeInfo.operatingSystem") ?? ApiJson.Map(n, "metadata.labels").GetValueOrDefault("kubernetes.io/os");
            return new ClusterNode(
                ApiJson.Name(n),
                ApiJson.InternalIp(n),
                ApiJson.Text(n, "status.nodeInfo.kernelVersion"),
                ApiJson.Text(n, "status.nodeInfo.osImage"),
                ApiJson.Text(n, "status.nodeInfo.architecture"),
                os);
        }).ToList();
        return new ClusterSummary(
            cluster.Server,
            cluster.ServerVersion,
            install.InstallType,
            install.Version?.ToString() ?? install.VersionText,
            install.Namespace,
            KubeProxy(cluster),
            bpfEnabled,
            serviceMode,
            endpoints,
            group,
            nodes);
    }

    /// <summary>"iptables", "ipvs", "nftables", "absent", "disabled (nodeSelector non-calico=true)", or "unknown".</summary>
    internal static string KubeProxy(ClusterFacts cluster)
    {
        var ds = cluster.KubeProxyDaemonSet;
        if (!ds.Found)
        {
            return ds.Error is null ? "absent" : "unknown";
        }

        var selector = KubeProxyConfig.NodeSelector(ds.Json);
        if (selector.TryGetValue("non-calico", out var value))
        {
            return $"disabled (nodeSelector non-calico={value})";
        }

        if (ApiJson.Text(ds.Json, "status.desiredNumberScheduled") == "0" && cluster.Nodes.Items.Count > 0)
        {
            return $"disabled (no node matches nodeSelector {string.Join(",", selector.Select(kv => $"{kv.Key}={kv.Value}"))})";
        }

        var mode = KubeProxyConfig.FlagMode(ds.Json) ?? KubeProxyConfig.Mode(KubeProxyConfig.Data(cluster.KubeProxyConfigMap, "config.conf"));
        if (mode is null)
        {
            return cluster.KubeProxyConfigMap.Found || cluster.KubeProxyConfigMap.Error is null ? "iptables" : "unknown";
        }

        return KubeProxyConfig.Effective(mode);
    }

    /// <summary>
    /// The NodePort datapath the cluster's objects describe: BPF on → ebpf-dsr or ebpf-tunnel (bpfExternalServiceMode);
    /// BPF off with kube-proxy in iptables mode → iptables; anything else (ipvs, no kube-proxy) → null.
    /// </summary>
    public static Datapath.DatapathMode? DatapathOf(ClusterSummary cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (cluster.BpfEnabled)
        {
            return string.Equals(cluster.ExternalServiceMode, "DSR", StringComparison.OrdinalIgnoreCase) ? Datapath.DatapathMode.EbpfDsr : Datapath.DatapathMode.EbpfTunnel;
        }

        return cluster.KubeProxy == "iptables" ? Datapath.DatapathMode.Iptables : null;
    }
}
