using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EbpfConsole.Core.Migration.Preview;

/// <summary>
/// JSON as YAML-looking lines, the way <c>kubectl get -o yaml</c> shows objects: keys in the object's order,
/// two-space indentation, list items at their key's indentation, strings quoted only when a YAML reader would
/// otherwise see something else (a number, a bool, null, an indicator), multi-line strings as <c>|</c> blocks (the
/// kube-proxy ConfigMap's config.conf, M1). For reading and diffing (ObjectDiff), not for parsing back.
/// Core has no YAML package (DESIGN.md: Core has no package dependencies), and this much needs none.
/// </summary>
public static partial class JsonYaml
{
    private const string Indent = "  ";

    /// <summary>Words YAML 1.1 or 1.2 reads as bool or null.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
    };

    /// <summary>The node as lines; null is <c>null</c>.</summary>
    public static IReadOnlyList<string> Lines(JsonNode? node)
    {
        var lines = new List<string>();
        switch (node)
        {
            case JsonObject { Count: > 0 } obj:
                WriteObject(obj, "", lines);
                break;
            case JsonArray { Count: > 0 } array:
                WriteArray(array, "", lines);
                break;
            case JsonValue value when Text(value) is { } text && text.Contains('\n', StringComparison.Ordinal) && BlockSafe(text):
                lines.Add(BlockHeader(text));
                AddBlock(text, Indent, lines);
                break;
            default:
                lines.Add(Scalar(node));
                break;
        }

        return lines;
    }

    /// <summary>A scalar as YAML shows it inline: <c>null</c>, <c>true</c>, <c>6443</c>, <c>"6443"</c>, <c>{}</c>, <c>[]</c>.</summary>
    public static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue value when Text(value) is { } text => Quote(text),
        _ => node.ToJsonString(),
    };

    /// <summary><paramref name="text"/> plain when YAML reads it back as this same string, else double-quoted with JSON escapes.</summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return NeedsQuotes(text) ? DoubleQuoted(text) : text;
    }

    /// <summary>YAML's double-quoted style: backslash escapes for quotes, backslashes and control characters; other characters as they are.</summary>
    private static string DoubleQuoted(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                '\t' => quoted.Append("\\t"),
                '\r' => quoted.Append("\\r"),
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' or '\ufeff' =>
                    quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }

    private static bool NeedsQuotes(string text) =>
        Reserved.Contains(text)
        || ",[]{}#&*!|>'\"%@`".Contains(text[0], StringComparison.Ordinal)
        // "-", "?" and ":" start a plain string unless a space follows ("--config=…" stays plain, as kubectl shows it).
        || ("-?:".Contains(text[0], StringComparison.Ordinal) && (text.Length == 1 || text[1] == ' '))
        || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])
        || text.Contains(": ", StringComparison.Ordinal) || text.Contains(" #", StringComparison.Ordinal) || text.EndsWith(':')
        || text.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029' or '\ufeff')
        || LooksLikeNumberOrTime().IsMatch(text);

    /// <summary>Ints, floats, hex/octal, sexagesimal (YAML 1.1), .inf/.nan and dates: all would not read back as a string.</summary>
    [GeneratedRegex(
        @"^([-+]?[0-9][0-9_]*(:[0-5]?[0-9])*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|[-+]?\.[0-9]+([eE][-+]?[0-9]+)?|0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex LooksLikeNumberOrTime();

    private static string? Text(JsonValue value) =>
        value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>A block can hold it when no line but newlines needs escaping (tabs are fine in a block).</summary>
    private static bool BlockSafe(string text) =>
        !text.Any(c => c is not '\n' and not '\t' && (char.IsControl(c) || c is '\u2028' or '\u2029' or '\ufeff'))
        && !text.Split('\n').Any(l => l.EndsWith('\r'));

    /// <summary>"|" keeps one final newline, "|-" none, "|+" all; an indentation indicator when the first line starts with a space.</summary>
    private static string BlockHeader(string text)
    {
        var trailing = text.Length - text.TrimEnd('\n').Length;
        var chomp = trailing switch
        {
            0 => "-",
            1 => "",
            _ => "+",
        };
        var first = text.TrimStart('\n');
        var indicator = first.Length > 0 && first[0] == ' ' ? "2" : "";
        return "|" + indicator + chomp;
    }

    private static void AddBlock(string text, string indent, List<string> lines)
    {
        var body = text.EndsWith('\n') ? text[..^1] : text;
        foreach (var line in body.Split('\n'))
        {
            lines.Add(line.Length == 0 ? "" : indent + line);
        }
    }

    private static void WriteObject(JsonObject obj, string indent, List<string> lines, string? firstPrefix = null)
    {
        var first = true;
        foreach (var (key, value) in obj)
        {
            var prefix = first && firstPrefix is not null ? firstPrefix : indent;
            first = false;
            WriteEntry(prefix + Quote(key) + ":", value, indent, lines);
        }
    }

    /// <summary>One "key:" (or "- ") followed by its value, inline or on the lines below.</summary>
    private static void WriteEntry(string head, JsonNode? value, string indent, List<string> lines)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 } child:
                lines.Add(head);
                WriteObject(child, indent + Indent, lines);
                break;
            case JsonArray { Count: > 0 } items:
                lines.Add(head);
                // kubectl's style: list items at the key's indentation.
                WriteArray(items, indent, lines);
                break;
            case JsonValue scalar when Text(scalar) is { } text && text.Contains('\n', StringComparison.Ordinal) && BlockSafe(text):
                lines.Add($"{head} {BlockHeader(text)}");
                AddBlock(text, indent + Indent, lines);
                break;
            default:
                lines.Add($"{head} {Scalar(value)}");
                break;
        }
    }

    private static void WriteArray(JsonArray array, string indent, List<string> lines)
    {
        foreach (var item in array)
        {
            switch (item)
            {
                case JsonObject { Count: > 0 } obj:
                    // The first key on the dash's line, the others under it.
                    WriteObject(obj, indent + Indent, lines, indent + "- ");
                    break;
                case JsonArray { Count: > 0 } nested:
                    lines.Add(indent + "-");
                    WriteArray(nested, indent + Indent, lines);
                    break;
                default:
                    // A scalar after the dash; a multi-line string as "- |" with its block under the item.
                    WriteEntry(indent + "-", item, indent, lines);
                    break;
            }
        }
    }
}
