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

    /// <summary>The verbs of an ordinary stored resource (discovery lists them; RBAC decides who may use them).</summary>
    public static IReadOnlyList<string> Verbs { get; } =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>The verbs this resource serves: <see cref="Verbs"/>, or fewer (a review is create-only).</summary>
    public IReadOnlyList<string> AllowedVerbs { get; init; } = Verbs;

    /// <summary>True when the resource is stored (get/list/watch); false for create-only reviews answered on the spot.</summary>
    public bool Stored => AllowedVerbs.Contains("get");
}
