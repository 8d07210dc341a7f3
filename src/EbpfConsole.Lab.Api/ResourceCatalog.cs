namespace EbpfConsole.Lab.Api;

/// <summary>The resources the lab's API server serves (issue 4), with the names real clusters use.</summary>
public static class ResourceCatalog
{
    public static ResourceType Namespaces { get; } = Core("Namespace", "namespaces", false, ["ns"]);
    public static ResourceType Nodes { get; } = Core("Node", "nodes", false, ["no"]);
    public static ResourceType Pods { get; } = Core("Pod", "pods", true, ["po"], ["all"], ["log", "status"]);
    public static ResourceType Services { get; } = Core("Service", "services", true, ["svc"], ["all"]);
    public static ResourceType Endpoints { get; } = Core("Endpoints", "endpoints", true, ["ep"]);
    public static ResourceType ConfigMaps { get; } = Core("ConfigMap", "configmaps", true, ["cm"]);
    public static ResourceType Events { get; } = Core("Event", "events", true, ["ev"]);
    public static ResourceType DaemonSets { get; } = Apps("DaemonSet", "daemonsets", ["ds"]);
    public static ResourceType Deployments { get; } = Apps("Deployment", "deployments", ["deploy"], scalable: true);
    public static ResourceType ReplicaSets { get; } = Apps("ReplicaSet", "replicasets", ["rs"], scalable: true);

    public static ResourceType FelixConfigurations { get; } =
        new("crd.projectcalico.org", "v1", "FelixConfiguration", "felixconfigurations", "felixconfiguration", false, [], [], []);

    public static ResourceType Installations { get; } =
        new("operator.tigera.io", "v1", "Installation", "installations", "installation", false, [], [], ["status"]);

    /// <summary>Calico's IP pools (cluster-scoped), as a manifest install's CRD serves them.</summary>
    public static ResourceType IPPools { get; } =
        new("crd.projectcalico.org", "v1", "IPPool", "ippools", "ippool", false, [], [], []);

    /// <summary>"May I …?" for the caller's own identity (`kubectl auth can-i`): create only, answered, never stored.</summary>
    public static ResourceType SelfSubjectAccessReviews { get; } =
        new("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", "selfsubjectaccessreview", false, [], [], [])
        {
            AllowedVerbs = ["create"],
        };

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Namespaces, Nodes, Pods, Services, Endpoints, ConfigMaps, Events,
        DaemonSets, Deployments, ReplicaSets, FelixConfigurations, IPPools, Installations,
        SelfSubjectAccessReviews,
    ];

    /// <summary>The resources kept in the object store (everything but the reviews).</summary>
    public static IReadOnlyList<ResourceType> StoredResources { get; } = All.Where(r => r.Stored).ToList();

    /// <summary>Group/versions in the order discovery lists them ("" = the core group "v1").</summary>
    public static IReadOnlyList<(string Group, string Version)> GroupVersions { get; } =
        All.Select(r => (r.Group, r.Version)).Distinct().ToList();

    /// <summary>The resource at <paramref name="group"/>/<paramref name="version"/>/<paramref name="plural"/>, or null.</summary>
    public static ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    /// <summary>The resource of an object's apiVersion and kind, or null.</summary>
    public static ResourceType? FindByKind(string? apiVersion, string? kind) =>
        All.FirstOrDefault(r => r.ApiVersion == apiVersion && r.Kind == kind);

    private static ResourceType Core(string kind, string plural, bool namespaced, string[] shortNames, string[]? categories = null, string[]? subresources = null) =>
        new(string.Empty, "v1", kind, plural, kind.ToLowerInvariant(), namespaced, shortNames, categories ?? [], subresources ?? []);

    private static ResourceType Apps(string kind, string plural, string[] shortNames, bool scalable = false) =>
        new("apps", "v1", kind, plural, kind.ToLowerInvariant(), true, shortNames, ["all"], scalable ? ["status", "scale"] : ["status"]);
}
