using System.Text;
using EbpfConsole.Core.Datapath;

namespace EbpfConsole.Lab;

/// <summary>
/// iptables-restore documents per mode and node. Each names the nat, mangle and raw tables, so applying
/// one replaces whatever the previous mode left there (the node namespaces hold nothing else).
/// </summary>
public static class IptablesRules
{
    /// <summary>kube-proxy's masquerade mark.</summary>
    public const string MasqueradeMark = "0x4000";

    /// <summary>kube-proxy names chains after a hash of the service/endpoint; these are the lab's.</summary>
    public const string ServiceChain = "KUBE-SVC-NGINX30604LAB";
    public const string EndpointChain = "KUBE-SEP-NGINX10244205";

    private const string Vx = LabTopology.VxlanDevice;

    public static string Empty { get; } = Document([], [], []);

    public static string For(DatapathMode mode, LabHost node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return mode switch
        {
            DatapathMode.Iptables => Document(KubeProxyNat(), [], []),
            _ when node == LabTopology.IngressNode => Document([], [], IngressRaw(node)),
            DatapathMode.EbpfTunnel => Document(BackendNat(node), TunnelReturnMangle(), []),
            _ => Document(BackendNat(node), [], []),
        };
    }

    /// <summary>kube-proxy (iptables mode, externalTrafficPolicy Cluster): NodePort → DNAT to the pod, MASQUERADE.</summary>
    private static string[] KubeProxyNat()
    {
        var port = LabTopology.NodePort;
        var pod = $"{LabTopology.Pod.Ip}:{LabTopology.PodPort}";
        return
        [
            ":KUBE-SERVICES - [0:0]",
            ":KUBE-NODEPORTS - [0:0]",
            $":{ServiceChain} - [0:0]",
            $":{EndpointChain} - [0:0]",
            ":KUBE-MARK-MASQ - [0:0]",
            ":KUBE-POSTROUTING - [0:0]",
            "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
            "-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
            "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING",
            "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS",
            $"-A KUBE-NODEPORTS -p tcp -m comment --comment \"default/nginx\" -m tcp --dport {port} -j KUBE-MARK-MASQ",
            $"-A KUBE-NODEPORTS -p tcp -m comment --comment \"default/nginx\" -m tcp --dport {port} -j {ServiceChain}",
            $"-A {ServiceChain} -m comment --comment \"default/nginx -> {pod}\" -j {EndpointChain}",
            $"-A {EndpointChain} -p tcp -m comment --comment \"default/nginx\" -m tcp -j DNAT --to-destination {pod}",
            $"-A KUBE-MARK-MASQ -j MARK --set-xmark {MasqueradeMark}/{MasqueradeMark}",
            $"-A KUBE-POSTROUTING -m mark ! --mark {MasqueradeMark}/{MasqueradeMark} -j RETURN",
            $"-A KUBE-POSTROUTING -j MARK --set-xmark 0x0/{MasqueradeMark}",
            "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully",
        ];
    }

    /// <summary>Ingress node, eBPF modes: no conntrack for the steered requests nor for the replies coming back from the tunnel.</summary>
    private static string[] IngressRaw(LabHost node) =>
    [
        $"-A PREROUTING -i {LabTopology.HostInterface} -d {node.Ip}/32 -p tcp -m tcp --dport {LabTopology.NodePort} -j NOTRACK",
        $"-A PREROUTING -i {Vx} -s {node.Ip}/32 -p tcp -m tcp --sport {LabTopology.NodePort} -j NOTRACK",
    ];

    /// <summary>Backend node, eBPF modes: tunnelled NodePort packets (for node-1's IP) and local ones DNAT to the pod, no SNAT.</summary>
    private static string[] BackendNat(LabHost node)
    {
        var pod = $"{LabTopology.Pod.Ip}:{LabTopology.PodPort}";
        var ingress = LabTopology.IngressNode.Ip;
        return
        [
            $"-A PREROUTING -i {Vx} -d {ingress}/32 -p tcp -m tcp --dport {LabTopology.NodePort} -j DNAT --to-destination {pod}",
            $"-A PREROUTING -i {LabTopology.HostInterface} -d {node.Ip}/32 -p tcp -m tcp --dport {LabTopology.NodePort} -j DNAT --to-destination {pod}",
        ];
    }

    /// <summary>
    /// Backend node, Tunnel mode: mark connections that came through the tunnel, copy the mark onto the
    /// pod's replies (policy rule → table 200 → tunnel), and clear it before VXLAN encapsulation so the
    /// outer packet is routed normally instead of back into the tunnel.
    /// </summary>
    private static string[] TunnelReturnMangle() =>
    [
        $"-A PREROUTING -i {Vx} -d {LabTopology.IngressNode.Ip}/32 -p tcp -m tcp --dport {LabTopology.NodePort} -j CONNMARK --set-xmark {DatapathPlan.ReturnMark}/{DatapathPlan.ReturnMark}",
        $"-A PREROUTING -i cali+ -j CONNMARK --restore-mark --nfmask {DatapathPlan.ReturnMark} --ctmask {DatapathPlan.ReturnMark}",
        $"-A POSTROUTING -o {Vx} -j MARK --set-xmark 0x0/{DatapathPlan.ReturnMark}",
    ];

    private static string Document(string[] nat, string[] mangle, string[] raw)
    {
        var sb = new StringBuilder();
        Table(sb, "nat", ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"], nat);
        Table(sb, "mangle", ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"], mangle);
        Table(sb, "raw", ["PREROUTING", "OUTPUT"], raw);
        return sb.ToString();
    }

    private static void Table(StringBuilder sb, string name, string[] builtins, string[] lines)
    {
        sb.Append('*').Append(name).Append('\n');
        foreach (var chain in builtins)
        {
            sb.Append(':').Append(chain).Append(" ACCEPT [0:0]\n");
        }

        foreach (var line in lines)
        {
            sb.Append(line).Append('\n');
        }

        sb.Append("COMMIT\n");
    }
}
