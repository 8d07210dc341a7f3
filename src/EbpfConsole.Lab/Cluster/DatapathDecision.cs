using EbpfConsole.Core.Datapath;

namespace EbpfConsole.Lab.Cluster;

/// <summary>One calico-node pod as the datapath decision sees it.</summary>
internal sealed record CalicoNodeState(string Node, bool Running, bool Ready, bool BpfActive, string ExternalServiceMode);

/// <summary>The datapath the API objects call for (null = NodePorts not served) and one sentence saying why.</summary>
internal sealed record DatapathDecision(DatapathMode? Mode, string Reason)
{
    /// <summary>The name recorded in ConfigMap kube-system/lab-datapath: iptables, ebpf-tunnel, ebpf-dsr or none.</summary>
    public string ModeName => Mode?.ToName() ?? "none";

    /// <summary>
    /// Every calico-node pod Running + Ready with the BPF dataplane in force → ebpf-dsr (all in DSR) or ebpf-tunnel;
    /// while calico-node pods restart (not yet running) under a BPF datapath and no running one says otherwise, the
    /// BPF programs stay attached (<paramref name="current"/> is kept); otherwise kube-proxy present on the ingress
    /// node (its rules are in place as soon as the pod is) → iptables; otherwise none.
    /// </summary>
    public static DatapathDecision Decide(IReadOnlyList<CalicoNodeState> calicoNodes, IReadOnlyCollection<string> kubeProxyNodes, string ingressNode, string? current = null)
    {
        ArgumentNullException.ThrowIfNull(calicoNodes);
        ArgumentNullException.ThrowIfNull(kubeProxyNodes);
        if (calicoNodes.Count > 0 && calicoNodes.All(c => c.Running && c.Ready && c.BpfActive))
        {
            var dsr = calicoNodes.All(c => string.Equals(c.ExternalServiceMode, "DSR", StringComparison.OrdinalIgnoreCase));
            var conflict = kubeProxyNodes.Count > 0 ? $"; kube-proxy still runs on {string.Join(", ", kubeProxyNodes.Order(StringComparer.Ordinal))} and fights Felix over iptables" : string.Empty;
            return new DatapathDecision(dsr ? DatapathMode.EbpfDsr : DatapathMode.EbpfTunnel,
                $"calico-node is Ready with the BPF dataplane on every node (bpfExternalServiceMode {(dsr ? "DSR" : "Tunnel")}){conflict}");
        }

        if (current is "ebpf-tunnel" or "ebpf-dsr" && calicoNodes.Any(c => !c.Running) && calicoNodes.All(c => !c.Running || (c.Ready && c.BpfActive)))
        {
            return new DatapathDecision(current == "ebpf-dsr" ? DatapathMode.EbpfDsr : DatapathMode.EbpfTunnel,
                "calico-node is restarting on " + string.Join(", ", calicoNodes.Where(c => !c.Running).Select(c => c.Node)) + "; the BPF programs stay attached meanwhile");
        }

        var why = calicoNodes.Count == 0
            ? "no calico-node pods"
            : calicoNodes.Any(c => c.BpfActive || !c.Ready)
                ? "calico-node is not Ready in BPF mode on every node (" + string.Join(", ", calicoNodes.Where(c => !(c.Running && c.Ready && c.BpfActive)).Select(Describe)) + ")"
                : "Felix runs the iptables dataplane";
        if (kubeProxyNodes.Contains(ingressNode))
        {
            return new DatapathDecision(DatapathMode.Iptables, $"kube-proxy runs on the ingress node {ingressNode} and {why}");
        }

        return new DatapathDecision(null, $"no kube-proxy on the ingress node {ingressNode} and {why}: NodePorts are not served");
    }

    private static string Describe(CalicoNodeState c) =>
        $"{c.Node}: {(!c.Running ? "not running" : !c.Ready ? "not Ready" : "iptables dataplane")}";
}
