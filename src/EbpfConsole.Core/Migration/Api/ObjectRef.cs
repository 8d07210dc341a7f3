using System.Globalization;

namespace EbpfConsole.Core.Migration.Api;

/// <summary>
/// One Kubernetes object the migration reads or writes: API group/version ("v1", "apps/v1",
/// "crd.projectcalico.org/v1"), resource (plural, lower case), namespace (null: cluster-scoped), name and Kind.
/// </summary>
public sealed record ObjectRef(string ApiVersion, string Resource, string? Namespace, string Name, string Kind)
{
    /// <summary>The REST path of the collection, e.g. /apis/apps/v1/namespaces/kube-system/daemonsets.</summary>
    public string CollectionPath => CollectionPathOf(ApiVersion, Resource, Namespace);

    /// <summary>The REST path of the object.</summary>
    public string Path => $"{CollectionPath}/{Uri.EscapeDataString(Name)}";

    /// <summary>For the user: "daemonsets kube-system/kube-proxy", "felixconfigurations default".</summary>
    public string Display => Namespace is null ? $"{Resource} {Name}" : $"{Resource} {Namespace}/{Name}";

    /// <summary>kubectl's name for it: "daemonset/kube-proxy -n kube-system", "felixconfigurations.crd.projectcalico.org/default".</summary>
    public string KubectlName
    {
        get
        {
            var group = ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
            var type = group is "" or "apps" ? Kind.ToLower(CultureInfo.InvariantCulture) : $"{Resource}.{group}";
            return Namespace is null ? $"{type}/{Name}" : $"{type}/{Name} -n {Namespace}";
        }
    }

    /// <summary>A stable key for journals and dictionaries: "apps/v1 daemonsets kube-system/kube-proxy".</summary>
    public string Key => $"{ApiVersion} {Display}";

    public static string CollectionPathOf(string apiVersion, string resource, string? ns)
    {
        var root = apiVersion.Contains('/', StringComparison.Ordinal) ? $"/apis/{apiVersion}" : $"/api/{apiVersion}";
        return ns is null ? $"{root}/{resource}" : $"{root}/namespaces/{Uri.EscapeDataString(ns)}/{resource}";
    }

    public override string ToString() => Display;
}
