using System.Globalization;
using System.Text.Json.Nodes;
using static EbpfConsole.Lab.Api.Tables;

namespace EbpfConsole.Lab.Api;

/// <summary>The apps/v1 printers (kubernetes pkg/printers/internalversion/printers.go, 1.32).</summary>
internal static class AppsPrinters
{
    private static readonly TableColumn Containers = new("Containers", "string", "Names of each container in the template.", 1);
    private static readonly TableColumn Images = new("Images", "string", "Images referenced by each container in the template.", 1);
    private static readonly TableColumn Selector = new("Selector", "string", "Label selector for pods.", 1);

    public static TablePrinter DaemonSets { get; } = new(
        [
            NameColumn,
            new("Desired", "integer", "The total number of nodes that should be running the daemon pod."),
            new("Current", "integer", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
            new("Ready", "integer", "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."),
            new("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod"),
            new("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
            new("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node."),
            AgeColumn, Containers, Images, Selector,
        ],
        (o, now) =>
        [
            Name(o), Count(o, "status.desiredNumberScheduled"), Count(o, "status.currentNumberScheduled"), Count(o, "status.numberReady"),
            Count(o, "status.updatedNumberScheduled"), Count(o, "status.numberAvailable"),
            FormatLabels(JsonTree.StringMap(o, "spec.template.spec.nodeSelector")), Age(o, now),
            ContainerNames(o), ContainerImages(o), FormatSelector(o),
        ]);

    public static TablePrinter Deployments { get; } = new(
        [
            NameColumn,
            new("Ready", "string", "Number of the pod with ready state"),
            new("Up-to-date", "integer", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
            new("Available", "integer", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
            AgeColumn, Containers, Images, Selector,
        ],
        (o, now) =>
        [
            Name(o), string.Create(CultureInfo.InvariantCulture, $"{Count(o, "status.readyReplicas")}/{JsonTree.Number(o, "spec.replicas") ?? 1}"),
            Count(o, "status.updatedReplicas"), Count(o, "status.availableReplicas"), Age(o, now),
            ContainerNames(o), ContainerImages(o), FormatSelector(o),
        ]);

    public static TablePrinter ReplicaSets { get; } = new(
        [
            NameColumn,
            new("Desired", "integer", "Replicas is the number of desired replicas."),
            new("Current", "integer", "Replicas is the most recently observed number of replicas."),
            new("Ready", "integer", "The number of ready replicas for this replica set."),
            AgeColumn, Containers, Images, Selector,
        ],
        (o, now) =>
        [
            Name(o), JsonTree.Number(o, "spec.replicas") ?? 1, Count(o, "status.replicas"), Count(o, "status.readyReplicas"), Age(o, now),
            ContainerNames(o), ContainerImages(o), FormatSelector(o),
        ]);

    private static long Count(JsonObject o, string path) => JsonTree.Number(o, path) ?? 0;

    private static string ContainerNames(JsonObject o) =>
        string.Join(",", JsonTree.Items(o, "spec.template.spec.containers").Select(c => JsonTree.Str(c, "name")));

    private static string ContainerImages(JsonObject o) =>
        string.Join(",", JsonTree.Items(o, "spec.template.spec.containers").Select(c => JsonTree.Str(c, "image")));

    /// <summary>metav1.FormatLabelSelector: matchLabels as k=v, matchExpressions as "k in (a,b)", "&lt;none&gt;" when empty.</summary>
    internal static string FormatSelector(JsonObject o)
    {
        var parts = JsonTree.StringMap(o, "spec.selector.matchLabels").Select(p => $"{p.Key}={p.Value}").ToList();
        foreach (var e in JsonTree.Items(o, "spec.selector.matchExpressions"))
        {
            var key = JsonTree.Str(e, "key");
            var values = string.Join(",", JsonTree.Items(e, "values").Select(JsonTree.Scalar));
            parts.Add(JsonTree.Str(e, "operator") switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key!,
                "DoesNotExist" => "!" + key,
                var op => $"{key} {op} ({values})",
            });
        }

        return parts.Count == 0 ? "<none>" : string.Join(",", parts);
    }
}
