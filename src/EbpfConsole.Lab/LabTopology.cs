namespace EbpfConsole.Lab;

/// <summary>One host of the lab: a network namespace with an address on the lab network.</summary>
public sealed record LabHost(string Name, string Namespace, string Ip);

/// <summary>
/// The fixed shape of the lab (DESIGN.md "The lab"). Every namespace, link and process of the lab
/// carries the <see cref="Prefix"/> so teardown finds all of it and nothing else.
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

    public static LabHost Node1 { get; } = new("node-1", Prefix + "node-1", "10.99.0.11");
    public static LabHost Node2 { get; } = new("node-2", Prefix + "node-2", "10.99.0.12");
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

    public static IReadOnlyList<LabHost> Nodes { get; } = [Node1, Node2];
    public static IReadOnlyList<LabHost> Clients { get; } = [Client, Client2];

    /// <summary>The ingress node of the demo: clients send NodePort traffic here, the pod runs on node-2.</summary>
    public static LabHost IngressNode => Node1;

    public static LabHost BackendNode => Node2;

    /// <summary>Every namespace the lab creates, the shared network first.</summary>
    public static IReadOnlyList<string> Namespaces { get; } =
        [NetworkNamespace, Client.Namespace, Client2.Namespace, Node1.Namespace, Node2.Namespace, Pod.Namespace];

    /// <summary>The bridge-side name of a host's veth inside <see cref="NetworkNamespace"/>.</summary>
    public static string BridgePort(LabHost host) => "v-" + (host ?? throw new ArgumentNullException(nameof(host))).Name;

    /// <summary>A host by name (node-1, node-2, client, client2), or null.</summary>
    public static LabHost? Find(string name) =>
        Nodes.Concat(Clients).FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
}
