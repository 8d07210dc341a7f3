using System.Text.Json.Nodes;

namespace EbpfConsole.Core.Migration.Api;

/// <summary>The content type of a PATCH (DOMAIN.md "Migration steps": merge vs strategic).</summary>
public enum PatchKind
{
    /// <summary>application/merge-patch+json (RFC 7386).</summary>
    Merge,

    /// <summary>application/strategic-merge-patch+json (built-in kinds only).</summary>
    Strategic,
}

/// <summary>
/// The Kubernetes API as the migration engine uses it: raw JSON objects as served. Every method throws
/// <see cref="MigrationApiException"/> for API and network failures (one line for the user, with the kind);
/// <see cref="GetAsync"/> returns null for a 404 instead. <c>dryRun</c> = the API server's server-side dry run
/// (<c>?dryRun=All</c>): validated and answered, nothing stored.
/// </summary>
public interface IMigrationApi
{
    /// <summary>The object as served, or null when it does not exist.</summary>
    Task<JsonObject?> GetAsync(ObjectRef target, CancellationToken cancellationToken);

    /// <summary>Objects of a collection, optionally by label selector ("k8s-app=calico-node"); ns null = cluster-scoped or all namespaces.</summary>
    Task<IReadOnlyList<JsonObject>> ListAsync(string apiVersion, string resource, string? ns, string? labelSelector, CancellationToken cancellationToken);

    /// <summary>PATCH. A <c>metadata.resourceVersion</c> in <paramref name="patch"/> is a precondition (409 when it moved).</summary>
    Task<JsonObject> PatchAsync(ObjectRef target, PatchKind kind, JsonObject patch, bool dryRun, CancellationToken cancellationToken);

    /// <summary>POST to the collection of <paramref name="target"/>.</summary>
    Task<JsonObject> CreateAsync(ObjectRef target, JsonObject body, bool dryRun, CancellationToken cancellationToken);

    /// <summary>PUT; <c>metadata.resourceVersion</c> in <paramref name="body"/> is the precondition (409 when it moved).</summary>
    Task<JsonObject> ReplaceAsync(ObjectRef target, JsonObject body, bool dryRun, CancellationToken cancellationToken);

    /// <summary>DELETE, with a resourceVersion precondition when given. A 404 is not an error (already gone).</summary>
    Task DeleteAsync(ObjectRef target, string? resourceVersion, bool dryRun, CancellationToken cancellationToken);

    /// <summary>The log of one pod's container (null: the only/first container); <paramref name="tailLines"/> null = whole log.</summary>
    Task<string> ReadLogAsync(string ns, string pod, string? container, int? tailLines, CancellationToken cancellationToken);
}
