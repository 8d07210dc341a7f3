namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>Node checks about Kubernetes plumbing: P9 API server endpoint, P10 kube-proxy mode, P13 node IP autodetection.</summary>
internal static class NodeKubeRules
{
    /// <summary>
    /// P9: the endpoint(s) Calico will use (ConfigMap kubernetes-services-endpoint, else endpoints/kubernetes) must accept
    /// a TCP connection from this node (fail); several endpoints without a ConfigMap/LB, or 127.0.0.1 on an operator
    /// install (#9141), warn.
    /// </summary>
    public static CheckResult P9(NodeView node)
    {
        var endpoints = ApiEndpoints.From(node.Cluster);
        var apiEvidence = Outcome.Lines(endpoints.Evidence);
        if (node.Failure is { } failure)
        {
            return Outcome.Unknown("P9", node.Name, failure, Outcome.Lines([apiEvidence, $"TCP connect from {node.Name}: not run (node not read over SSH)"]));
        }

        if (endpoints.Unreadable is { } unreadable)
        {
            return Outcome.Unknown("P9", node.Name, unreadable, apiEvidence);
        }

        if (endpoints.FromConfigMap && endpoints.Targets[0].Problem is { } problem)
        {
            return Outcome.Fail("P9", node.Name, $"ConfigMap {ApiEndpoints.HostKey}/{ApiEndpoints.PortKey}: {problem}; not tested", apiEvidence,
                "Fix ConfigMap kubernetes-services-endpoint: KUBERNETES_SERVICE_HOST must be an IP address or DNS name, KUBERNETES_SERVICE_PORT a port.");
        }

        var tested = NodeProbeScript.TestedEndpoints(node.Cluster);
        if (tested.Count == 0)
        {
            return Outcome.Unknown("P9", node.Name, "no valid API endpoint to test", apiEvidence);
        }

        var evidence = new List<string> { apiEvidence };
        var reached = new List<ApiEndpoint>();
        var failed = new List<string>();
        for (var i = 0; i < tested.Count; i++)
        {
            var key = ProbeSections.ApiPrefix + i;
            if (node.Section(key, out var why) is not { } probe)
            {
                return Outcome.Unknown("P9", node.Name, why, Outcome.Lines([.. evidence, node.Tried(key)]));
            }

            evidence.Add(NodeView.Show(probe));
            if (probe.ExitCode == 0)
            {
                reached.Add(tested[i]);
            }
            else
            {
                failed.Add($"{tested[i].HostPort} ({(probe.ExitCode == 124 ? "timed out after 3 s" : NodeView.FirstLine(probe.Output) ?? $"exit {probe.ExitCode}")})");
            }
        }

        var text = Outcome.Lines(evidence);
        if (reached.Count == 0)
        {
            return Outcome.Fail("P9", node.Name, $"cannot connect from {node.Name} to the API server at {string.Join(", ", failed)}", text);
        }

        if (failed.Count > 0)
        {
            return Outcome.Warn("P9", node.Name, $"{node.Name} reaches {string.Join(", ", reached.Select(r => r.HostPort))} but not {string.Join(", ", failed)}", text);
        }

        var install = CalicoInstall.From(node.Cluster);
        if (endpoints.FromConfigMap)
        {
            var target = endpoints.Targets[0];
            return target.IsLoopback && install.IsOperator
                ? Outcome.Warn("P9", node.Name, $"ConfigMap points at {target.HostPort} on an operator install: calico-system pods cannot use a node-local address (#9141)", text)
                : Outcome.Pass("P9", node.Name, $"{node.Name} reaches the ConfigMap's endpoint {target.HostPort}", text);
        }

        var all = endpoints.Targets.Count;
        return all > 1
            ? Outcome.Warn("P9", node.Name, $"endpoints/kubernetes has {all} addresses and no ConfigMap names an LB/VIP: one of them going down cuts Calico off", text)
            : Outcome.Pass("P9", node.Name, $"{node.Name} reaches the API server at {reached[0].HostPort}", text);
    }

