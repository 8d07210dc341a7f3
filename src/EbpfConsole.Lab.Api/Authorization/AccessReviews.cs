using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Api.Authorization;

/// <summary>
/// Answers a SelfSubjectAccessReview (authorization.k8s.io/v1) for the caller's own identity: the response echoes
/// the spec and sets status.allowed and status.reason from <see cref="LabAuthorizer"/>. Never stored.
/// </summary>
public static class AccessReviews
{
    /// <summary>The review answered; a spec without exactly one of resourceAttributes and nonResourceAttributes is a 422.</summary>
    public static JsonObject Review(LabIdentity identity, JsonObject review)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(review);
        var resource = ResourceCatalog.SelfSubjectAccessReviews;
        var spec = review["spec"] as JsonObject ?? [];
        var attributes = spec["resourceAttributes"] as JsonObject;
        var nonResource = spec["nonResourceAttributes"] as JsonObject;
        if ((attributes is null) == (nonResource is null))
        {
            throw ApiException.Invalid(resource, string.Empty,
                ("spec.resourceAttributes", "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }

        var request = attributes is not null
            ? new AccessRequest(
                Text(attributes, "verb"),
                Text(attributes, "group"),
                Text(attributes, "resource"),
                Optional(attributes, "subresource"),
                Optional(attributes, "namespace"),
                Optional(attributes, "name"))
            : AccessRequest.NonResource(Text(nonResource!, "verb"), Text(nonResource!, "path"));
        var decision = LabAuthorizer.Decide(identity, request);
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }

        return new JsonObject
        {
            ["kind"] = resource.Kind,
            ["apiVersion"] = resource.ApiVersion,
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["spec"] = spec.DeepClone(),
            ["status"] = status,
        };
    }

    private static string Text(JsonObject o, string key) => Optional(o, key) ?? string.Empty;

    private static string? Optional(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
