namespace EbpfConsole.Lab.Api.Patching;

/// <summary>
/// The patch metadata of the built-in types' lists (the <c>patchMergeKey</c>/<c>patchStrategy</c> struct tags
/// of k8s.io/api), by field name: good enough for the objects the lab serves.
/// </summary>
public static class PatchMeta
{
    private static readonly HashSet<string> ContainerLists = new(StringComparer.Ordinal) { "containers", "initContainers", "ephemeralContainers" };

    /// <summary>
    /// The merge key of list <paramref name="field"/> (null = the list is replaced). <paramref name="parentField"/> is the
    /// map the list is in; <paramref name="enclosingList"/> the list whose element that map is (e.g. "containers").
    /// </summary>
    public static string? MergeKey(string field, string? parentField, string? enclosingList) => field switch
    {
        "containers" or "initContainers" or "ephemeralContainers" or "volumes" or "env" or "imagePullSecrets" => "name",
        "ownerReferences" => "uid",
        "conditions" or "addresses" => "type",
        "ports" when enclosingList is not null && ContainerLists.Contains(enclosingList) => "containerPort",
        "ports" when parentField == "spec" && enclosingList is null => "port",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        _ => null,
    };

    /// <summary>Primitive lists whose strategy is "merge" (a set union): metadata.finalizers, spec.podCIDRs.</summary>
    public static bool IsMergedPrimitiveList(string field, string? parentField) =>
        (field == "finalizers" && parentField == "metadata") || (field == "podCIDRs" && parentField == "spec");
}
