using System.Text.Json.Nodes;

namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>One env entry of a container: a literal value, or where it comes from (valueFrom).</summary>
internal sealed record EnvEntry(string Name, string? Value, string? From)
{
    /// <summary>"FELIX_BPFENABLED=true" or "FELIX_BPFENABLED from configMapKeyRef calico-config/bpf".</summary>
    public string Display => Value is not null ? $"{Name}={Value}" : $"{Name} from {From ?? "valueFrom"}";
}

/// <summary>
/// How Calico is installed (P1): operator when installations.operator.tigera.io/default exists, else a manifest install
/// when DaemonSet calico-node exists; the version is the calico-node image tag (or the Installation's status).
/// </summary>
internal sealed record CalicoInstall(
    string InstallType,
    string? Namespace,
    string? Image,
    string? VersionText,
    CalicoVersion? Version,
    JsonObject? CalicoNodeContainer)
{
    public const string Operator = "operator";
    public const string Manifest = "manifest";
    public const string NotFound = "not found";

    public bool IsOperator => InstallType == Operator;

    public static CalicoInstall From(ClusterFacts cluster)
    {
        var ds = cluster.CalicoNodeDaemonSet.Json;
        var container = ds is null ? null : MainContainer(ds);
        var image = ApiJson.Text(container, "image");
        var ns = ds is null ? null : ApiJson.Text(ds, "metadata.namespace") ?? NamespaceFromPath(cluster.CalicoNodeDaemonSet.Path);
        var tag = CalicoVersion.ImageTag(image);
        var statusVersion = ApiJson.Text(cluster.Installation.Json, "status.calicoVersion");
        var operatorInstall = cluster.Installation.Found || (cluster.Installation.Error is not null && ns == "calico-system");
        if (operatorInstall)
        {
            var text = tag ?? statusVersion ?? image;
            return new CalicoInstall(Operator, ns ?? "calico-system", image, text, CalicoVersion.Parse(tag) ?? CalicoVersion.Parse(statusVersion), container);
        }

        return ds is null
            ? new CalicoInstall(NotFound, null, null, null, null, null)
            : new CalicoInstall(Manifest, ns ?? "kube-system", image, tag ?? image, CalicoVersion.Parse(tag), container);
    }

    /// <summary>The container named calico-node (else the first) of a DaemonSet's pod template.</summary>
    public static JsonObject? MainContainer(JsonObject daemonSet)
    {
        var containers = ApiJson.Objects(daemonSet, "spec.template.spec.containers").ToList();
        return containers.FirstOrDefault(c => ApiJson.Text(c, "name") == "calico-node")
            ?? containers.FirstOrDefault();
    }

    /// <summary>The container's env, in order.</summary>
    public static IReadOnlyList<EnvEntry> Env(JsonObject? container) => ApiJson.Objects(container, "env")
        .Select(e => new EnvEntry(ApiJson.Text(e, "name") ?? "", ApiJson.Text(e, "value"), ValueFrom(e)))
        .Where(e => e.Name.Length > 0)
        .ToList();

    /// <summary>The calico-node container's env (empty when the DaemonSet was not found).</summary>
    public IReadOnlyList<EnvEntry> Env() => Env(CalicoNodeContainer);

    private static string? ValueFrom(JsonObject env)
    {
        if (ApiJson.At(env, "valueFrom") is not JsonObject from)
        {
            return ApiJson.Text(env, "value") is null ? "(empty)" : null;
        }

        foreach (var (kind, source) in from)
        {
            var name = ApiJson.Text(source, "name");
            var key = ApiJson.Text(source, "key") ?? ApiJson.Text(source, "fieldPath") ?? ApiJson.Text(source, "resource");
            return $"{kind} {name}{(name is not null && key is not null ? "/" : "")}{key}".TrimEnd();
        }

        return "valueFrom";
    }

    private static string? NamespaceFromPath(string path)
    {
        // "daemonsets kube-system/calico-node"
        var space = path.IndexOf(' ', StringComparison.Ordinal);
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return space >= 0 && slash > space ? path[(space + 1)..slash] : null;
    }
}
