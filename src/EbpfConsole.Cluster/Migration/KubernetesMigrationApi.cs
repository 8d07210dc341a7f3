using System.Text.Json.Nodes;
using EbpfConsole.Cluster.Api;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Cluster.Migration;

/// <summary>
/// The migration's API port (<see cref="IMigrationApi"/>) on a live cluster, through the same raw HTTP path as the
/// preflight reads (<see cref="ClusterConnection"/>: its handler, TLS verification, credentials and request timeout).
/// Objects go and come back exactly as served (DOMAIN.md "Migration steps": merge vs strategic patches, dryRun=All).
/// Failures become <see cref="MigrationApiException"/> with one line naming the verb and the object.
/// </summary>
public sealed class KubernetesMigrationApi : IMigrationApi
{
    private readonly RawApi _api;

    public KubernetesMigrationApi(ClusterConnection connection)
        : this(Checked(connection).Api)
    {
    }

    internal KubernetesMigrationApi(RawApi api) => _api = api;

    /// <summary>The API server URL requests go to.</summary>
    public string Server => _api.Server;

    public async Task<JsonObject?> GetAsync(ObjectRef target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var response = await _api.GetAsync(target.Path, cancellationToken).ConfigureAwait(false);
        return response.NotFound ? null : Json(response, "get", target.Display);
    }

    public async Task<IReadOnlyList<JsonObject>> ListAsync(string apiVersion, string resource, string? ns, string? labelSelector, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiVersion);
        ArgumentException.ThrowIfNullOrEmpty(resource);
        var what = (ns is null ? resource : $"{resource} in {ns}") + (string.IsNullOrWhiteSpace(labelSelector) ? string.Empty : $" ({labelSelector})");
        var response = await _api.GetAsync(MigrationRequests.List(apiVersion, resource, ns, labelSelector), cancellationToken).ConfigureAwait(false);
        var list = Json(response, "list", what);
        return list["items"] is JsonArray or null && list.ContainsKey("items")
            ? MigrationRequests.Items(list)
            : throw new MigrationApiException(ApiErrorKind.Other, null, $"cannot list {what}: the answer is not a list (no items)");
    }

    public async Task<JsonObject> PatchAsync(ObjectRef target, PatchKind kind, JsonObject patch, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(patch);
        var response = await _api.PatchAsync(MigrationRequests.Update(target, dryRun), MigrationRequests.ContentTypeOf(kind), patch, cancellationToken).ConfigureAwait(false);
        return Json(response, "patch", target.Display);
    }

    public async Task<JsonObject> CreateAsync(ObjectRef target, JsonObject body, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(body);
        var response = await _api.PostAsync(MigrationRequests.Create(target, dryRun), body, cancellationToken).ConfigureAwait(false);
        return Json(response, "create", target.Display);
    }

    public async Task<JsonObject> ReplaceAsync(ObjectRef target, JsonObject body, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(body);
        var response = await _api.PutAsync(MigrationRequests.Update(target, dryRun), body, cancellationToken).ConfigureAwait(false);
        return Json(response, "replace", target.Display);
    }

    public async Task DeleteAsync(ObjectRef target, string? resourceVersion, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var response = await _api.DeleteAsync(MigrationRequests.Delete(target, dryRun), MigrationRequests.DeleteOptions(resourceVersion), cancellationToken).ConfigureAwait(false);
        if (!response.Ok && !response.NotFound)
        {
            throw MigrationApiErrors.From(response.Failure!, "delete", target.Display, _api.Server);
        }
    }

    public async Task<string> ReadLogAsync(string ns, string pod, string? container, int? tailLines, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentException.ThrowIfNullOrEmpty(pod);
        var response = await _api.GetTextAsync(MigrationRequests.Log(ns, pod, container, tailLines), cancellationToken).ConfigureAwait(false);
        var what = container is null ? $"pods {ns}/{pod}" : $"container {container} of pods {ns}/{pod}";
        return response.Text ?? throw MigrationApiErrors.From(response.Failure!, "read the log of", what, _api.Server);
    }

    private static ClusterConnection Checked(ClusterConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection;
    }

    private JsonObject Json(ApiResponse response, string verb, string what) =>
        response.Json ?? throw MigrationApiErrors.From(response.Failure!, verb, what, _api.Server);
}
