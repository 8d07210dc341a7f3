namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>Node checks about the network: P12 data interface, P14 VXLAN, P15 MTU (DOMAIN.md).</summary>
internal static class NodeNetworkRules
{
    /// <summary>P12: the NIC holding the InternalIP must match bpfDataIfacePattern (env &gt; node.NAME &gt; default &gt; the version's default).</summary>
    public static CheckResult P12(NodeView node)
    {
        if (DataNic.Find(node, out var why, out var evidence) is not { } nic)
        {
            return Outcome.Unknown("P12", node.Name, why, evidence, DataNic.UnknownRemediation(why));
        }

        var (pattern, source) = EffectivePattern(node);
        var text = Outcome.Lines([
            $"nodes {node.Name}: InternalIP {nic.InternalIp}",
            $"$ {nic.Source.Command}\n{nic.Address.Line}",
            $"bpfDataIfacePattern = {pattern} ({source})"]);
        return DataIfacePatterns.Matches(pattern, nic.Name) switch
        {
            true => Outcome.Pass("P12", node.Name, $"{nic.Name} matches bpfDataIfacePattern", text),
            false => Outcome.Fail("P12", node.Name, $"{nic.Name} (holding {nic.InternalIp}) does not match bpfDataIfacePattern {pattern}", text),
            null => Outcome.Unknown("P12", node.Name, $"bpfDataIfacePattern '{pattern}' is not a regular expression this console can evaluate", text,
                "Check bpfDataIfacePattern: Felix will not start with an invalid pattern."),
        };
    }

    /// <summary>The pattern Felix uses on this node and where it comes from.</summary>
    internal static (string Pattern, string Source) EffectivePattern(NodeView node)
    {
        var cluster = node.Cluster;
        var env = CalicoInstall.From(cluster).Env().FirstOrDefault(e => e.Name == "FELIX_BPFDATAIFACEPATTERN" && e.Value is not null);
        if (env is not null)
        {
            return (env.Value!, $"env of {cluster.CalicoNodeDaemonSet.Path}");
        }

        foreach (var name in new[] { $"node.{node.Name}", "default" })
        {
            var fc = cluster.FelixConfigurations.Items.FirstOrDefault(f => ApiJson.Name(f) == name);
            if (ApiJson.Text(fc, "spec.bpfDataIfacePattern") is { Length: > 0 } set)
            {
                return (set, $"felixconfigurations {name}");
            }
        }

        var install = CalicoInstall.From(cluster);
        return install.Version is { } v
            ? (DataIfacePatterns.DefaultFor(v), $"Felix's default in Calico {v}")
            : (DataIfacePatterns.DefaultFor(null), "Felix's newest default: the Calico version is unknown");
    }

