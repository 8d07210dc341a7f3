using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Api;

/// <summary>One column of a server-side printed table (priority 1 = shown only with -o wide).</summary>
public sealed record TableColumn(string Name, string Type, string Description, int Priority = 0, string Format = "");

/// <summary>How one resource prints: its columns and a row's cells (pure: object + now → cells).</summary>
public sealed record TablePrinter(IReadOnlyList<TableColumn> Columns, Func<JsonObject, DateTimeOffset, JsonNode?[]> Cells);

/// <summary>Server-side printing: meta.k8s.io/v1 Table objects with the columns kubectl shows (priority 1 = -o wide only).</summary>
public static class Tables
{
    /// <summary>A Table of <paramref name="items"/>; rows carry PartialObjectMetadata (or the full object when <paramref name="includeObject"/> is "Object", nothing for "None").</summary>
    public static JsonObject ToTable(ResourceType resource, IReadOnlyList<JsonObject> items, string resourceVersion, DateTimeOffset now, string includeObject = "Metadata")
    {
        var printer = PrinterFor(resource);
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var row = new JsonObject { ["cells"] = new JsonArray(printer.Cells(item, now)) };
            switch (includeObject)
            {
                case "Object":
                    row["object"] = item.DeepClone();
                    break;
                case "None":
                    break;
                default:
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = item["metadata"]?.DeepClone() ?? new JsonObject(),
                    };
                    break;
            }

            rows.Add(row);
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["columnDefinitions"] = new JsonArray(printer.Columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            }).ToArray()),
            ["rows"] = rows,
        };
    }

    /// <summary>The printer of a resource (custom resources: NAME and CREATED AT, as the real server prints CRDs without printer columns).</summary>
    public static TablePrinter PrinterFor(ResourceType resource) => resource.Plural switch
    {
        "nodes" when resource.Group.Length == 0 => CorePrinters.Nodes,
        "pods" when resource.Group.Length == 0 => CorePrinters.Pods,
        "services" when resource.Group.Length == 0 => CorePrinters.Services,
        "endpoints" when resource.Group.Length == 0 => CorePrinters.Endpoints,
        "configmaps" when resource.Group.Length == 0 => CorePrinters.ConfigMaps,
        "namespaces" when resource.Group.Length == 0 => CorePrinters.Namespaces,
        "events" when resource.Group.Length == 0 => CorePrinters.Events,
        "daemonsets" when resource.Group == "apps" => AppsPrinters.DaemonSets,
        "deployments" when resource.Group == "apps" => AppsPrinters.Deployments,
        "replicasets" when resource.Group == "apps" => AppsPrinters.ReplicaSets,
        _ => CustomResource,
    };

    internal static TableColumn NameColumn { get; } =
        new("Name", "string", "Name must be unique within a namespace. Cannot be updated.", 0, "name");

    internal static TableColumn AgeColumn { get; } =
        new("Age", "string", "CreationTimestamp is a timestamp representing the server time when this object was created.");

    internal static string Name(JsonObject o) => JsonTree.Str(o, "metadata.name") ?? string.Empty;

    internal static string Age(JsonObject o, DateTimeOffset now) => HumanDuration.Since(JsonTree.Str(o, "metadata.creationTimestamp"), now);

    /// <summary>"k=v,k2=v2" sorted by key, "&lt;none&gt;" when empty (labels.FormatLabels).</summary>
    internal static string FormatLabels(IReadOnlyDictionary<string, string> map) =>
        map.Count == 0 ? "<none>" : string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static TablePrinter CustomResource { get; } = new(
        [NameColumn, new TableColumn("Created At", "date", "CreationTimestamp is a timestamp representing the server time when this object was created.")],
        (o, _) => [Name(o), JsonTree.Str(o, "metadata.creationTimestamp")]);
}
