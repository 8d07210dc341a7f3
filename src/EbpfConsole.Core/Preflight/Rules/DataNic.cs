namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>The NIC holding the node's InternalIP (P12, P15, P16), found in `ip -o -4 addr show`.</summary>
internal sealed record DataNic(string InternalIp, AddressInfo Address, IReadOnlyList<AddressInfo> All, ProbeOutput Source)
{
    public string Name => Address.Interface;

    /// <summary>When the InternalIP is on no NIC (NAT, a mapped address), say what to check by hand.</summary>
    public static string? UnknownRemediation(string reason) => reason.Contains("is on no interface", StringComparison.Ordinal)
        ? "Find the NIC that carries node-to-node traffic (`ip -o -4 addr show`) and check it against bpfDataIfacePattern by hand; Calico's node IP (projectcalico.org/IPv4Address) should be on it."
        : null;

    /// <summary>The data NIC, or null with the reason and the evidence of what was tried.</summary>
    public static DataNic? Find(NodeView node, out string reason, out string evidence)
    {
        evidence = "";
        if (node.Section(ProbeSections.Addresses, out reason) is not { } addrs)
        {
            evidence = node.Tried(ProbeSections.Addresses);
            return null;
        }

        evidence = NodeView.Show(addrs);
        if (node.Cluster.Nodes.Error is { } error)
        {
            reason = $"could not read {node.Cluster.Nodes.Path}: {error}";
            return null;
        }

        var ip = ApiJson.InternalIp(ApiJson.FindNode(node.Cluster, node.Name));
        if (ip is null)
        {
            reason = $"node {node.Name} has no InternalIP in the API";
            return null;
        }

        evidence = $"nodes {node.Name}: InternalIP {ip}\n{evidence}";
        var all = NodeNetwork.Addresses(addrs.Output);
        var holder = all.FirstOrDefault(a => a.Address.ToString() == ip);
        if (holder is null)
        {
            reason = $"InternalIP {ip} is on no interface of {node.Name} (a NATed or mapped address?)";
            return null;
        }

        return new DataNic(ip, holder, all, addrs);
    }
}
