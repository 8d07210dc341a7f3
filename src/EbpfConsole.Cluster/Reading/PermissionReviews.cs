using System.Text.Json.Nodes;
using EbpfConsole.Cluster.Api;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Cluster.Reading;

/// <summary>
/// The RBAC pre-check: one SelfSubjectAccessReview per <see cref="PermissionNeed"/>, a few at a time. If the
/// reviews cannot be made at all (not served, forbidden, server errors) the whole check says why instead.
/// </summary>
internal static class PermissionReviews
{
    public const string Path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private static readonly string[] ReasonFields = ["reason", "evaluationError"];

    public static async Task<(IReadOnlyList<PermissionResult> Results, string? Error)> ReviewAsync(
        RawApi api, IReadOnlyList<PermissionNeed> needs, int parallelism, CancellationToken cancellationToken)
    {
        var results = new PermissionResult?[needs.Count];
        var failures = new ApiFailure?[needs.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, needs.Count), options, async (i, ct) =>
        {
            var response = await api.PostAsync(Path, Body(needs[i]), ct).ConfigureAwait(false);
            if (response.Json?["status"] is JsonObject status)
            {
                results[i] = new PermissionResult(needs[i], Bool(status, "allowed"), Reason(status));
            }
            else
            {
                failures[i] = response.Failure ?? new ApiFailure(ApiFailureKind.BadResponse, "a SelfSubjectAccessReview came back without status");
            }
        }).ConfigureAwait(false);

        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            return ([], failure.Kind switch
            {
                ApiFailureKind.NotFound => $"selfsubjectaccessreviews.authorization.k8s.io/v1 is not served ({failure.Message})",
                ApiFailureKind.Forbidden => $"may not create selfsubjectaccessreviews ({failure.Message})",
                _ => $"cannot review permissions: {failure.Message}",
            });
        }

        return (results.Select(r => r!).ToList(), null);
    }

    internal static JsonObject Body(PermissionNeed need)
    {
        var attributes = new JsonObject
        {
            ["verb"] = need.Verb,
            ["group"] = need.Group,
            ["resource"] = need.Resource,
        };
        if (need.Namespace is not null)
        {
            attributes["namespace"] = need.Namespace;
        }

        if (need.Name is not null)
        {
            attributes["name"] = need.Name;
        }

        return new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SelfSubjectAccessReview",
            ["spec"] = new JsonObject { ["resourceAttributes"] = attributes },
        };
    }

    private static bool Bool(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    private static string? Reason(JsonObject status)
    {
        var parts = ReasonFields
            .Select(n => status[n] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0 ? text : null)
            .OfType<string>()
            .ToList();
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}
