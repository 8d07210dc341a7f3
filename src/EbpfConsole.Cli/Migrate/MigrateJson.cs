using System.Text.Json;
using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration;

namespace EbpfConsole.Cli.Migrate;

/// <summary>`migrate plan|status --json`: {cluster, journal, interrupted, steps:[{id, title, state, reason, why, changesDatapath, changes:[{summary, equivalent}]}]}.</summary>
internal static class MigrateJson
{
    public static string Status(MigrationEngine engine, IReadOnlyList<StepStatus> statuses, IReadOnlyDictionary<StepId, StepPreview> previews)
    {
        var t = engine.Target;
        var json = new JsonObject
        {
            ["cluster"] = new JsonObject
            {
                ["context"] = t.Context,
                ["server"] = t.Server,
                ["install"] = t.Install == InstallKind.Operator ? "operator" : "manifest",
                ["calicoVersion"] = t.CalicoVersion,
                ["calicoNamespace"] = t.CalicoNamespace,
                ["felixApi"] = t.FelixDefault.ApiVersion,
                ["kubeProxy"] = t.KubeProxyMode,
                ["endpoint"] = t.Endpoint is { } e ? $"{e.Host}:{e.Port}" : null,
            },
            ["journal"] = engine.JournalLocation,
            ["readOnly"] = engine.Options.ReadOnly,
            ["interrupted"] = engine.Journal.Interrupted is { } i
                ? new JsonObject { ["step"] = i.Step.ToString(), ["op"] = i.Op.ToString().ToLowerInvariant(), ["since"] = i.Since.ToString("O") }
                : null,
            ["steps"] = new JsonArray(statuses.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Step.Id.ToString(),
                ["title"] = s.Step.Title,
                ["state"] = s.State.ToName(),
                ["reason"] = s.Reason,
                ["why"] = s.Step.Why,
                ["changesDatapath"] = s.Step.ChangesDatapath,
                ["changes"] = previews.TryGetValue(s.Step.Id, out var p)
                    ? new JsonArray(p.Changes.Select(c => (JsonNode)new JsonObject { ["summary"] = c.Summary, ["equivalent"] = c.Equivalent }).ToArray())
                    : null,
            }).ToArray()),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
