namespace EbpfConsole.Core.Datapath;

/// <summary>The three NodePort datapaths the product compares (DOMAIN.md, "three states").</summary>
public enum DatapathMode
{
    /// <summary>kube-proxy iptables NodePort with MASQUERADE: the pod sees the ingress node's IP.</summary>
    Iptables,

    /// <summary>Calico eBPF, bpfExternalServiceMode Tunnel: client IP kept, reply back through the ingress node.</summary>
    EbpfTunnel,

    /// <summary>Calico eBPF, bpfExternalServiceMode DSR: client IP kept, reply straight from the backend node.</summary>
    EbpfDsr,
}

/// <summary>The user-facing names of <see cref="DatapathMode"/>: iptables, ebpf-tunnel, ebpf-dsr.</summary>
public static class DatapathModes
{
    private static readonly (DatapathMode Mode, string Name)[] Table =
    [
        (DatapathMode.Iptables, "iptables"),
        (DatapathMode.EbpfTunnel, "ebpf-tunnel"),
        (DatapathMode.EbpfDsr, "ebpf-dsr"),
    ];

    public static IReadOnlyList<string> Names { get; } = Table.Select(t => t.Name).ToArray();

    public static string ToName(this DatapathMode mode) => Table.First(t => t.Mode == mode).Name;

    public static bool TryParse(string? name, out DatapathMode mode)
    {
        foreach (var (m, n) in Table)
        {
            if (string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                mode = m;
                return true;
            }
        }

        mode = default;
        return false;
    }

    /// <summary>The next mode in the cycle iptables → ebpf-tunnel → ebpf-dsr → iptables.</summary>
    public static DatapathMode Next(this DatapathMode mode) =>
        Table[(Array.FindIndex(Table, t => t.Mode == mode) + 1) % Table.Length].Mode;
}
