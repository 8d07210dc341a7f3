using System.Globalization;

namespace EbpfConsole.Lab.Api.Protobuf.Tables;

/// <summary>
/// The message table, read once from the text tables (<see cref="MetaTable"/>, <see cref="CoreTable"/>,
/// <see cref="PodTable"/>, <see cref="AppsTable"/>). Each message is a <c>message NAME</c> line followed by one
/// line per field: <c>NUMBER jsonName TYPE [keep] [inline]</c>, where TYPE is string, bytes, bool, int32, int64,
/// intstr, quantity, time, raw, map&lt;string,string&gt;, map&lt;string,bytes&gt;, map&lt;string,quantity&gt; or a
/// message name, prefixed with [] when the field repeats. <c>keep</c> marks fields whose zero value stays in the
/// JSON (Go pointers and fields without omitempty); <c>inline</c> marks embedded structs.
/// </summary>
internal static class ProtoTable
{
    private static readonly Dictionary<string, ProtoKind> Kinds = new(StringComparer.Ordinal)
    {
        ["string"] = ProtoKind.String,
        ["bytes"] = ProtoKind.Bytes,
        ["bool"] = ProtoKind.Bool,
        ["int32"] = ProtoKind.Int32,
        ["int64"] = ProtoKind.Int64,
        ["intstr"] = ProtoKind.IntOrString,
        ["quantity"] = ProtoKind.Quantity,
        ["time"] = ProtoKind.Time,
        ["raw"] = ProtoKind.RawJson,
        ["map<string,string>"] = ProtoKind.MapOfStrings,
        ["map<string,bytes>"] = ProtoKind.MapOfBytes,
        ["map<string,quantity>"] = ProtoKind.MapOfQuantities,
    };

    /// <summary>Every message by its Go name ("v1.PodSpec").</summary>
    public static IReadOnlyDictionary<string, ProtoMessage> Messages { get; } =
        Read(MetaTable.Text, CoreTable.Text, PodTable.Text, AppsTable.Text, AuthorizationTable.Text);

    /// <summary>Parses table texts and resolves message references; a malformed table throws (a unit test reads it).</summary>
    public static Dictionary<string, ProtoMessage> Read(params string[] texts)
    {
        var fieldsByMessage = new Dictionary<string, Dictionary<int, ProtoField>>(StringComparer.Ordinal);
        Dictionary<int, ProtoField>? current = null;
        var currentName = string.Empty;
        foreach (var raw in texts.SelectMany(t => t.Split('\n')))
        {
            var parts = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            if (parts[0] == "message" && parts.Length == 2)
            {
                currentName = parts[1];
                current = [];
                if (!fieldsByMessage.TryAdd(currentName, current))
                {
                    throw new InvalidOperationException($"protobuf table: message {currentName} is defined twice");
                }

                continue;
            }

            if (current is null)
            {
                throw new InvalidOperationException($"protobuf table: field line outside a message: '{raw.Trim()}'");
            }

            var field = ParseField(currentName, parts);
            if (!current.TryAdd(field.Number, field))
            {
                throw new InvalidOperationException($"protobuf table: field {field.Number} of {currentName} is defined twice");
            }
        }

        var messages = fieldsByMessage.ToDictionary(p => p.Key, p => new ProtoMessage(p.Key, p.Value), StringComparer.Ordinal);
        foreach (var field in messages.Values.SelectMany(m => m.Fields.Values).Where(f => f.MessageName is not null))
        {
            field.Message = messages.TryGetValue(field.MessageName!, out var nested)
                ? nested
                : throw new InvalidOperationException($"protobuf table: unknown message {field.MessageName}");
        }

        return messages;
    }

    private static ProtoField ParseField(string message, string[] parts)
    {
        if (parts.Length < 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            throw new InvalidOperationException($"protobuf table: bad field line in {message}: '{string.Join(' ', parts)}'");
        }

        var flags = parts.Skip(3).ToHashSet(StringComparer.Ordinal);
        if (flags.Except(["keep", "inline"]).FirstOrDefault() is { } unknownFlag)
        {
            throw new InvalidOperationException($"protobuf table: unknown flag '{unknownFlag}' on field {number} of {message}");
        }

        var type = parts[2];
        var repeated = type.StartsWith("[]", StringComparison.Ordinal);
        if (repeated)
        {
            type = type[2..];
        }

        var isMessage = !Kinds.TryGetValue(type, out var kind);
        if (isMessage)
        {
            kind = ProtoKind.Message;
        }

        if (flags.Contains("inline") && (!isMessage || repeated))
        {
            throw new InvalidOperationException($"protobuf table: only a single message field can be inline (field {number} of {message})");
        }

        return new ProtoField(number, parts[1], kind, repeated, flags.Contains("keep"), flags.Contains("inline"), isMessage ? type : null);
    }
}
