using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Cluster.Migration;

/// <summary>
/// The URLs and bodies <see cref="KubernetesMigrationApi"/> sends (pure, unit-tested): object and collection paths from
/// <see cref="ObjectRef"/>, the label selector URL-escaped, <c>dryRun=All</c> for the server-side dry run, the field
/// manager on writes, and DeleteOptions with a resourceVersion precondition.
/// </summary>
internal static class MigrationRequests
{
    /// <summary>The field manager the API server records for the console's writes (managedFields).</summary>
    public const string FieldManager = "ebpf-console";

    public static string MergePatchType => "application/merge-patch+json";

    public static string StrategicPatchType => "application/strategic-merge-patch+json";

    public static string ContentTypeOf(PatchKind kind) => kind switch
    {
        PatchKind.Merge => MergePatchType,
        PatchKind.Strategic => StrategicPatchType,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown patch kind"),
    };

    public static string List(string apiVersion, string resource, string? ns, string? labelSelector) =>
        ObjectRef.CollectionPathOf(apiVersion, resource, ns) + Query(("labelSelector", string.IsNullOrWhiteSpace(labelSelector) ? null : labelSelector));

    /// <summary>POST target: the collection, for create.</summary>
    public static string Create(ObjectRef target, bool dryRun) => target.CollectionPath + Write(dryRun);

    /// <summary>PUT and PATCH target: the object.</summary>
    public static string Update(ObjectRef target, bool dryRun) => target.Path + Write(dryRun);

    public static string Delete(ObjectRef target, bool dryRun) => target.Path + Query(("dryRun", dryRun ? "All" : null));

    public static string Log(string ns, string pod, string? container, int? tailLines) =>
        $"{ObjectRef.CollectionPathOf("v1", "pods", ns)}/{Uri.EscapeDataString(pod)}/log"
        + Query(("container", string.IsNullOrEmpty(container) ? null : container), ("tailLines", tailLines?.ToString(CultureInfo.InvariantCulture)));

    /// <summary>DeleteOptions carrying <c>preconditions.resourceVersion</c>; null (no body) without a precondition.</summary>
    public static JsonObject? DeleteOptions(string? resourceVersion) => string.IsNullOrEmpty(resourceVersion)
        ? null
        : new JsonObject
        {
            ["kind"] = "DeleteOptions",
            ["apiVersion"] = "v1",
            ["preconditions"] = new JsonObject { ["resourceVersion"] = resourceVersion },
        };

    /// <summary>
    /// The items of a list, detached from it so callers may put them into other trees. A real API server leaves
    /// <c>apiVersion</c> and <c>kind</c> out of list items: they are filled in from the list ("PodList" → "Pod").
    /// </summary>
    public static IReadOnlyList<JsonObject> Items(JsonObject list)
    {
        if (list["items"] is not JsonArray array)
        {
            return [];
        }

        var items = array.OfType<JsonObject>().ToList();
        array.Clear();
        var apiVersion = Text(list["apiVersion"]);
        var listKind = Text(list["kind"]);
        var kind = listKind is { Length: > 4 } && listKind.EndsWith("List", StringComparison.Ordinal) ? listKind[..^4] : null;
        foreach (var item in items)
        {
            if (apiVersion is not null && !item.ContainsKey("apiVersion"))
            {
                item["apiVersion"] = apiVersion;
            }

            if (kind is not null && !item.ContainsKey("kind"))
            {
                item["kind"] = kind;
            }
        }

        return items;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string Write(bool dryRun) => Query(("dryRun", dryRun ? "All" : null), ("fieldManager", FieldManager));

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return query.ToString();
    }
}
