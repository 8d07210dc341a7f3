using System.Text.Json.Nodes;
using EbpfConsole.Cluster.Api;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Cluster.Reading;

/// <summary>Single reads as <see cref="ApiObject"/> / <see cref="ApiList"/>: found, missing (404) or unreadable (the reason).</summary>
internal static class ApiReads
{
    /// <summary>The "not served" error of a list whose API group the server does not serve.</summary>
    public const string NotServed = "not served";

    public static async Task<ApiObject> ObjectAsync(RawApi api, string url, string label, CancellationToken cancellationToken)
    {
        var response = await api.GetAsync(url, cancellationToken).ConfigureAwait(false);
        return response switch
        {
            { Json: { } json } => new ApiObject(label, json),
            { NotFound: true } => ApiObject.Missing(label),
            _ => ApiObject.Unreadable(label, response.Failure!.Message),
        };
    }

    public static async Task<ApiList> ListAsync(RawApi api, string url, string label, CancellationToken cancellationToken)
    {
        var response = await api.GetAsync(url, cancellationToken).ConfigureAwait(false);
        return ToList(response, label);
    }

    public static ApiList ToList(ApiResponse response, string label)
    {
        if (response.Json is not { } json)
        {
            return ApiList.Unreadable(label, response.NotFound ? NotServed : response.Failure!.Message);
        }

        if (json["items"] is not JsonArray items)
        {
            return json.ContainsKey("items") ? new ApiList(label, []) : ApiList.Unreadable(label, "the answer has no items (not a list)");
        }

        return new ApiList(label, items.OfType<JsonObject>().ToList());
    }

    /// <summary>
    /// Discovery: /api (core versions) and /apis (group/versions), as plain APIVersions / APIGroupList JSON.
    /// Returns the set and, if either failed, why (then the set is empty, as <see cref="ClusterFacts"/> says).
    /// </summary>
    public static async Task<(IReadOnlySet<string> Served, string? Error)> DiscoveryAsync(RawApi api, CancellationToken cancellationToken)
    {
        var core = api.GetAsync("/api", cancellationToken);
        var groups = api.GetAsync("/apis", cancellationToken);
        await Task.WhenAll(core, groups).ConfigureAwait(false);
        var (coreResponse, groupsResponse) = (await core.ConfigureAwait(false), await groups.ConfigureAwait(false));
        if (coreResponse.Failure is { } coreFailure)
        {
            return (new HashSet<string>(), $"discovery /api: {coreFailure.Message}");
        }

        if (groupsResponse.Failure is { } groupsFailure)
        {
            return (new HashSet<string>(), $"discovery /apis: {groupsFailure.Message}");
        }

        var served = new HashSet<string>(StringComparer.Ordinal);
        foreach (var version in (coreResponse.Json!["versions"] as JsonArray ?? []).OfType<JsonValue>())
        {
            if (version.TryGetValue<string>(out var text))
            {
                served.Add(text);
            }
        }

        foreach (var group in (groupsResponse.Json!["groups"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var version in (group["versions"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (version["groupVersion"] is JsonValue gv && gv.TryGetValue<string>(out var text))
                {
                    served.Add(text);
                }
            }
        }

        return (served, null);
    }
}
