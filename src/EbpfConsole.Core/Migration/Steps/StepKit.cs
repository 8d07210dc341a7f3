using System.Globalization;
using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Migration.Journal;
using EbpfConsole.Core.Preflight.Rules;

namespace EbpfConsole.Core.Migration.Steps;

/// <summary>What the steps share: previews of object changes, JSON reads, journal times.</summary>
internal static class StepKit
{
    public const string KubeSystem = "kube-system";
    public const string KubeProxySelector = "k8s-app=kube-proxy";
    public const string CalicoNodeSelector = "k8s-app=calico-node";
    public const string FelixConfigurationKind = "FelixConfiguration";

    public static StepPreview Preview(StepContext ctx, StepId step, IReadOnlyList<PlannedChange> changes, IReadOnlyList<string> notes) =>
        new(step, changes, notes, ctx.Time.GetUtcNow());

    /// <summary>A patch of the live object; After is predicted with <see cref="MergePatch"/> (also right for map-only strategic patches).</summary>
    public static ObjectChange Patch(ObjectRef target, JsonObject live, PatchKind kind, JsonObject patch) =>
        new(target, ObjectChangeKind.Patch, patch, kind, (JsonObject)live.DeepClone(), MergePatch.Apply(live, patch));

    /// <summary>Create <paramref name="body"/> (the full object) where nothing exists now.</summary>
    public static ObjectChange Create(ObjectRef target, JsonObject body) =>
        new(target, ObjectChangeKind.Create, body, null, null, (JsonObject)body.DeepClone());

    /// <summary>The skeleton of a new object: apiVersion, kind, metadata name (and namespace).</summary>
    public static JsonObject NewObject(ObjectRef target)
    {
        var metadata = new JsonObject { ["name"] = target.Name };
        if (target.Namespace is not null)
        {
            metadata["namespace"] = target.Namespace;
        }

        return new JsonObject { ["apiVersion"] = target.ApiVersion, ["kind"] = target.Kind, ["metadata"] = metadata };
    }

    /// <summary>
    /// Patch the object at <paramref name="target"/> with <paramref name="spec"/> ({"spec": …}), or create it with that
    /// spec when it does not exist (FelixConfiguration default is absent on some fresh installs).
    /// </summary>
    public static ObjectChange PatchOrCreate(ObjectRef target, JsonObject? live, JsonObject spec)
    {
        if (live is not null)
        {
            return Patch(target, live, PatchKind.Merge, spec);
        }

        var body = NewObject(target);
        foreach (var (key, value) in spec)
        {
            body[key] = value?.DeepClone();
        }

        return Create(target, body);
    }

    public static string? Text(JsonNode? node, string path) => ApiJson.Text(node, path);

    public static string Name(JsonNode? node) => ApiJson.Name(node);

    /// <summary>metadata.creationTimestamp, or null.</summary>
    public static DateTimeOffset? Created(JsonNode? obj) => Time(Text(obj, "metadata.creationTimestamp"));

    public static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    /// <summary>API timestamps have whole seconds: compare against the start of the second.</summary>
    public static DateTimeOffset FloorToSecond(DateTimeOffset at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), at.Offset);

    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// When the step's last real (not dry-run) <paramref name="op"/> began, from the journal; else, for apply, when it ended.
    /// Pods restarted and log lines written by that operation are newer than this.
    /// </summary>
    public static DateTimeOffset? BegunAt(StepContext ctx, StepId step, JournalOp op = JournalOp.Apply)
    {
        var begin = ctx.Journal.Entries.LastOrDefault(e => e.Type == JournalEntryType.StepBegin && e.Step == step && e.Op == op && !e.DryRun);
        return begin?.At ?? (op == JournalOp.Apply ? ctx.AppliedAt(step) : null);
    }

    /// <summary>Both a boolean true and the string "true" (crd.projectcalico.org objects written by hand).</summary>
    public static bool? Bool(JsonNode? node, string path) => Text(node, path)?.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    public static string Plural(int count, string one, string many) => count == 1 ? one : many;
}
