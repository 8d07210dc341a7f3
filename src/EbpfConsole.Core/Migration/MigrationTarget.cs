using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Migration;

/// <summary>How Calico was installed (DOMAIN.md P1): decides the step variants.</summary>
public enum InstallKind
{
    Manifest,
    Operator,
}

/// <summary>The API server endpoint the ConfigMap of M2 will name (from endpoints/kubernetes or the kube-proxy kubeconfig).</summary>
public sealed record ServiceEndpoint(string Host, int Port, string Source);

/// <summary>
/// What the migration needs to know about the cluster, derived once from the preflight read
/// (<see cref="ClusterFacts"/> + check results): install variant, where Calico lives, which API writes
/// FelixConfiguration, the kube-proxy mode, the API endpoint, the nodes and the preflight verdicts.
/// </summary>
public sealed record MigrationTarget
{
    /// <summary>Journal key: the kubeconfig context ("lab" for the lab).</summary>
    public required string Context { get; init; }

    public required string Server { get; init; }

    public required InstallKind Install { get; init; }

    /// <summary>"v3.29.3", when read.</summary>
    public string? CalicoVersion { get; init; }

    /// <summary>True when the operator's Calico is ≥ 3.31 (M5 replaces M2/M4/M6 there).</summary>
    public bool OperatorBootstrap { get; init; }

    /// <summary>kube-system (manifest) or calico-system (operator).</summary>
    public required string CalicoNamespace { get; init; }

    /// <summary>FelixConfiguration "default", through projectcalico.org/v3 when served, else crd.projectcalico.org/v1 (P18).</summary>
    public required ObjectRef FelixDefault { get; init; }

    /// <summary>iptables, ipvs, nftables, absent, disabled…, unknown (as preflight's summary says it).</summary>
    public required string KubeProxyMode { get; init; }

    /// <summary>kube-proxy is managed by an add-on manager/Helm/ArgoCD (P11 warned): M4 uses the Felix cleanup variant.</summary>
    public bool KubeProxyManaged { get; init; }

    /// <summary>The endpoint M2 writes; null when none could be chosen (M2 is then blocked).</summary>
    public ServiceEndpoint? Endpoint { get; init; }

    /// <summary>Node names, in the API's order.</summary>
    public required IReadOnlyList<string> Nodes { get; init; }

    /// <summary>Failed preflight checks (cluster and node scope), by check id; used to block the steps they matter for.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<CheckResult>> FailedChecks { get; init; }

    /// <summary>The objects the migration may touch; M0 snapshots them and rollback compares against that snapshot.</summary>
    public IReadOnlyList<ObjectRef> Touched => MigrationObjects.Touched(this);
}
