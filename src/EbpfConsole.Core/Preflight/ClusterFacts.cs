using System.Text.Json.Nodes;

namespace EbpfConsole.Core.Preflight;

/// <summary>
/// One object read from the Kubernetes API: found (<see cref="Json"/>), absent (both null: a 404), or
/// unreadable (<see cref="Error"/>: forbidden, timeout, …). <see cref="Path"/> names what was read, e.g.
/// "daemonsets kube-system/calico-node", for evidence.
/// </summary>
public sealed record ApiObject(string Path, JsonObject? Json, string? Error = null)
{
    public bool Found => Json is not null;

    public static ApiObject Missing(string path) => new(path, null);

    public static ApiObject Unreadable(string path, string error) => new(path, null, error);
}

/// <summary>A list read from the API; <see cref="Error"/> when it could not be read (then <see cref="Items"/> is empty).</summary>
public sealed record ApiList(string Path, IReadOnlyList<JsonObject> Items, string? Error = null)
{
    public static ApiList Unreadable(string path, string error) => new(path, [], error);
}

/// <summary>
/// What the API said about one permission a later migration step needs (SelfSubjectAccessReview).
/// </summary>
/// <param name="Need">The permission.</param>
/// <param name="Allowed">The review's status.allowed.</param>
/// <param name="Reason">status.reason / status.evaluationError when given.</param>
public sealed record PermissionResult(PermissionNeed Need, bool Allowed, string? Reason);

/// <summary>
/// Everything preflight reads through the Kubernetes API, raw (JSON as served), so the rules in Core decide and
/// quote verbatim. The reader fills every field; what it could not read carries its error instead of failing the whole read.
/// </summary>
public sealed record ClusterFacts
{
    /// <summary>The API server URL the facts came from.</summary>
    public required string Server { get; init; }

    /// <summary>/version gitVersion, when read.</summary>
    public string? ServerVersion { get; init; }

    /// <summary>The user/identity as the kubeconfig names it (context's user), for messages.</summary>
    public string? Identity { get; init; }

    /// <summary>All nodes (v1 Node JSON).</summary>
    public required ApiList Nodes { get; init; }

    /// <summary>installations.operator.tigera.io "default" (cluster-scoped); found → operator install.</summary>
    public required ApiObject Installation { get; init; }

    /// <summary>DaemonSet calico-node: kube-system (manifest) or calico-system (operator), whichever exists.</summary>
    public required ApiObject CalicoNodeDaemonSet { get; init; }

    /// <summary>DaemonSet kube-system/kube-proxy.</summary>
    public required ApiObject KubeProxyDaemonSet { get; init; }

    /// <summary>ConfigMap kube-system/kube-proxy (data["config.conf"] holds mode:, data["kubeconfig.conf"] server:).</summary>
    public required ApiObject KubeProxyConfigMap { get; init; }

    /// <summary>Endpoints default/kubernetes.</summary>
    public required ApiObject KubernetesEndpoints { get; init; }

    /// <summary>ConfigMap kubernetes-services-endpoint in kube-system (manifest) or tigera-operator (operator).</summary>
    public required ApiObject ServicesEndpointConfigMap { get; init; }

    /// <summary>ConfigMap kube-system/calico-config (manifest installs: veth_mtu), when present.</summary>
    public required ApiObject CalicoConfigMap { get; init; }

    /// <summary>All FelixConfiguration objects ("default" and "node.NAME"), from projectcalico.org/v3 if served, else crd.projectcalico.org/v1.</summary>
    public required ApiList FelixConfigurations { get; init; }

    /// <summary>All IPPools (crd.projectcalico.org/v1 or projectcalico.org/v3), for the overlay in use (P14).</summary>
    public required ApiList IpPools { get; init; }

    /// <summary>Group/versions the API server serves (discovery /api, /apis), e.g. "v1", "apps/v1", "crd.projectcalico.org/v1".</summary>
    public required IReadOnlySet<string> ServedGroupVersions { get; init; }

    /// <summary>Why discovery failed, if it did (then <see cref="ServedGroupVersions"/> is empty).</summary>
    public string? DiscoveryError { get; init; }

    /// <summary>SelfSubjectAccessReview per <see cref="MigrationPermissions.For"/>; empty when <see cref="PermissionsError"/> is set.</summary>
    public IReadOnlyList<PermissionResult> Permissions { get; init; } = [];

    /// <summary>Why the permissions could not be reviewed (e.g. selfsubjectaccessreviews not served or forbidden).</summary>
    public string? PermissionsError { get; init; }
}