    /// <summary>P10: kube-proxy in ipvs mode (ConfigMap mode:, or --proxy-mode) or a kube-ipvs0 link on the node → fail; nftables → warn.</summary>
    public static CheckResult P10(NodeView node)
    {
        var cluster = node.Cluster;
        var ds = cluster.KubeProxyDaemonSet;
        var configMap = cluster.KubeProxyConfigMap;
        var mode = KubeProxyConfig.FlagMode(ds.Json) ?? KubeProxyConfig.Mode(KubeProxyConfig.Data(configMap, "config.conf"));
        var apiEvidence = Outcome.Lines([
            ds.Found ? $"{ds.Path}: found" : ApiJson.Absence(ds),
            KubeProxyConfig.FlagMode(ds.Json) is { } flag ? $"{ds.Path}: --proxy-mode={flag}"
                : configMap.Found ? $"{configMap.Path}: config.conf mode: {KubeProxyConfig.Mode(KubeProxyConfig.Data(configMap, "config.conf")) ?? "(no mode line)"}"
                : ApiJson.Absence(configMap)]);
        if (node.Section(ProbeSections.KubeIpvs, out var why) is not { } link)
        {
            return Outcome.Unknown("P10", node.Name, why, Outcome.Lines([apiEvidence, node.Tried(ProbeSections.KubeIpvs)]));
        }

        var evidence = Outcome.Lines([apiEvidence, NodeView.Show(link)]);
        var ipvsLink = link.ExitCode == 0 && link.Output.Contains("kube-ipvs0", StringComparison.Ordinal);
        if (!ipvsLink && link.ExitCode != 0 && !link.Output.Contains("does not exist", StringComparison.Ordinal))
        {
            return Outcome.Unknown("P10", node.Name, $"`{link.Command}` failed (exit {link.ExitCode}): {NodeView.FirstLine(link.Output) ?? "no output"}", evidence);
        }

        if (ipvsLink)
        {
            return Outcome.Fail("P10", node.Name, mode is not null && KubeProxyConfig.Effective(mode) == "ipvs"
                ? "kube-proxy runs in ipvs mode and kube-ipvs0 exists on this node"
                : "kube-ipvs0 exists on this node (IPVS state left behind)", evidence);
        }

        if (!ds.Found)
        {
            return ds.Error is { } dsError
                ? Outcome.Unreadable("P10", node.Name, ds.Path, dsError)
                : Outcome.Pass("P10", node.Name, "kube-proxy DaemonSet absent and no kube-ipvs0 on this node", evidence);
        }

        if (ClusterSummaries.KubeProxy(cluster) is var state && state.StartsWith("disabled", StringComparison.Ordinal))
        {
            return Outcome.Pass("P10", node.Name, $"kube-proxy is {state} and no kube-ipvs0 on this node", evidence);
        }

        if (mode is null)
        {
            return configMap.Error is { } cmError
                ? Outcome.Unreadable("P10", node.Name, configMap.Path, cmError)
                : Outcome.Pass("P10", node.Name, "kube-proxy has no explicit mode (iptables) and no kube-ipvs0 on this node", evidence);
        }

        return KubeProxyConfig.Effective(mode) switch
        {
            "ipvs" => Outcome.Fail("P10", node.Name, "kube-proxy is configured for ipvs mode", evidence),
            "nftables" => Outcome.Warn("P10", node.Name, "kube-proxy runs in nftables mode: Calico's kube-proxy cleanup is made for iptables", evidence,
                "Prefer switching kube-proxy to iptables mode before disabling it; check Calico's notes for nftables on your version."),
            var m => Outcome.Pass("P10", node.Name, $"kube-proxy mode {m}, no kube-ipvs0 on this node", evidence),
        };
    }

    /// <summary>P13: the Node's projectcalico.org/IPv4Address annotation (API only; never depends on SSH).</summary>
    public static CheckResult P13(NodeView node)
    {
        var nodes = node.Cluster.Nodes;
        if (nodes.Error is { } error)
        {
            return Outcome.Unreadable("P13", node.Name, nodes.Path, error);
        }

        if (ApiJson.FindNode(node.Cluster, node.Name) is not { } json)
        {
            return Outcome.Unknown("P13", node.Name, $"node {node.Name} is not in the API's node list", $"{nodes.Path}: no node {node.Name}");
        }

        const string Key = "projectcalico.org/IPv4Address";
        var value = ApiJson.Map(json, "metadata.annotations").GetValueOrDefault(Key);
        var evidence = $"nodes {node.Name}: annotation {Key} = {value ?? "(unset)"}";
        return string.IsNullOrEmpty(value)
            ? Outcome.Fail("P13", node.Name, $"Calico has not autodetected an IPv4 address for {node.Name}", evidence)
            : Outcome.Pass("P13", node.Name, $"Calico uses {value}", evidence);
    }
}
