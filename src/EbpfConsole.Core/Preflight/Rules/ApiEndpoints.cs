using System.Text.Json.Nodes;

namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>One API server endpoint a node would use (P9). <see cref="Problem"/>: why it is not tested (hostile/invalid value).</summary>
internal sealed record ApiEndpoint(string Host, string PortText, int? Port, string Source, string? Problem)
{
    public bool Testable => Problem is null;

    public string HostPort => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{PortText}" : $"{Host}:{PortText}";

    public bool IsLoopback => Host is "127.0.0.1" or "::1" or "localhost" || Host.StartsWith("127.", StringComparison.Ordinal);
}

/// <summary>
/// The API endpoints Calico will use once kube-proxy is gone (P9): the ConfigMap kubernetes-services-endpoint's
/// KUBERNETES_SERVICE_HOST/PORT when present, else the addresses of endpoints/kubernetes.
/// </summary>
internal sealed record ApiEndpoints(IReadOnlyList<ApiEndpoint> Targets, bool FromConfigMap, IReadOnlyList<string> Evidence, string? Unreadable)
{
    public const string HostKey = "KUBERNETES_SERVICE_HOST";
    public const string PortKey = "KUBERNETES_SERVICE_PORT";

    /// <summary>Probing more than this many endpoints from every node is not worth the time (3 s each at worst).</summary>
    public const int MaxTargets = 5;

    public static ApiEndpoints From(ClusterFacts cluster)
    {
        var evidence = new List<string>();
        var configMap = cluster.ServicesEndpointConfigMap;
        var host = KubeProxyConfig.Data(configMap, HostKey);
        if (configMap.Found && host is not null)
        {
            var portText = KubeProxyConfig.Data(configMap, PortKey) ?? "443";
            evidence.Add($"{configMap.Path}: {HostKey} = {host}, {PortKey} = {portText}");
            var endpoint = Make(host, portText, configMap.Path);
            return new ApiEndpoints([endpoint], true, [.. evidence, .. KubeProxyServer(cluster)], null);
        }

        evidence.Add(configMap.Found ? $"{configMap.Path}: no {HostKey}" : ApiJson.Absence(configMap));
        var endpoints = cluster.KubernetesEndpoints;
        if (!endpoints.Found)
        {
            evidence.Add(ApiJson.Absence(endpoints));
            var why = endpoints.Error is { } e ? $"could not read {endpoints.Path}: {e}" : $"{endpoints.Path} not found";
            return new ApiEndpoints([], false, [.. evidence, .. KubeProxyServer(cluster)], why);
        }

        var targets = FromEndpoints(endpoints.Json!, endpoints.Path);
        evidence.Add($"{endpoints.Path}: {(targets.Count == 0 ? "no addresses" : string.Join(", ", targets.Select(t => t.HostPort)))}");
        return new ApiEndpoints(targets, false, [.. evidence, .. KubeProxyServer(cluster)], null);
    }

    /// <summary>"10.0.0.1:6443, 10.0.0.2:6443" from endpoints/kubernetes (every subset, the https port or the first).</summary>
    public static IReadOnlyList<ApiEndpoint> FromEndpoints(JsonObject endpoints, string path)
    {
        var list = new List<ApiEndpoint>();
        foreach (var subset in ApiJson.Objects(endpoints, "subsets"))
        {
            var ports = ApiJson.Objects(subset, "ports").ToList();
            var port = ports.FirstOrDefault(p => ApiJson.Text(p, "name") == "https") ?? ports.FirstOrDefault();
            var portText = ApiJson.Text(port, "port") ?? "443";
            foreach (var address in ApiJson.Objects(subset, "addresses"))
            {
                list.Add(Make(ApiJson.Text(address, "ip") ?? "", portText, path));
            }
        }

        return list;
    }

    private static ApiEndpoint Make(string host, string portText, string source)
    {
        var port = ShellText.Port(portText);
        var problem = !ShellText.IsHost(host) ? $"'{host}' is not an IP address or DNS name"
            : port is null ? $"'{portText}' is not a port number"
            : null;
        return new ApiEndpoint(host, portText, port, source, problem);
    }

    private static IEnumerable<string> KubeProxyServer(ClusterFacts cluster)
    {
        var server = KubeProxyConfig.Server(KubeProxyConfig.Data(cluster.KubeProxyConfigMap, "kubeconfig.conf"));
        return server is null ? [] : [$"{cluster.KubeProxyConfigMap.Path}: kubeconfig.conf server: {server}"];
    }
}
