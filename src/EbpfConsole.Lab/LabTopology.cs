namespace EbpfConsole.Lab;

/// <summary>One host of the lab: a network namespace with an address on the lab network.</summary>
public sealed record LabHost(string Name, string Namespace, string Ip);

/// <summary>
/// The shape of the lab (DESIGN.md "The lab"). Every namespace, link and process of the lab
/// carries the <see cref="Prefix"/> so teardown finds all of it and nothing else. The lab has
/// <see cref="MinNodes"/>–<see cref="MaxNodes"/> nodes (`lab up --nodes N`): node-K in namespace eclab-node-K at
/// 10.99.0.(10+K). <see cref="Nodes"/> are the two that carry the datapath (NodePort, the nginx pod, VXLAN);
/// <see cref="NodesFor"/> lists every node of a lab of N.
/// </summary>
public static class LabTopology
{
    public const string Prefix = "eclab-";

    /// <summary>The L2 segment the nodes and clients share (a bridge inside its own namespace).</summary>
    public const string NetworkNamespace = Prefix + "net";

    /// <summary>The one link in the root namespace: the console reaches lab nodes through it only.</summary>
    public const string HostLink = Prefix + "host";

    public const string Subnet = "10.99.0.0/24";
    public const int PrefixLength = 24;
    public const string HostIp = "10.99.0.1";

    /// <summary>The fewest nodes a lab has: the datapath needs node-1 (ingress) and node-2 (backend).</summary>
    public const int MinNodes = 2;

    /// <summary>The most nodes: 10.99.0.11–.60, clear of the host (.1) and the clients (.100, .101).</summary>
    public const int MaxNodes = 50;

    public const int DefaultNodes = MinNodes;

    /// <summary>Node addresses are 10.99.0.(NodeAddressBase + K).</summary>
    public const int NodeAddressBase = 10;

    public static LabHost Node1 { get; } = Node(1);
    public static LabHost Node2 { get; } = Node(2);
    public static LabHost Client { get; } = new("client", Prefix + "client", "10.99.0.100");
    public static LabHost Client2 { get; } = new("client2", Prefix + "client2", "10.99.0.101");

    /// <summary>The nginx pod, on node-2, wired like Calico (cali* veth, /32, gateway 169.254.1.1).</summary>
    public static LabHost Pod { get; } = new("nginx", Prefix + "pod-nginx", "10.244.2.5");

    public const string PodGateway = "169.254.1.1";

    /// <summary>The pod network of node-2 (node-1 routes it via node-2's IP, as Calico's pod network route does).</summary>
    public const string PodNetwork = "10.244.2.0/24";

    /// <summary>Node-2's end of the pod veth: "cali" + the first 11 hex digits of SHA-1("default.nginx"), Calico's naming.</summary>
    public const string PodHostVeth = "calic440f455693";

    /// <summary>The bridge inside <see cref="NetworkNamespace"/> that joins every host's eth0 and <see cref="HostLink"/>.</summary>
    public const string Bridge = "br0";

    /// <summary>Each host's interface on the lab network (and the pod's interface) is called eth0.</summary>
    public const string HostInterface = "eth0";

    /// <summary>The VXLAN device the eBPF emulation forwards NodePort traffic through.</summary>
    public const string VxlanDevice = "vxlan.calico";
    public const int PodPort = 80;
    public const int NodePort = 30604;

    /// <summary>VXLAN the eBPF dataplane uses between nodes for NodePort traffic (DOMAIN.md).</summary>
    public const int VxlanVni = 0xca11c0;
    public const int VxlanPort = 4789;

    /// <summary>The emulated API server's port, on loopback and on <see cref="HostIp"/> (the lab's link, so nodes reach it).</summary>
    public const int ApiServerPort = 6443;

    /// <summary>The addresses the API server listens on; the `kubernetes` Endpoints name the second.</summary>
    public static IReadOnlyList<string> ApiServerAddresses { get; } = ["127.0.0.1", HostIp];

    /// <summary>The datapath nodes (node-1 ingress, node-2 backend): every lab has them, whatever its node count.</summary>
    public static IReadOnlyList<LabHost> Nodes { get; } = [Node1, Node2];
    public static IReadOnlyList<LabHost> Clients { get; } = [Client, Client2];

    /// <summary>The ingress node of the demo: clients send NodePort traffic here, the pod runs on node-2.</summary>
    public static LabHost IngressNode => Node1;

    public static LabHost BackendNode => Node2;

    /// <summary>Every namespace a two-node lab creates, the shared network first.</summary>
    public static IReadOnlyList<string> Namespaces { get; } = NamespacesFor(DefaultNodes);

    /// <summary>node-<paramref name="index"/> (1 ≤ index ≤ <see cref="MaxNodes"/>): namespace eclab-node-K, address 10.99.0.(10+K).</summary>
    public static LabHost Node(int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, MaxNodes);
        var name = "node-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new(name, Prefix + name, "10.99.0." + (NodeAddressBase + index).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Every node of a lab with <paramref name="count"/> nodes, node-1 first.</summary>
    public static IReadOnlyList<LabHost> NodesFor(int count)
    {
        if (NodeCountError(count) is { } error)
        {
            throw new LabException(error);
        }

        return [.. Enumerable.Range(1, count).Select(Node)];
    }

    /// <summary>Every namespace a lab with <paramref name="count"/> nodes creates, the shared network first.</summary>
    public static IReadOnlyList<string> NamespacesFor(int count) =>
        [NetworkNamespace, Client.Namespace, Client2.Namespace, .. NodesFor(count).Select(n => n.Namespace), Pod.Namespace];

    /// <summary>The one-line complaint about a node count outside <see cref="MinNodes"/>–<see cref="MaxNodes"/>, or null when it is fine.</summary>
    public static string? NodeCountError(int count) =>
        count is >= MinNodes and <= MaxNodes ? null : $"--nodes must be between {MinNodes} and {MaxNodes}, not {count}";

    /// <summary>The 1-based index of a lab node name (node-K, K ≤ <see cref="MaxNodes"/>), or null.</summary>
    public static int? NodeIndex(string? name) =>
        name is not null && name.StartsWith("node-", StringComparison.Ordinal)
        && int.TryParse(name.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k)
        && k is >= 1 and <= MaxNodes && name == "node-" + k.ToString(System.Globalization.CultureInfo.InvariantCulture)
            ? k
            : null;

    /// <summary>The lab node called <paramref name="name"/> (node-1 … node-50, whether or not the running lab has it), or null.</summary>
    public static LabHost? FindNode(string? name) => NodeIndex(name) is { } k ? Node(k) : null;

    /// <summary>The bridge-side name of a host's veth inside <see cref="NetworkNamespace"/>.</summary>
    public static string BridgePort(LabHost host) => "v-" + (host ?? throw new ArgumentNullException(nameof(host))).Name;

    /// <summary>A host by name (node-1, node-2, client, client2), or null.</summary>
    public static LabHost? Find(string name) =>
        Nodes.Concat(Clients).FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
}
