namespace EbpfConsole.Lab.Api.Authorization;

/// <summary>
/// What a request asks to do, as RBAC sees it: a verb on a resource (API group, resource, subresource,
/// namespace, name) or, when <see cref="Path"/> is set, a verb on a non-resource URL (discovery, /version).
/// </summary>
public sealed record AccessRequest(string Verb, string Group, string Resource, string? Subresource = null, string? Namespace = null, string? Name = null)
{
    /// <summary>The non-resource URL, or null for a resource request.</summary>
    public string? Path { get; init; }

    public bool IsResourceRequest => Path is null;

    /// <summary>A request on <paramref name="resource"/>.</summary>
    public static AccessRequest For(ResourceType resource, string verb, string? ns = null, string? name = null, string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return new AccessRequest(verb, resource.Group, resource.Plural, subresource, ns, name);
    }

    /// <summary>A request on a non-resource URL.</summary>
    public static AccessRequest NonResource(string verb, string path) => new(verb, string.Empty, string.Empty) { Path = path };

    /// <summary>
    /// The RBAC verb of an HTTP request on a resource URL, as the real server derives it: GET is get (a name),
    /// watch (watch=true) or list; POST create; PUT update; PATCH patch; DELETE delete (a name) or deletecollection.
    /// </summary>
    public static string VerbOf(string method, bool hasName, bool watch) => method.ToUpperInvariant() switch
    {
        "GET" or "HEAD" => hasName ? "get" : watch ? "watch" : "list",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => hasName ? "delete" : "deletecollection",
        _ => method.ToLowerInvariant(),
    };
}
