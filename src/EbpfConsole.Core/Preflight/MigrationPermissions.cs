namespace EbpfConsole.Core.Preflight;

/// <summary>
/// One API permission a migration step needs, as a SelfSubjectAccessReview resourceAttributes.
/// </summary>
/// <param name="Step">The migration step (M2 …), DOMAIN.md.</param>
/// <param name="Action">What the step does with it, for the user: "patch the kube-proxy DaemonSet".</param>
/// <param name="Verb">get, list, create, patch, delete, deletecollection.</param>
/// <param name="Group">API group; "" for the core group.</param>
/// <param name="Resource">Plural resource, e.g. "daemonsets".</param>
/// <param name="Namespace">Namespace; null for cluster-scoped resources.</param>
/// <param name="Name">Object name; null for any.</param>
public sealed record PermissionNeed(string Step, string Action, string Verb, string Group, string Resource, string? Namespace, string? Name = null)
{
    /// <summary>"patch daemonsets.apps kube-system/kube-proxy".</summary>
    public override string ToString()
    {
        var resource = Group.Length == 0 ? Resource : $"{Resource}.{Group}";
        var where = (Namespace, Name) switch
        {
            (null, null) => "",
            (null, { } n) => $" {n}",
            ({ } ns, null) => $" in {ns}",
            ({ } ns, { } n) => $" {ns}/{n}",
        };
        return $"{Verb} {resource}{where}";
    }
}

/// <summary>The permissions the migration (M0–M8, DOMAIN.md) needs, for the RBAC pre-check.</summary>
public static class MigrationPermissions
{
    /// <param name="operatorInstall">True when the Installation exists (operator variant of M2/M5/M6).</param>
    /// <param name="calicoGroup">The group FelixConfiguration is written through: "projectcalico.org" or "crd.projectcalico.org".</param>
    /// <param name="calicoNamespace">Where calico-node runs: kube-system (manifest) or calico-system (operator).</param>
    public static IReadOnlyList<PermissionNeed> For(bool operatorInstall, string calicoGroup, string calicoNamespace)
    {
        var configMapNamespace = operatorInstall ? "tigera-operator" : "kube-system";
        var needs = new List<PermissionNeed>
        {
            new("M0", "snapshot the kube-proxy DaemonSet", "get", "apps", "daemonsets", "kube-system", "kube-proxy"),
            new("M0", "snapshot the calico-node DaemonSet", "get", "apps", "daemonsets", calicoNamespace, "calico-node"),
            new("M1", "switch kube-proxy's ConfigMap to iptables", "patch", "", "configmaps", "kube-system", "kube-proxy"),
            new("M1", "restart kube-proxy pods", "delete", "", "pods", "kube-system"),
            new("M2", "create ConfigMap kubernetes-services-endpoint", "create", "", "configmaps", configMapNamespace),
            new("M2", "remove ConfigMap kubernetes-services-endpoint (rollback)", "delete", "", "configmaps", configMapNamespace, "kubernetes-services-endpoint"),
            new("M3", "restart calico-node pods", "delete", "", "pods", calicoNamespace),
            new("M4", "disable kube-proxy (patch its DaemonSet)", "patch", "apps", "daemonsets", "kube-system", "kube-proxy"),
            new("M6", "enable BPF in FelixConfiguration default", "patch", calicoGroup, "felixconfigurations", null, "default"),
            new("M8", "create the test Deployment", "create", "apps", "deployments", "default"),
            new("M8", "create the test NodePort Service", "create", "", "services", "default"),
        };
        if (operatorInstall)
        {
            needs.Add(new("M5", "switch the Installation's dataplane", "patch", "operator.tigera.io", "installations", null, "default"));
        }

        return needs;
    }
}
