using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.ApiServer;

/// <summary>
/// A tiny YAML reader for request bodies sent as application/yaml: one document of block mappings and
/// sequences, plain and quoted scalars, literal/folded block scalars and simple flow collections
/// (<c>{}</c>, <c>[a, b]</c>, <c>{k: v}</c>). No anchors, tags or multi-line plain scalars: those are a
/// <see cref="FormatException"/> naming the line. (kubectl itself always sends JSON.)
/// </summary>
internal sealed class BlockYaml
{
    private readonly List<(int Number, int Indent, string Text)> _lines = [];
    private readonly string[] _raw;
    private int _index;

    private BlockYaml(string text)
    {
        _raw = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < _raw.Length; i++)
        {
            var line = StripComment(_raw[i]).TrimEnd();
            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (line.Contains('\t', StringComparison.Ordinal) && line.TrimStart(' ').StartsWith('\t'))
            {
                throw new FormatException($"line {i + 1}: tabs are not allowed for indentation");
            }

            if (line is "---" || line.StartsWith("--- ", StringComparison.Ordinal) || line == "...")
            {
                if (_lines.Count > 0 && line != "...")
                {
                    throw new FormatException($"line {i + 1}: only one YAML document is allowed per request");
                }

                continue;
            }

            var indent = line.Length - line.TrimStart(' ').Length;
            _lines.Add((i + 1, indent, line.Trim()));
        }
    }

    public static JsonNode? Parse(string text)
    {
        var reader = new BlockYaml(text);
        if (reader._lines.Count == 0)
        {
            return null;
        }

        var node = reader.ParseBlock(reader._lines[0].Indent);
        if (reader._index < reader._lines.Count)
        {
            throw new FormatException($"line {reader._lines[reader._index].Number}: unexpected indentation");
        }

        return node;
    }

    private JsonNode? ParseBlock(int indent)
    {
        var first = _lines[_index];
        return IsSequenceItem(first.Text) ? ParseSequence(indent) : ParseMapping(indent);
    }

    private JsonArray ParseSequence(int indent)
    {
        var array = new JsonArray();
        while (_index < _lines.Count && _lines[_index].Indent == indent && IsSequenceItem(_lines[_index].Text))
        {
            var (number, _, text) = _lines[_index];
            var rest = text.Length == 1 ? string.Empty : text[2..].TrimStart();
            if (rest.Length == 0)
            {
                _index++;
                array.Add(ChildOrNull(indent));
                continue;
            }

            var restIndent = indent + text.Length - rest.Length;
            if (IsSequenceItem(rest) || SplitKey(rest, number) is not null)
            {
                _lines[_index] = (number, restIndent, rest);
                array.Add(ParseBlock(restIndent));
                continue;
            }

            _index++;
            array.Add(Value(rest, number, indent));
        }

        return array;
    }

    private JsonObject ParseMapping(int indent)
    {
        var obj = new JsonObject();
        while (_index < _lines.Count && _lines[_index].Indent == indent)
        {
            var (number, _, text) = _lines[_index];
            var (key, value) = SplitKey(text, number) ?? throw new FormatException($"line {number}: expected \"key: value\"");
            if (obj.ContainsKey(key))
            {
                throw new FormatException($"line {number}: duplicate key \"{key}\"");
            }

            _index++;
            if (value.Length == 0)
            {
                var sameIndentSequence = _index < _lines.Count && _lines[_index].Indent == indent && IsSequenceItem(_lines[_index].Text);
                obj[key] = sameIndentSequence ? ParseSequence(indent) : ChildOrNull(indent);
            }
            else
            {
                obj[key] = Value(value, number, indent);
            }
        }

        if (_index < _lines.Count && _lines[_index].Indent > indent)
        {
            throw new FormatException($"line {_lines[_index].Number}: unexpected indentation");
        }

        return obj;
    }

    private JsonNode? ChildOrNull(int indent) =>
        _index < _lines.Count && _lines[_index].Indent > indent ? ParseBlock(_lines[_index].Indent) : null;

    private JsonNode? Value(string text, int number, int indent)
    {
        if (text[0] is '|' or '>')
        {
            return BlockScalar(text, number, indent);
        }

        if (text[0] is '&' or '*' or '!')
        {
            throw new FormatException($"line {number}: anchors, aliases and tags are not supported");
        }

        var position = 0;
        var node = Flow(text, ref position, number);
        if (position != text.Length)
        {
            throw new FormatException($"line {number}: unexpected text after a value: \"{text[position..]}\"");
        }

        return node;
    }

    private JsonValue BlockScalar(string header, int number, int indent)
    {
        var literal = header[0] == '|';
        var chomp = header.Length > 1 ? header[1] : ' ';
        var lines = new List<string>();
        var contentIndent = -1;
        var raw = number; // 1-based index of the header; block lines follow in the raw text (blank lines kept)
        while (raw < _raw.Length)
        {
            var line = _raw[raw].TrimEnd();
            var lineIndent = line.Length - line.TrimStart(' ').Length;
            if (line.Trim().Length > 0 && lineIndent <= indent)
            {
                break;
            }

            if (line.Trim().Length > 0 && contentIndent < 0)
            {
                contentIndent = lineIndent;
            }

            lines.Add(line.Trim().Length == 0 ? string.Empty : line[Math.Min(Math.Max(contentIndent, 0), line.Length)..]);
            raw++;
        }

        while (_index < _lines.Count && _lines[_index].Number <= raw)
        {
            _index++;
        }

        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var body = literal ? string.Join('\n', lines) : string.Join(' ', lines);
        return JsonValue.Create(chomp == '-' || lines.Count == 0 ? body : body + "\n");
    }

    private static JsonNode? Flow(string text, ref int position, int number)
    {
        SkipSpaces(text, ref position);
        if (position >= text.Length)
        {
            return null;
        }

        switch (text[position])
        {
            case '[':
                var array = new JsonArray();
                position++;
                while (true)
                {
                    SkipSpaces(text, ref position);
                    if (Expect(text, ref position, ']', number))
                    {
                        return array;
                    }

                    array.Add(Flow(text, ref position, number));
                    SkipSpaces(text, ref position);
                    if (Expect(text, ref position, ']', number))
                    {
                        return array;
                    }

                    Separator(text, ref position, number);
                }

            case '{':
                var obj = new JsonObject();
                position++;
                while (true)
                {
                    SkipSpaces(text, ref position);
                    if (Expect(text, ref position, '}', number))
                    {
                        return obj;
                    }

                    var key = Scalar(text, ref position, number, inFlow: true, isKey: true)?.ToString()
                        ?? throw new FormatException($"line {number}: a mapping key is missing");
                    SkipSpaces(text, ref position);
                    if (!Expect(text, ref position, ':', number))
                    {
                        throw new FormatException($"line {number}: expected ':' after \"{key}\"");
                    }

                    obj[key] = Flow(text, ref position, number);
                    SkipSpaces(text, ref position);
                    if (Expect(text, ref position, '}', number))
                    {
                        return obj;
                    }

                    Separator(text, ref position, number);
                }

            default:
                return Scalar(text, ref position, number, inFlow: position > 0, isKey: false);
        }
    }

    private static JsonValue? Scalar(string text, ref int position, int number, bool inFlow, bool isKey)
    {
        var quote = text[position];
        if (quote is '"' or '\'')
        {
            var end = position + 1;
            var value = new StringBuilder();
            while (true)
            {
                if (end >= text.Length)
                {
                    throw new FormatException($"line {number}: unterminated quoted string");
                }

                if (text[end] == quote)
                {
                    if (quote == '\'' && end + 1 < text.Length && text[end + 1] == '\'')
                    {
                        value.Append('\'');
                        end += 2;
                        continue;
                    }

                    break;
                }

                if (quote == '"' && text[end] == '\\' && end + 1 < text.Length)
                {
                    value.Append(text, end, 2);
                    end += 2;
                    continue;
                }

                value.Append(text[end]);
                end++;
            }

            position = end + 1;
            return quote == '\'' ? JsonValue.Create(value.ToString()) : JsonValue.Create(Unescape(value.ToString(), number));
        }

        var start = position;
        while (position < text.Length && !(inFlow && text[position] is ',' or ']' or '}') && !(isKey && text[position] == ':'))
        {
            position++;
        }

        return Plain(text[start..position].Trim());
    }

    private static JsonValue? Plain(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (text.Any(char.IsDigit) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }

    private static string Unescape(string body, int number)
    {
        try
        {
            return JsonSerializer.Deserialize<string>($"\"{body}\"") ?? string.Empty;
        }
        catch (JsonException)
        {
            throw new FormatException($"line {number}: unsupported escape in a double-quoted string");
        }
    }

    private static (string Key, string Value)? SplitKey(string text, int number)
    {
        if (text[0] is '"' or '\'')
        {
            var position = 0;
            var key = Scalar(text, ref position, number, inFlow: false, isKey: true)?.ToString() ?? string.Empty;
            var rest = text[position..].TrimStart();
            return rest.StartsWith(':') && (rest.Length == 1 || rest[1] == ' ') ? (key, rest[1..].Trim()) : null;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == ':' && (i + 1 == text.Length || text[i + 1] == ' '))
            {
                return (text[..i].Trim(), text[(i + 1)..].Trim());
            }

            if (text[i] is '{' or '[' or '"' or '\'')
            {
                return null;
            }
        }

        return null;
    }

    private static void Separator(string text, ref int position, int number)
    {
        if (!Expect(text, ref position, ',', number))
        {
            throw new FormatException($"line {number}: expected ',' in a flow collection at \"{text[position..]}\"");
        }
    }

    private static bool IsSequenceItem(string text) => text == "-" || text.StartsWith("- ", StringComparison.Ordinal);

    private static bool Expect(string text, ref int position, char c, int number)
    {
        if (position < text.Length && text[position] == c)
        {
            position++;
            return true;
        }

        if (position >= text.Length)
        {
            throw new FormatException($"line {number}: unterminated flow collection");
        }

        return false;
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && text[position] == ' ')
        {
            position++;
        }
    }

    private static string StripComment(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'' && (i == 0 || line[i - 1] is ' ' or ':' or '[' or '{' or ',' or '-'))
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || line[i - 1] == ' '))
            {
                return line[..i];
            }
        }

        return line;
    }
}