    /// <summary>
    /// P14: a VXLAN IPPool → pass (VXLAN already flows); an iptables rule dropping/rejecting UDP 4789 → fail; otherwise
    /// warn (IPIP-only or unknown overlay: a cloud firewall is not visible from a node).
    /// </summary>
    public static CheckResult P14(NodeView node)
    {
        var cluster = node.Cluster;
        var pools = cluster.IpPools.Items
            .Select(p => (Name: ApiJson.Name(p), Vxlan: ApiJson.Text(p, "spec.vxlanMode") ?? "Never", Ipip: ApiJson.Text(p, "spec.ipipMode") ?? "Never"))
            .ToList();
        var operatorPools = ApiJson.Objects(cluster.Installation.Json, "spec.calicoNetwork.ipPools")
            .Select(p => (Name: ApiJson.Text(p, "name") ?? ApiJson.Text(p, "cidr") ?? "?", Encapsulation: ApiJson.Text(p, "encapsulation") ?? "(unset)"))
            .ToList();
        var apiEvidence = Outcome.Lines([
            cluster.IpPools.Error is { } poolError ? $"{cluster.IpPools.Path}: could not read: {poolError}"
                : pools.Count == 0 ? $"{cluster.IpPools.Path}: none" : "",
            .. pools.Select(p => $"ippools {p.Name}: vxlanMode = {p.Vxlan}, ipipMode = {p.Ipip}"),
            .. operatorPools.Select(p => $"{cluster.Installation.Path}: calicoNetwork.ipPools {p.Name} encapsulation = {p.Encapsulation}")]);
        if (node.Failure is { } failure)
        {
            return Outcome.Unknown("P14", node.Name, failure, Outcome.Lines([apiEvidence, node.Tried(ProbeSections.Iptables)]));
        }

        var vxlan = pools.Where(p => p.Vxlan is "Always" or "CrossSubnet").Select(p => p.Name)
            .Concat(operatorPools.Where(p => p.Encapsulation.StartsWith("VXLAN", StringComparison.Ordinal)).Select(p => p.Name))
            .ToList();
        if (vxlan.Count > 0)
        {
            return Outcome.Pass("P14", node.Name, $"VXLAN already carries pod traffic between nodes (IPPool {string.Join(", ", vxlan)})", apiEvidence);
        }

        if (node.Section(ProbeSections.Iptables, out var why) is not { } rules)
        {
            return Outcome.Unknown("P14", node.Name, why, Outcome.Lines([apiEvidence, node.Tried(ProbeSections.Iptables)]));
        }

        var evidence = Outcome.Lines([apiEvidence, NodeView.Show(rules)]);
        var lines = rules.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var exit = lines.LastOrDefault(l => l.StartsWith("iptables-save exit ", StringComparison.Ordinal));
        if (exit != "iptables-save exit 0")
        {
            // sudo's warnings ("unable to resolve host") do not matter when iptables-save ran; a refusal does.
            if (lines.FirstOrDefault(l => l.StartsWith("sudo:", StringComparison.Ordinal)) is { } sudo)
            {
                return Outcome.Unknown("P14", node.Name, $"sudo -n refused on {node.Name}: {sudo}; connect as root or allow passwordless sudo for iptables-save", evidence,
                    "Connect as root (--ssh-user root) or allow passwordless sudo for iptables-save, then run preflight again.");
            }

            var first = lines.FirstOrDefault(l => !l.StartsWith("iptables-save exit ", StringComparison.Ordinal));
            return Outcome.Unknown("P14", node.Name, $"iptables-save failed on {node.Name} ({exit ?? "no exit status"}){(first is null ? "" : $": {first}")}", evidence);
        }

        var blocking = lines.Where(IsBlockingVxlanRule).ToList();
        return blocking.Count > 0
            ? Outcome.Fail("P14", node.Name, $"host firewall drops UDP 4789: {blocking[0]}", evidence)
            : Outcome.Warn("P14", node.Name,
                $"{Overlay(pools.Count + operatorPools.Count, cluster.IpPools.Error)}, and no host rule drops UDP 4789: make sure it is open between nodes (a cloud firewall is not visible from a node)",
                evidence);
    }

    /// <summary>What the pools say when none uses VXLAN.</summary>
    private static string Overlay(int pools, string? error) =>
        error is not null ? "the IP pools could not be read" : pools == 0 ? "no IP pool found" : "the IP pools use IPIP or no encapsulation, not VXLAN";

    /// <summary>An iptables-save rule (not Calico's own cali-* chains) that DROPs or REJECTs UDP to/from port 4789.</summary>
    internal static bool IsBlockingVxlanRule(string line)
    {
        if (!line.StartsWith("-A ", StringComparison.Ordinal) || line.StartsWith("-A cali-", StringComparison.Ordinal))
        {
            return false;
        }

        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var udp = words.Zip(words.Skip(1)).Any(p => p.First == "-p" && p.Second == "udp");
        var port = words.Zip(words.Skip(1)).Any(p => p.First is "--dport" or "--sport" or "--dports" && p.Second.Split(',').Any(IsVxlanPort));
        var target = words.Zip(words.Skip(1)).Any(p => p.First == "-j" && p.Second is "DROP" or "REJECT");
        return udp && port && target;
    }

    private static bool IsVxlanPort(string spec)
    {
        if (spec == "4789")
        {
            return true;
        }

        var range = spec.Split(':');
        return range.Length == 2 && int.TryParse(range[0], out var lo) && int.TryParse(range[1], out var hi) && lo <= 4789 && 4789 <= hi;
    }
}
