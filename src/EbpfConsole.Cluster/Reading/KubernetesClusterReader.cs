using System.Text.Json.Nodes;
using EbpfConsole.Cluster.Api;
using EbpfConsole.Cluster.Config;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Cluster.Reading;

/// <summary>
/// Reads <see cref="ClusterFacts"/> for preflight (DOMAIN.md P1–P20): /version first (server down, TLS, 401 →
/// <see cref="ClusterUnavailableException"/>), then everything else concurrently, each read on its own: a 403,
/// 404 or timeout fills that field's Error/Missing and the rest go on. Listing nodes must work (preflight cannot
/// know the nodes otherwise). Objects are kept as the server sent them.
/// </summary>
public sealed class KubernetesClusterReader : IClusterReader, IDisposable
{
    private readonly Func<ClusterConnection>? _open;
    private readonly bool _owned;
    private ClusterConnection? _connection;

    /// <summary>Opens the connection on the first read (a kubeconfig problem surfaces from <see cref="ReadAsync"/>); owns it.</summary>
    public KubernetesClusterReader(KubeconfigOptions options, KubeconfigEnvironment? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _open = () => ClusterConnection.Open(options, environment ?? KubeconfigEnvironment.Process);
        _owned = true;
    }

    /// <summary>Reads through an open connection (not disposed by this reader).</summary>
    public KubernetesClusterReader(ClusterConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    /// <summary>How many SelfSubjectAccessReviews run at once.</summary>
    public int PermissionParallelism { get; init; } = 4;

    public async Task<ClusterFacts> ReadAsync(CancellationToken cancellationToken)
    {
        var connection = _connection ??= await Task.Run(_open!, cancellationToken).ConfigureAwait(false);
        var api = connection.Api;

        var version = await api.GetAsync("/version", cancellationToken).ConfigureAwait(false);
        if (version.Failure is { } versionFailure && (versionFailure.IsFatal || versionFailure.Kind == ApiFailureKind.TimedOut))
        {
            throw new ClusterUnavailableException(versionFailure.Message);
        }

        var discovery = ApiReads.DiscoveryAsync(api, cancellationToken);
        var nodes = api.GetAsync("/api/v1/nodes", cancellationToken);
        var installation = ApiReads.ObjectAsync(api, "/apis/operator.tigera.io/v1/installations/default", "installations.operator.tigera.io default", cancellationToken);
        var calicoNode = CalicoNodeAsync(api, cancellationToken);
        var kubeProxyDaemonSet = ApiReads.ObjectAsync(api, "/apis/apps/v1/namespaces/kube-system/daemonsets/kube-proxy", "daemonsets kube-system/kube-proxy", cancellationToken);
        var kubeProxyConfigMap = ConfigMapAsync(api, "kube-system", "kube-proxy", cancellationToken);
        var endpoints = ApiReads.ObjectAsync(api, "/api/v1/namespaces/default/endpoints/kubernetes", "endpoints default/kubernetes", cancellationToken);
        var calicoConfig = ConfigMapAsync(api, "kube-system", "calico-config", cancellationToken);

        var nodesResponse = await nodes.ConfigureAwait(false);
        if (nodesResponse.Failure is { } nodesFailure)
        {
            if (nodesFailure.IsFatal)
            {
                throw new ClusterUnavailableException(nodesFailure.Message);
            }

            if (nodesFailure.Kind == ApiFailureKind.Forbidden)
            {
                throw new ClusterUnavailableException($"user '{connection.Identity}' may not list nodes, so preflight cannot know them: {nodesFailure.Message}");
            }
        }

        var (served, discoveryError) = await discovery.ConfigureAwait(false);
        var calicoGroupVersion = CalicoGroupVersion(served, discoveryError);
        var felix = CalicoListAsync(api, calicoGroupVersion, "felixconfigurations", cancellationToken);
        var pools = CalicoListAsync(api, calicoGroupVersion, "ippools", cancellationToken);

        var installationObject = await installation.ConfigureAwait(false);
        var operatorInstall = installationObject.Found;
        var servicesEndpoint = ConfigMapAsync(api, operatorInstall ? "tigera-operator" : "kube-system", "kubernetes-services-endpoint", cancellationToken);
        var calicoNodeObject = await calicoNode.ConfigureAwait(false);
        var calicoNamespace = (string?)calicoNodeObject.Json?["metadata"]?["namespace"] ?? (operatorInstall ? "calico-system" : "kube-system");
        var calicoGroup = calicoGroupVersion?.Split('/')[0] ?? "crd.projectcalico.org";
        var needs = MigrationPermissions.For(operatorInstall, calicoGroup, calicoNamespace);
        var (permissions, permissionsError) = await PermissionReviews.ReviewAsync(api, needs, PermissionParallelism, cancellationToken).ConfigureAwait(false);

        return new ClusterFacts
        {
            Server = connection.Server,
            ServerVersion = version.Json?["gitVersion"] is JsonValue gitVersion && gitVersion.TryGetValue<string>(out var text) ? text : null,
            Identity = connection.Identity,
            Nodes = ApiReads.ToList(nodesResponse, "nodes"),
            Installation = installationObject,
            CalicoNodeDaemonSet = calicoNodeObject,
            KubeProxyDaemonSet = await kubeProxyDaemonSet.ConfigureAwait(false),
            KubeProxyConfigMap = await kubeProxyConfigMap.ConfigureAwait(false),
            KubernetesEndpoints = await endpoints.ConfigureAwait(false),
            ServicesEndpointConfigMap = await servicesEndpoint.ConfigureAwait(false),
            CalicoConfigMap = await calicoConfig.ConfigureAwait(false),
            FelixConfigurations = await felix.ConfigureAwait(false),
            IpPools = await pools.ConfigureAwait(false),
            ServedGroupVersions = served,
            DiscoveryError = discoveryError,
            Permissions = permissions,
            PermissionsError = permissionsError,
        };
    }

    public void Dispose()
    {
        if (_owned)
        {
            _connection?.Dispose();
        }
    }

    /// <summary>P18: projectcalico.org/v3 (the API server) if served, else the CRDs; null if neither. Unknown discovery: try v3.</summary>
    internal static string? CalicoGroupVersion(IReadOnlySet<string> served, string? discoveryError) =>
        discoveryError is not null ? "projectcalico.org/v3"
        : served.Contains("projectcalico.org/v3") ? "projectcalico.org/v3"
        : served.Contains("crd.projectcalico.org/v1") ? "crd.projectcalico.org/v1"
        : null;

    private static Task<ApiObject> ConfigMapAsync(RawApi api, string ns, string name, CancellationToken cancellationToken) =>
        ApiReads.ObjectAsync(api, $"/api/v1/namespaces/{ns}/configmaps/{name}", $"configmaps {ns}/{name}", cancellationToken);

    /// <summary>calico-node in kube-system (manifest), else calico-system (operator).</summary>
    private static async Task<ApiObject> CalicoNodeAsync(RawApi api, CancellationToken cancellationToken)
    {
        var manifest = await ApiReads.ObjectAsync(api, "/apis/apps/v1/namespaces/kube-system/daemonsets/calico-node", "daemonsets kube-system/calico-node", cancellationToken).ConfigureAwait(false);
        if (manifest.Found)
        {
            return manifest;
        }

        var operatorManaged = await ApiReads.ObjectAsync(api, "/apis/apps/v1/namespaces/calico-system/daemonsets/calico-node", "daemonsets calico-system/calico-node", cancellationToken).ConfigureAwait(false);
        if (operatorManaged.Found || manifest.Error is not null)
        {
            return operatorManaged.Found ? operatorManaged : manifest;
        }

        return operatorManaged.Error is not null ? operatorManaged : ApiObject.Missing("daemonsets kube-system/calico-node or calico-system/calico-node");
    }

    /// <summary>A Calico list through <paramref name="groupVersion"/>; when v3 was only guessed (discovery failed) and is 404, the CRDs.</summary>
    private static async Task<ApiList> CalicoListAsync(RawApi api, string? groupVersion, string plural, CancellationToken cancellationToken)
    {
        if (groupVersion is null)
        {
            return ApiList.Unreadable($"{plural} (projectcalico.org/v3 or crd.projectcalico.org/v1)", ApiReads.NotServed);
        }

        var list = await ApiReads.ListAsync(api, $"/apis/{groupVersion}/{plural}", $"{plural}.{groupVersion}", cancellationToken).ConfigureAwait(false);
        if (list.Error == ApiReads.NotServed && groupVersion == "projectcalico.org/v3")
        {
            return await ApiReads.ListAsync(api, $"/apis/crd.projectcalico.org/v1/{plural}", $"{plural}.crd.projectcalico.org/v1", cancellationToken).ConfigureAwait(false);
        }

        return list;
    }
}
