namespace EbpfConsole.Lab.Api.Authorization;

/// <summary>Whether a request is allowed, and why (the reason `kubectl auth can-i` shows after "yes"/"no").</summary>
public sealed record AccessDecision(bool Allowed, string Reason);

/// <summary>
/// The lab's RBAC, fixed: system:masters may do everything; every authenticated caller may read discovery and
/// create SelfSubjectAccessReviews (system:basic-user, system:discovery); ebpf-console:viewers may get, list and
/// watch any resource ("view"); anything else is forbidden with the real API server's Status text.
/// </summary>
public static class LabAuthorizer
{
    public static IReadOnlyList<string> ReadVerbs { get; } = ["get", "list", "watch"];

    public static AccessDecision Decide(LabIdentity identity, AccessRequest request)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(request);
        if (identity.IsMaster)
        {
            return new(true, Binding("cluster-admin", "cluster-admin", LabIdentity.MastersGroup));
        }

        if (!request.IsResourceRequest)
        {
            return ReadVerbs.Contains(request.Verb, StringComparer.Ordinal)
                ? new(true, Binding("system:discovery", "system:discovery", LabIdentity.AuthenticatedGroup))
                : new(false, string.Empty);
        }

        if (request.Verb == "create" && request.Group == ResourceCatalog.SelfSubjectAccessReviews.Group
            && request.Resource == ResourceCatalog.SelfSubjectAccessReviews.Plural)
        {
            return new(true, Binding("system:basic-user", "system:basic-user", LabIdentity.AuthenticatedGroup));
        }

        if (identity.IsViewer)
        {
            return ReadVerbs.Contains(request.Verb, StringComparer.Ordinal)
                ? new(true, Binding("ebpf-console-viewers", "view", LabIdentity.ViewersGroup))
                : new(false, $"group \"{LabIdentity.ViewersGroup}\" may only get, list and watch");
        }

        return new(false, string.Empty);
    }

    /// <summary>
    /// The 403 the real API server answers a denied request with, e.g. <c>daemonsets.apps "kube-proxy" is forbidden:
    /// User "ebpf-console-viewer" cannot patch resource "daemonsets" in API group "apps" in the namespace "kube-system"</c>.
    /// </summary>
    public static ApiException Forbidden(LabIdentity identity, AccessRequest request, ResourceType? resource = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(request);
        if (!request.IsResourceRequest)
        {
            return new ApiException(403, "Forbidden", $"forbidden: User \"{identity.User}\" cannot {request.Verb} path \"{request.Path}\"");
        }

        var what = request.Subresource is { Length: > 0 } sub ? $"{request.Resource}/{sub}" : request.Resource;
        var scope = request.Namespace is { Length: > 0 } ns ? $"in the namespace \"{ns}\"" : "at the cluster scope";
        var denial = $"User \"{identity.User}\" cannot {request.Verb} resource \"{what}\" in API group \"{request.Group}\" {scope}";
        var qualified = request.Group.Length == 0 ? request.Resource : $"{request.Resource}.{request.Group}";
        var message = request.Name is { Length: > 0 } name ? $"{qualified} \"{name}\" is forbidden: {denial}" : $"{qualified} is forbidden: {denial}";
        return new ApiException(403, "Forbidden", message, resource, request.Name is { Length: > 0 } ? request.Name : null);
    }

    private static string Binding(string binding, string role, string group) =>
        $"RBAC: allowed by ClusterRoleBinding \"{binding}\" of ClusterRole \"{role}\" to Group \"{group}\"";
}
