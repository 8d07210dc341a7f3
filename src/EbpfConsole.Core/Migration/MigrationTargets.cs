using System.Globalization;
using System.Text.Json.Nodes;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Core.Preflight.Rules;

namespace EbpfConsole.Core.Migration;

/// <summary>Derives the <see cref="MigrationTarget"/> from what preflight read (facts + check results).</summary>
public static class MigrationTargets
{
    /// <summary>The target for <paramref name="context"/> (the kubeconfig context, "lab" for the lab).</summary>
    public static MigrationTarget From(ClusterFacts facts, IEnumerable<CheckResult> results, string context)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(results);
        var checks = results.ToList();
        var install = CalicoInstall.From(facts);
        var bootstrap = install.IsOperator && install.Version is { } version && version >= new CalicoVersion(3, 31, 0);
        var endpoint = EndpointChoice.Choose(
            facts.KubernetesEndpoints.Json,
            facts.ServicesEndpointConfigMap.Json,
            facts.KubeProxyConfigMap.Json,
            install.IsOperator);
        return new MigrationTarget
        {
            Context = context,
            Server = facts.Server,
            Install = install.IsOperator ? InstallKind.Operator : InstallKind.Manifest,
            CalicoVersion = install.Version?.ToString() ?? install.VersionText,
            OperatorBootstrap = bootstrap,
            CalicoNamespace = install.Namespace ?? (install.IsOperator ? "calico-system" : "kube-system"),
            FelixDefault = MigrationObjects.FelixDefault(facts.ServedGroupVersions.Contains(CalicoConfigRules.V3)),
            KubeProxyMode = ClusterSummaries.KubeProxy(facts),
            KubeProxyManaged = checks.Any(r => r.Id == "P11" && r.Verdict == Verdict.Warn),
            Endpoint = endpoint.Endpoint,
            Nodes = facts.Nodes.Items.Select(ApiJson.Name).Where(n => n.Length > 0).ToList(),
            FailedChecks = checks.Where(r => r.Verdict == Verdict.Fail)
                .GroupBy(r => r.Id, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<CheckResult>)g.ToList(), StringComparer.Ordinal),
        };
    }
}

/// <summary>The one API server endpoint M2 writes, or why none can be chosen.</summary>
/// <param name="Endpoint">The endpoint; null when <paramref name="Problem"/> says why not.</param>
/// <param name="Problem">One line for a blocked M2.</param>
internal sealed record EndpointChoice(ServiceEndpoint? Endpoint, string? Problem)
{
    private const string EndpointsPath = "endpoints default/kubernetes";

    /// <summary>
    /// DOMAIN.md P9/M2: the existing ConfigMap's values when it has them; else the single address of endpoints/kubernetes;
    /// several addresses → the load balancer kube-proxy's kubeconfig names (a host that is none of them), else none;
    /// a loopback host on an operator install → none (#9141: calico-node's operator-managed pods cannot use it).
    /// </summary>
    public static EndpointChoice Choose(JsonObject? endpoints, JsonObject? servicesConfigMap, JsonObject? kubeProxyConfigMap, bool isOperator)
    {
        var cmPath = $"configmaps {ApiJson.Text(servicesConfigMap, "metadata.namespace") ?? "kube-system"}/{MigrationObjects.ServicesEndpointName}";
        if (Data(servicesConfigMap, ApiEndpoints.HostKey) is { Length: > 0 } cmHost)
        {
            var portText = Data(servicesConfigMap, ApiEndpoints.PortKey) ?? "443";
            return Checked(cmHost, portText, cmPath, isOperator);
        }

        if (endpoints is null)
        {
            return new EndpointChoice(null, $"{EndpointsPath} not found: no API server address to write into ConfigMap {MigrationObjects.ServicesEndpointName}");
        }

        var targets = ApiEndpoints.FromEndpoints(endpoints, EndpointsPath).Where(t => t.Testable).ToList();
        var distinct = targets.DistinctBy(t => t.HostPort, StringComparer.Ordinal).ToList();
        if (distinct.Count == 1)
        {
            return Checked(distinct[0].Host, distinct[0].PortText, EndpointsPath, isOperator);
        }

        if (distinct.Count == 0)
        {
            return new EndpointChoice(null, $"{EndpointsPath} lists no usable address: no API server address to write into ConfigMap {MigrationObjects.ServicesEndpointName}");
        }

        var server = KubeProxyServer(kubeProxyConfigMap);
        if (server is { } lb && !distinct.Any(t => string.Equals(t.Host, lb.Host, StringComparison.OrdinalIgnoreCase)) && !IsLoopback(lb.Host))
        {
            return new EndpointChoice(new ServiceEndpoint(lb.Host, lb.Port, "configmaps kube-system/kube-proxy kubeconfig.conf server"), null);
        }

        return new EndpointChoice(null,
            $"{EndpointsPath} lists {string.Join(", ", distinct.Select(t => t.HostPort))} and no load balancer is known (P9): "
            + $"create ConfigMap {MigrationObjects.ServicesEndpointName} by hand with your LB/VIP, then check again");
    }

    private static EndpointChoice Checked(string host, string portText, string source, bool isOperator)
    {
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return new EndpointChoice(null, $"{source}: '{portText}' is not a port number");
        }

        if (isOperator && IsLoopback(host))
        {
            return new EndpointChoice(null,
                $"{source}: {host}:{port} is a loopback address; on operator installs calico-node cannot reach the API server there (#9141): use the LB/VIP or a node address");
        }

        return new EndpointChoice(new ServiceEndpoint(host, port, source), null);
    }

    /// <summary>A ConfigMap's data value (keys may contain dots: "config.conf"), or null.</summary>
    internal static string? Data(JsonObject? configMap, string key) =>
        ApiJson.At(configMap, "data") is JsonObject data && data.TryGetPropertyValue(key, out var value) ? ApiJson.Scalar(value) : null;

    private static bool IsLoopback(string host) =>
        host is "::1" or "localhost" || host.StartsWith("127.", StringComparison.Ordinal);

    /// <summary>kube-proxy's kubeconfig.conf server: https://lb.example:6443 → (lb.example, 6443).</summary>
    private static (string Host, int Port)? KubeProxyServer(JsonObject? kubeProxyConfigMap)
    {
        var server = KubeProxyConfig.Server(Data(kubeProxyConfigMap, "kubeconfig.conf"));
        if (server is null || !Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return null;
        }

        return (uri.IdnHost.Trim('[', ']'), uri.IsDefaultPort || uri.Port < 0 ? 443 : uri.Port);
    }
}
