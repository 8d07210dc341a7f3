using EbpfConsole.Lab.Cluster;
using static EbpfConsole.Lab.LabCommand;

namespace EbpfConsole.Lab;

/// <summary>
/// The commands that build the lab's network (DESIGN.md "The lab"), as a pure list. Run in order on a
/// machine where no <c>eclab-</c> namespace exists (teardown first).
/// </summary>
public static class LabTopologyBuilder
{
    private const string Eth0 = LabTopology.HostInterface;

    /// <summary>
    /// The topology plus what <paramref name="scenario"/> adds to each node's namespace: its extra links
    /// (<see cref="LabNodeFacts.Links"/>, e.g. kube-ipvs0), which go with the namespace.
    /// </summary>
    public static IReadOnlyList<LabCommand> Commands(LabScenario scenario) => Commands(scenario, LabTopology.DefaultNodes);

    /// <summary>As <see cref="Commands(LabScenario)"/> for a lab of <paramref name="nodes"/> nodes (node-3 … node-N join the bridge like node-1 and node-2).</summary>
    public static IReadOnlyList<LabCommand> Commands(LabScenario scenario, int nodes)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return [.. Commands(nodes), .. LabTopology.NodesFor(nodes).SelectMany(n => scenario.FactsFor(n.Name).Links.Select(link => ExtraLink(n, link)))];
    }

    /// <summary>
    /// An extra link on <paramref name="node"/>: a dummy device, as kube-proxy's kube-ipvs0 is; where the kernel has
    /// no dummy driver (these machines), an ifb device, which looks the same to `ip link` (NOARP, down, no carrier).
    /// </summary>
    public static LabCommand ExtraLink(LabHost node, string name)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (string.IsNullOrEmpty(name) || name.Length > 15 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new LabException($"scenario link name '{name}' on {node.Name} is not a valid interface name (1-15 of a-z, 0-9, '-', '_', '.')");
        }

        return new LabCommand("sh",
        [
            "-c", "ip -n \"$1\" link add \"$2\" type dummy 2>/dev/null || ip -n \"$1\" link add \"$2\" type ifb", "extra-link", node.Namespace, name,
        ]);
    }

    public static IReadOnlyList<LabCommand> Commands() => Commands(LabTopology.DefaultNodes);

    /// <summary>The network of a lab with <paramref name="nodes"/> nodes, without scenario extras.</summary>
    public static IReadOnlyList<LabCommand> Commands(int nodes)
    {
        var hosts = LabTopology.NodesFor(nodes);
        var commands = new List<LabCommand>();
        foreach (var ns in LabTopology.NamespacesFor(nodes))
        {
            commands.Add(Ip("netns", "add", ns));

            // IPv6 off inside the lab: no router solicitations or other noise in the captures.
            commands.Add(Sysctl(ns, "net/ipv6/conf/all/disable_ipv6=1", "net/ipv6/conf/default/disable_ipv6=1"));
            commands.Add(IpIn(ns, "link", "set", "lo", "up"));
        }

        commands.AddRange(Network(hosts));
        commands.AddRange(Nodes(hosts));
        commands.AddRange(Pod());
        return commands;
    }

    /// <summary>The shared L2 segment: a bridge, a veth per host, and one veth to the root namespace.</summary>
    private static IEnumerable<LabCommand> Network(IReadOnlyList<LabHost> nodes)
    {
        const string net = LabTopology.NetworkNamespace;
        const string bridge = LabTopology.Bridge;

        // Keep the bridge pure L2: no iptables for bridged frames (br_netfilter is built into this kernel).
        yield return Sysctl(net, "net/bridge/bridge-nf-call-iptables=0").Tolerant();
        yield return IpIn(net, "link", "add", bridge, "type", "bridge");
        yield return IpIn(net, "link", "set", bridge, "up");
        foreach (var host in LabTopology.Clients.Concat(nodes))
        {
            var port = LabTopology.BridgePort(host);
            yield return IpIn(net, "link", "add", port, "type", "veth", "peer", "name", Eth0, "netns", host.Namespace);
            yield return IpIn(net, "link", "set", port, "master", bridge, "up");
            yield return IpIn(host.Namespace, "addr", "add", $"{host.Ip}/{LabTopology.PrefixLength}", "dev", Eth0);
            yield return IpIn(host.Namespace, "link", "set", Eth0, "up");
        }

        // The console's way in: the only link and the only address the lab adds to the root namespace.
        const string hostPort = "v-host";
        yield return Ip("link", "add", LabTopology.HostLink, "type", "veth", "peer", "name", hostPort, "netns", net);
        yield return IpIn(net, "link", "set", hostPort, "master", bridge, "up");
        yield return new LabCommand("sysctl", ["-qw", $"net/ipv6/conf/{LabTopology.HostLink}/disable_ipv6=1"]).Tolerant();
        yield return Ip("addr", "add", $"{LabTopology.HostIp}/{LabTopology.PrefixLength}", "dev", LabTopology.HostLink);
        yield return Ip("link", "set", LabTopology.HostLink, "up");
    }

    private static IEnumerable<LabCommand> Nodes(IReadOnlyList<LabHost> nodes)
    {
        foreach (var node in nodes)
        {
            yield return Sysctl(node.Namespace, "net/ipv4/ip_forward=1", "net/ipv4/conf/all/rp_filter=0", "net/ipv4/conf/default/rp_filter=0");
        }

        // Calico's route to the other node's pod block.
        yield return IpIn(LabTopology.IngressNode.Namespace, "route", "add", LabTopology.PodNetwork, "via", LabTopology.BackendNode.Ip);
    }

    /// <summary>The pod, wired as Calico's CNI does: /32 on eth0, default via 169.254.1.1 onlink, proxy ARP on cali*.</summary>
    private static IEnumerable<LabCommand> Pod()
    {
        var pod = LabTopology.Pod;
        var node = LabTopology.BackendNode.Namespace;
        const string cali = LabTopology.PodHostVeth;
        yield return IpIn(node, "link", "add", cali, "type", "veth", "peer", "name", Eth0, "netns", pod.Namespace);
        yield return IpIn(pod.Namespace, "addr", "add", pod.Ip + "/32", "dev", Eth0);
        yield return IpIn(pod.Namespace, "link", "set", Eth0, "up");
        yield return IpIn(pod.Namespace, "route", "add", "default", "via", LabTopology.PodGateway, "dev", Eth0, "onlink");
        yield return IpIn(node, "link", "set", cali, "up");
        yield return Sysctl(node, $"net/ipv4/conf/{cali}/proxy_arp=1");
        yield return IpIn(node, "route", "add", pod.Ip, "dev", cali, "scope", "link");

        // Proxy ARP answers only for an address the node can route elsewhere. Real nodes have a default
        // route; lab nodes have none on purpose (nothing outside the lab is reachable), so the gateway
        // address gets a route of its own.
        yield return IpIn(node, "route", "add", LabTopology.PodGateway + "/32", "dev", "lo");
    }
}
