using EbpfConsole.Core.Datapath;

namespace EbpfConsole.Lab.Cluster;

/// <summary>
/// The lab's real NodePort datapath as the controller drives it. A null mode means "NodePorts not served"
/// (no kube-proxy and no BPF dataplane: every rule removed), what a cluster shows in that state.
/// </summary>
public interface ILabDatapath
{
    /// <summary>The mode a trainer forced with `lab mode` (the API objects then do not decide), or null.</summary>
    DatapathMode? ManualOverride { get; }

    /// <summary>What is applied now, as recorded ("iptables", "ebpf-tunnel", "ebpf-dsr", "none"), or null when unknown.</summary>
    string? Current { get; }

    /// <summary>Applies <paramref name="mode"/> (null = none) under the machine-wide lab lock, unless it is already in place.</summary>
    Task ApplyAsync(DatapathMode? mode, CancellationToken ct);
}
