using System.Globalization;
using System.Net;

namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>Node checks about the traffic path: P15 MTU, P16 DSR-capable network, P20 long idle TCP flows.</summary>
internal static class NodePathRules
{
    /// <summary>BPF conntrack's TCPEstablished timeout (#9372).</summary>
    public const long IdleLimitMs = 3_600_000;

    /// <summary>VXLAN's overhead: NodePort forwarding adds it on top of the pod MTU.</summary>
    public const int VxlanOverhead = 50;

    /// <summary>Interfaces that are not a second uplink (Calico's, kube-proxy's, container bridges, loopback).</summary>
    private static readonly string[] NotUplinks = ["cali", "vxlan.calico", "vxlan-v6.calico", "tunl0", "kube-ipvs0", "lo", "docker0", "cni", "wireguard.cali", "nodelocaldns", "flannel", "cilium", "bpf"];

    /// <summary>P15: pod MTU (cali* links, else calico-config veth_mtu, Installation mtu, FelixConfiguration vxlanMTU) ≤ NIC MTU − 50.</summary>
    public static CheckResult P15(NodeView node)
    {
        if (DataNic.Find(node, out var why, out var found) is not { } nic)
        {
            return Outcome.Unknown("P15", node.Name, why, found, DataNic.UnknownRemediation(why));
        }

        if (node.Section(ProbeSections.Links, out why) is not { } linkSection)
        {
            return Outcome.Unknown("P15", node.Name, why, Outcome.Lines([found, node.Tried(ProbeSections.Links)]));
        }

        var links = NodeNetwork.Links(linkSection.Output);
        var nicLink = links.FirstOrDefault(l => l.Name == nic.Name);
        if (nicLink?.Mtu is not { } nicMtu)
        {
            return Outcome.Unknown("P15", node.Name, $"no MTU for {nic.Name} in `ip -o link`", NodeView.Show(linkSection));
        }

        var cali = links.Where(l => l.Name.StartsWith("cali", StringComparison.Ordinal) && l.Mtu is not null).ToList();
        var evidence = new List<string> { $"$ {linkSection.Command}\n{nicLink.Line}" };
        int? podMtu = null;
        string source;
        if (cali.Count > 0)
        {
            podMtu = cali.Max(l => l.Mtu);
            source = $"{cali.Count} cali* interface(s)";
            evidence[0] += "\n" + string.Join('\n', cali.OrderByDescending(l => l.Mtu).Take(3).Select(l => l.Line));
        }
        else
        {
            (podMtu, source) = ConfiguredPodMtu(node.Cluster, evidence);
        }

        var text = Outcome.Lines(evidence);
        if (podMtu is not { } mtu || mtu == 0)
        {
            return Outcome.Pass("P15", node.Name, $"{nic.Name} MTU {nicMtu}; no pod interfaces yet and no pod MTU configured: Calico derives it from the NIC", text);
        }

        return mtu > nicMtu - VxlanOverhead
            ? Outcome.Warn("P15", node.Name, $"pod MTU {mtu} ({source}) > {nic.Name} MTU {nicMtu} − {VxlanOverhead}: VXLAN-forwarded NodePort packets may not fit", text)
            : Outcome.Pass("P15", node.Name, $"pod MTU {mtu} ({source}) leaves room for VXLAN on {nic.Name} (MTU {nicMtu})", text);
    }

