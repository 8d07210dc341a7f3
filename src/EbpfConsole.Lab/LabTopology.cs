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
    public const int PodPort = 80;
    public const int NodePort = 30604;

    /// <summary>VXLAN the eBPF dataplane uses between nodes for NodePort traffic (DOMAIN.md).</summary>
    public const int VxlanVni = 0xca11c0;
    public const int VxlanPort = 4789;

    public static IReadOnlyList<LabHost> Nodes { get; } = [Node1, Node2];
    public static IReadOnlyList<LabHost> Clients { get; } = [Client, Client2];

    /// <summary>The ingress node of the demo: clients send NodePort traffic here, the pod runs on node-2.</summary>
    public static LabHost IngressNode => Node1;

    public static LabHost BackendNode => Node2;
}
