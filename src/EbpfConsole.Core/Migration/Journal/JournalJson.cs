using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Core.Migration.Journal;

/// <summary>One <see cref="JournalEntry"/> ↔ one JSON line. Written by hand so the format is stable and readable with jq.</summary>
public static class JournalJson
{
    public static string ToLine(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var json = new JsonObject
        {
            ["seq"] = entry.Seq,
            ["at"] = entry.At.ToString("O", CultureInfo.InvariantCulture),
            ["type"] = Name(entry.Type),
        };
        Add(json, "step", entry.Step?.ToString());
        Add(json, "op", entry.Op?.ToString().ToLowerInvariant());
        if (entry.Target is { } t)
        {
            json["object"] = new JsonObject
            {
                ["apiVersion"] = t.ApiVersion,
                ["resource"] = t.Resource,
                ["namespace"] = t.Namespace,
                ["name"] = t.Name,
                ["kind"] = t.Kind,
            };
        }

        Add(json, "change", entry.Change);
        if (entry.Type is JournalEntryType.MutationBegin or JournalEntryType.Snapshot)
        {
            json["before"] = entry.Before?.DeepClone();
        }

        AddNode(json, "body", entry.Body);
        AddNode(json, "after", entry.After);
        Add(json, "outcome", entry.Outcome);
        Add(json, "message", entry.Message);
        if (entry.DryRun)
        {
            json["dryRun"] = true;
        }

        Add(json, "force", entry.Force);
        if (entry.Lines is { Count: > 0 } lines)
        {
            json["lines"] = new JsonArray(lines.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray());
        }

        return json.ToJsonString();
    }

    /// <summary>Parses one line; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static JournalEntry FromLine(string line)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(line) as JsonObject ?? throw new FormatException("not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not JSON ({ex.Message})", ex);
        }

        var type = Enum.GetValues<JournalEntryType>().FirstOrDefault(t => Name(t) == Str(json, "type"), (JournalEntryType)(-1));
        if (!Enum.IsDefined(type))
        {
            throw new FormatException($"unknown entry type '{Str(json, "type")}'");
        }

        if (json["seq"] is not JsonValue seq || !seq.TryGetValue(out long seqValue)
            || !DateTimeOffset.TryParse(Str(json, "at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
        {
            throw new FormatException("seq or at missing");
        }

        ObjectRef? target = null;
        if (json["object"] is JsonObject o)
        {
            target = new ObjectRef(Str(o, "apiVersion") ?? "", Str(o, "resource") ?? "", Str(o, "namespace"), Str(o, "name") ?? "", Str(o, "kind") ?? "");
        }

        return new JournalEntry
        {
            Seq = seqValue,
            At = at,
            Type = type,
            Step = StepIds.TryParse(Str(json, "step"), out var step) ? step : null,
            Op = Str(json, "op") switch { "apply" => JournalOp.Apply, "rollback" => JournalOp.Rollback, _ => null },
            Target = target,
            Change = Str(json, "change"),
            Before = json["before"] as JsonObject is { } before ? (JsonObject)before.DeepClone() : null,
            Body = json["body"] as JsonObject is { } body ? (JsonObject)body.DeepClone() : null,
            After = json["after"] as JsonObject is { } after ? (JsonObject)after.DeepClone() : null,
            Outcome = Str(json, "outcome"),
            Message = Str(json, "message"),
            DryRun = json["dryRun"] is JsonValue d && d.TryGetValue(out bool dry) && dry,
            Force = Str(json, "force"),
            Lines = json["lines"] is JsonArray lines ? lines.Select(l => l?.ToString() ?? "").ToList() : null,
        };
    }

    public static string Name(JournalEntryType type) => type switch
    {
        JournalEntryType.Session => "session",
        JournalEntryType.Snapshot => "snapshot",
        JournalEntryType.Check => "check",
        JournalEntryType.StepBegin => "step-begin",
        JournalEntryType.MutationBegin => "mutation-begin",
        JournalEntryType.MutationDone => "mutation-done",
        JournalEntryType.MutationFailed => "mutation-failed",
        JournalEntryType.StepEnd => "step-end",
        JournalEntryType.Verify => "verify",
        JournalEntryType.Proof => "proof",
        _ => "unknown",
    };

    private static void Add(JsonObject json, string key, string? value)
    {
        if (value is not null)
        {
            json[key] = value;
        }
    }

    private static void AddNode(JsonObject json, string key, JsonObject? value)
    {
        if (value is not null)
        {
            json[key] = value.DeepClone();
        }
    }

    private static string? Str(JsonObject json, string key) =>
        json[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
