namespace EbpfConsole.Core.Preflight;

/// <summary>Where one node's checks stand.</summary>
public enum NodeRunState
{
    /// <summary>Waiting for a free slot of the bounded fan-out.</summary>
    Pending,

    /// <summary>Connecting or running the probe.</summary>
    Running,

    /// <summary>Finished: <see cref="NodePreflight.Results"/> holds every node check (unknown ones say why).</summary>
    Done,
}

/// <summary>One node's row of the matrix.</summary>
/// <param name="Node">The node's name (from the API).</param>
/// <param name="Address">The SSH address used (InternalIP unless mapped).</param>
/// <param name="State">Pending, running or done.</param>
/// <param name="Results">The node-scope check results, in catalog order; empty until done.</param>
/// <param name="Failure">Why the node could not be read over SSH (its SSH-based checks are then unknown), if so.</param>
/// <param name="Elapsed">How long this node took, when done.</param>
public sealed record NodePreflight(
    string Node,
    string Address,
    NodeRunState State,
    IReadOnlyList<CheckResult> Results,
    string? Failure = null,
    TimeSpan? Elapsed = null);

/// <summary>
/// The state of a preflight run, immutable: producers publish a new one as results arrive; the UI and the CLI read it.
/// </summary>
/// <param name="Cluster">What discovery found; null until the API has been read (or when it could not be).</param>
/// <param name="ClusterChecks">Cluster-scope results, in catalog order.</param>
/// <param name="Nodes">One row per node, in the API's order.</param>
/// <param name="Running">True while checks run.</param>
/// <param name="Error">Why preflight could not run at all (kubeconfig, API server down, TLS, unauthorized), else null.</param>
/// <param name="StartedAt">When the run started.</param>
/// <param name="FinishedAt">When it finished.</param>
public sealed record PreflightSnapshot(
    ClusterSummary? Cluster,
    IReadOnlyList<CheckResult> ClusterChecks,
    IReadOnlyList<NodePreflight> Nodes,
    bool Running,
    string? Error = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null)
{
    public static PreflightSnapshot NotStarted { get; } = new(null, [], [], false);

    /// <summary>Every result so far: cluster checks first, then node by node.</summary>
    public IEnumerable<CheckResult> AllResults => ClusterChecks.Concat(Nodes.SelectMany(n => n.Results));

    /// <summary>"3/12 nodes checked".</summary>
    public string Progress => $"{Nodes.Count(n => n.State == NodeRunState.Done)}/{Nodes.Count} nodes checked";
}

/// <summary>A node as the API describes it.</summary>
/// <param name="Name">metadata.name.</param>
/// <param name="InternalIp">status.addresses InternalIP (the SSH address unless mapped), if any.</param>
/// <param name="Kernel">nodeInfo.kernelVersion.</param>
/// <param name="OsImage">nodeInfo.osImage.</param>
/// <param name="Architecture">nodeInfo.architecture.</param>
/// <param name="OperatingSystem">nodeInfo.operatingSystem / label kubernetes.io/os (linux, windows).</param>
public sealed record ClusterNode(string Name, string? InternalIp, string? Kernel, string? OsImage, string? Architecture, string? OperatingSystem);

/// <summary>What discovery found, for the header of the Nodes pane and `preflight` (pure: <see cref="ClusterSummaries.From"/>).</summary>
/// <param name="Server">API server URL.</param>
/// <param name="ServerVersion">Kubernetes version.</param>
/// <param name="InstallType">"operator", "manifest", or "not found".</param>
/// <param name="CalicoVersion">From the calico-node image tag (v3.27.3), if found.</param>
/// <param name="CalicoNamespace">Where calico-node runs.</param>
/// <param name="KubeProxy">"iptables", "ipvs", "nftables", "absent", "disabled (nodeSelector …)", or "unknown".</param>
/// <param name="BpfEnabled">FelixConfiguration default spec.bpfEnabled (false when unset).</param>
/// <param name="ExternalServiceMode">bpfExternalServiceMode, "Tunnel" when unset.</param>
/// <param name="KubernetesEndpoints">"10.0.0.1:6443, …" from endpoints/kubernetes.</param>
/// <param name="CalicoApiGroup">"projectcalico.org/v3" or "crd.projectcalico.org/v1" (or "none").</param>
/// <param name="Nodes">The cluster's nodes.</param>
public sealed record ClusterSummary(
    string Server,
    string? ServerVersion,
    string InstallType,
    string? CalicoVersion,
    string? CalicoNamespace,
    string KubeProxy,
    bool BpfEnabled,
    string ExternalServiceMode,
    string KubernetesEndpoints,
    string CalicoApiGroup,
    IReadOnlyList<ClusterNode> Nodes);
