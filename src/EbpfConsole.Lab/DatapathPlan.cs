using System.Globalization;
using EbpfConsole.Core.Datapath;
using static EbpfConsole.Lab.LabCommand;

namespace EbpfConsole.Lab;

/// <summary>
/// The routing side of each datapath mode, as pure command lists per node (iptables rules are in
/// <see cref="IptablesRules"/>). eBPF modes are emulated with a VXLAN device (VNI 0xca11c0, UDP 4789):
/// node-1 steers NodePort packets for its own IP into the tunnel unchanged (policy rule before the
/// <c>local</c> rule), node-2 DNATs them to the pod. Tunnel: node-2 policy-routes the replies back
/// into the tunnel; DSR: they leave node-2's eth0 directly, source node-1:NodePort.
/// </summary>
public static class DatapathPlan
{
    /// <summary>What the mode file records when no mode is applied: NodePorts not served (<see cref="Reset"/> only).</summary>
    public const string None = "none";

    /// <summary>Policy rule preference of the steering rule on the ingress node (before the moved local rule).</summary>
    public const int SteeringRulePref = 10;

    /// <summary>Policy rule preference of the "marked replies go back into the tunnel" rule on the backend node.</summary>
    public const int ReturnRulePref = 20;

    /// <summary>Where the <c>local</c> rule moves from pref 0 on the ingress node in the eBPF modes.</summary>
    public const int MovedLocalRulePref = 100;

    public const int SteeringTable = 100;
    public const int ReturnTable = 200;

    /// <summary>Connection mark for NodePort connections that arrived through the tunnel (Tunnel mode).</summary>
    public const string ReturnMark = "0x100000";

    private const string Vx = LabTopology.VxlanDevice;
    private const string Eth0 = LabTopology.HostInterface;

    /// <summary>The fixed MAC of a node's VXLAN device (locally administered).</summary>
    public static string VxlanMac(LabHost node) => node == LabTopology.Node1 ? "66:ee:ca:11:c0:01" : "66:ee:ca:11:c0:02";

    /// <summary>The link-local next hop that names a node at the far end of the tunnel.</summary>
    public static string TunnelAddress(LabHost node) => node == LabTopology.Node1 ? "169.254.0.1" : "169.254.0.2";

    public static LabHost Peer(LabHost node) => node == LabTopology.Node1 ? LabTopology.Node2 : LabTopology.Node1;

    /// <summary>Undo whatever any mode set on <paramref name="node"/>; every step tolerates "already absent".</summary>
    public static IReadOnlyList<LabCommand> Reset(LabHost node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var ns = node.Namespace;
        return
        [
            IptablesRestore(ns, IptablesRules.Empty),
            IpIn(ns, "link", "del", Vx).Tolerant(),
            IpIn(ns, "rule", "del", "pref", Pref(SteeringRulePref)).Tolerant(),
            IpIn(ns, "rule", "del", "pref", Pref(ReturnRulePref)).Tolerant(),

            // The kernel's own local rule is "protocol kernel": adding it back that way fails (EEXIST)
            // when it is still there instead of creating a duplicate.
            IpIn(ns, "rule", "add", "pref", "0", "lookup", "local", "protocol", "kernel").Tolerant(),
            IpIn(ns, "rule", "del", "pref", Pref(MovedLocalRulePref), "lookup", "local").Tolerant(),
            IpIn(ns, "route", "flush", "table", Pref(SteeringTable)).Tolerant(),
            IpIn(ns, "route", "flush", "table", Pref(ReturnTable)).Tolerant(),
        ];
    }

    /// <summary>What <paramref name="mode"/> sets on <paramref name="node"/>, after <see cref="Reset"/>.</summary>
    public static IReadOnlyList<LabCommand> Apply(DatapathMode mode, LabHost node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var commands = new List<LabCommand>();
        if (mode != DatapathMode.Iptables)
        {
            commands.AddRange(Tunnel(node));
            commands.AddRange(node == LabTopology.IngressNode ? Steering(node) : []);
            commands.AddRange(mode == DatapathMode.EbpfTunnel && node == LabTopology.BackendNode ? ReturnPath(node) : []);
        }

        commands.Add(IptablesRestore(node.Namespace, IptablesRules.For(mode, node)));
        return commands;
    }

    /// <summary>Forget connections of the previous mode (NAT decisions live in conntrack).</summary>
    public static LabCommand FlushConntrack(LabHost node) => Exec((node ?? throw new ArgumentNullException(nameof(node))).Namespace, "conntrack", "-F");

    /// <summary>A VXLAN device towards the peer node: static fdb, no learning, fixed MAC, reverse-path checks off.</summary>
    private static IEnumerable<LabCommand> Tunnel(LabHost node)
    {
        var ns = node.Namespace;
        var peer = Peer(node);
        yield return IpIn(ns, "link", "add", Vx, "address", VxlanMac(node), "type", "vxlan",
            "id", LabTopology.VxlanVni.ToString(CultureInfo.InvariantCulture), "dstport", LabTopology.VxlanPort.ToString(CultureInfo.InvariantCulture),
            "local", node.Ip, "dev", Eth0, "nolearning");
        yield return new LabCommand("bridge", ["-n", ns, "fdb", "append", VxlanMac(peer), "dev", Vx, "dst", peer.Ip, "self", "permanent"]);

        // Decapsulated packets carry the client's source (and, for replies, node-1's own IP): no
        // reverse-path filter on the tunnel, and node-1 accepts its own address as a source there.
        yield return Sysctl(ns, $"net/ipv4/conf/{Vx}/rp_filter=0", $"net/ipv4/conf/{Vx}/accept_local=1");
        yield return IpIn(ns, "link", "set", Vx, "up");
    }

    /// <summary>Ingress node: NodePort packets for its own IP skip local delivery and go into the tunnel as they are.</summary>
    private static IEnumerable<LabCommand> Steering(LabHost node)
    {
        var ns = node.Namespace;
        var peer = Peer(node);
        yield return IpIn(ns, "neigh", "replace", TunnelAddress(peer), "lladdr", VxlanMac(peer), "dev", Vx, "nud", "permanent");
        yield return IpIn(ns, "route", "replace", "default", "via", TunnelAddress(peer), "dev", Vx, "onlink", "table", Pref(SteeringTable));
        yield return IpIn(ns, "rule", "add", "pref", Pref(MovedLocalRulePref), "lookup", "local");
        yield return IpIn(ns, "rule", "del", "pref", "0", "lookup", "local");
        yield return IpIn(ns, "rule", "add", "pref", Pref(SteeringRulePref), "iif", Eth0, "ipproto", "tcp",
            "dport", LabTopology.NodePort.ToString(CultureInfo.InvariantCulture), "lookup", Pref(SteeringTable));
    }

    /// <summary>Backend node in Tunnel mode: replies of tunnelled connections (connmark) go back into the tunnel.</summary>
    private static IEnumerable<LabCommand> ReturnPath(LabHost node)
    {
        var ns = node.Namespace;
        var peer = Peer(node);
        yield return IpIn(ns, "neigh", "replace", TunnelAddress(peer), "lladdr", VxlanMac(peer), "dev", Vx, "nud", "permanent");
        yield return IpIn(ns, "route", "replace", "default", "via", TunnelAddress(peer), "dev", Vx, "onlink", "table", Pref(ReturnTable));
        yield return IpIn(ns, "rule", "add", "pref", Pref(ReturnRulePref), "fwmark", $"{ReturnMark}/{ReturnMark}", "lookup", Pref(ReturnTable));
    }

    private static string Pref(int value) => value.ToString(CultureInfo.InvariantCulture);
}