    /// <summary>
    /// P16: cloud vendor (AWS source/destination check, GCP IP forwarding, Azure), a second uplink with a global IPv4
    /// address (#10640, #9675), or nodes outside the data NIC's subnet (DSR needs L2) → warn.
    /// </summary>
    public static CheckResult P16(NodeView node)
    {
        if (DataNic.Find(node, out var why, out var found) is not { } nic)
        {
            return Outcome.Unknown("P16", node.Name, why, found, DataNic.UnknownRemediation(why));
        }

        var issues = new List<string>();
        var evidence = new List<string>();
        var vendorSection = node.Section(ProbeSections.Vendor, out _);
        var vendor = vendorSection is { ExitCode: 0 } ? NodeView.FirstLine(vendorSection.Output) : null;
        evidence.Add(vendorSection is null ? node.Tried(ProbeSections.Vendor) : NodeView.Show(vendorSection));
        if (vendor is not null && CloudAdvice(vendor) is { } cloud)
        {
            issues.Add(cloud);
        }

        var others = nic.All.Where(a => a.Interface != nic.Name && a.Scope == "global" && !IsNotUplink(a.Interface) && !IsLinkLocal(a.Address)).ToList();
        evidence.Add($"$ {nic.Source.Command}\n{string.Join('\n', nic.All.Select(a => a.Line))}");
        if (others.Count > 0)
        {
            issues.Add($"multi-homed: {string.Join(", ", others.Select(o => $"{o.Interface} {o.Address}/{o.PrefixLength}").Distinct())} besides {nic.Name} (replies may leave by another NIC; #10640, #9675)");
        }

        var outside = node.Cluster.Nodes.Items
            .Select(n => (Name: ApiJson.Name(n), Ip: ApiJson.InternalIp(n)))
            .Where(n => n.Ip is not null && IPAddress.TryParse(n.Ip, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !nic.Address.Contains(a))
            .ToList();
        evidence.Add($"nodes' InternalIPs: {string.Join(", ", node.Cluster.Nodes.Items.Select(n => $"{ApiJson.Name(n)} {ApiJson.InternalIp(n) ?? "(none)"}"))}");
        if (outside.Count > 0)
        {
            issues.Add($"node(s) outside {nic.Name}'s subnet {nic.Address.Subnet}: {string.Join(", ", outside.Select(o => $"{o.Name} {o.Ip}"))} (DSR needs one L2 segment)");
        }

        var text = Outcome.Lines(evidence);
        return issues.Count > 0
            ? Outcome.Warn("P16", node.Name, string.Join("; ", issues), text)
            : Outcome.Pass("P16", node.Name, $"{(vendor is null ? "no known cloud" : vendor)}, single uplink {nic.Name}, all nodes in {nic.Address.Subnet}", text);
    }

    /// <summary>P20: established TCP flows idle (no data sent or received) for ≥ 1 h → warn: BPF conntrack forgets them (#9372).</summary>
    public static CheckResult P20(NodeView node)
    {
        if (node.Section(ProbeSections.Flows, out var why) is not { } ss)
        {
            return Outcome.Unknown("P20", node.Name, why, node.Tried(ProbeSections.Flows));
        }

        var flows = NodeNetwork.Flows(ss.Output);
        if (flows.Count == 0 && ss.ExitCode is not 0)
        {
            return Outcome.Unknown("P20", node.Name, $"`{ss.Command}` failed (exit {ss.ExitCode}): {NodeView.FirstLine(ss.Output) ?? "no output"}", NodeView.Show(ss));
        }

        var capped = ss.Output.Length >= ProbeSections.FlowsCap - 1 ? $" (output capped at {ProbeSections.FlowsCap} bytes)" : "";
        var idle = flows.Where(f => f.IdleFor(IdleLimitMs)).ToList();
        var shown = idle.Take(10).Select(f => $"{f.Line}  lastsnd:{Ms(f.LastSendMs)} lastrcv:{Ms(f.LastReceiveMs)}");
        var evidence = Outcome.Lines([
            $"$ {ss.Command}",
            $"{flows.Count} established TCP flow(s){capped}; {idle.Count} idle ≥ 1 h",
            .. shown,
            idle.Count > 10 ? $"… and {idle.Count - 10} more" : ""]);
        return idle.Count > 0
            ? Outcome.Warn("P20", node.Name, $"{idle.Count} TCP flow(s) idle ≥ 1 h: after the switch BPF conntrack drops them", evidence)
            : Outcome.Pass("P20", node.Name, $"{flows.Count} established TCP flow(s), none idle ≥ 1 h", evidence);
    }

    internal static string? CloudAdvice(string vendor) => vendor switch
    {
        _ when vendor.Contains("Amazon", StringComparison.OrdinalIgnoreCase) => $"{vendor}: disable the source/destination check on the instances for DSR",
        _ when vendor.Contains("Google", StringComparison.OrdinalIgnoreCase) => $"{vendor}: enable IP forwarding on the instances for DSR",
        _ when vendor.Contains("Microsoft", StringComparison.OrdinalIgnoreCase) => $"{vendor} (Azure/Hyper-V): enable IP forwarding on the NICs; DSR is often blocked",
        _ => null,
    };

    private static (int? Mtu, string Source) ConfiguredPodMtu(ClusterFacts cluster, List<string> evidence)
    {
        var vethMtu = KubeProxyConfig.Data(cluster.CalicoConfigMap, "veth_mtu");
        evidence.Add(cluster.CalicoConfigMap.Found ? $"{cluster.CalicoConfigMap.Path}: veth_mtu = {vethMtu ?? "(unset)"}" : ApiJson.Absence(cluster.CalicoConfigMap));
        if (Number(vethMtu) is { } veth and > 0)
        {
            return (veth, "calico-config veth_mtu");
        }

        if (ApiJson.Text(cluster.Installation.Json, "spec.calicoNetwork.mtu") is { } installMtu)
        {
            evidence.Add($"{cluster.Installation.Path}: spec.calicoNetwork.mtu = {installMtu}");
            if (Number(installMtu) is { } m and > 0)
            {
                return (m, "Installation calicoNetwork.mtu");
            }
        }

        var fc = cluster.FelixConfigurations.Items.FirstOrDefault(f => ApiJson.Name(f) == "default");
        var vxlanMtu = ApiJson.Text(fc, "spec.vxlanMTU");
        evidence.Add($"felixconfigurations default: spec.vxlanMTU = {vxlanMtu ?? "(unset)"}");
        return Number(vxlanMtu) is { } v and > 0 ? (v, "FelixConfiguration vxlanMTU") : (null, "auto");
    }

    private static int? Number(string? text) =>
        int.TryParse(text?.Trim().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static bool IsNotUplink(string iface) => NotUplinks.Any(p => iface == p || (p is "cali" or "cni" or "flannel" or "cilium" or "bpf" && iface.StartsWith(p, StringComparison.Ordinal)));

    private static bool IsLinkLocal(IPAddress address) => address.GetAddressBytes() is [169, 254, ..];

    private static string Ms(long? ms) => ms?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
