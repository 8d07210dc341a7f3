namespace EbpfConsole.Lab.Api;

/// <summary>
/// One resource the emulated API server serves: where it lives (group/version), what it is called
/// (kind, plural, singular, short names) and whether it is namespaced. The catalogue is data
/// (<see cref="ResourceCatalog"/>); discovery, OpenAPI, routing and tables are all derived from it.
/// </summary>
public sealed record ResourceType(
    string Group,
    string Version,
    string Kind,
    string Plural,
    string Singular,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Subresources)
{
    /// <summary>"v1" for the core group, otherwise "group/version" (the objects' apiVersion).</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    /// <summary>"pods", "daemonsets.apps", "felixconfigurations.crd.projectcalico.org": the name errors use.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The verbs discovery lists for the resource (all of them: the lab grants everything).</summary>
    public static IReadOnlyList<string> Verbs { get; } =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
}
