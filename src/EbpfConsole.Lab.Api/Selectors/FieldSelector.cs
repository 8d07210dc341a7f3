using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Api.Selectors;

/// <summary>One term of a field selector: a dotted path into the object, = or !=, a value.</summary>
public sealed record FieldRequirement(string Path, bool Equal, string Value)
{
    public bool Matches(JsonObject obj) => string.Equals(JsonTree.Text(obj, Path), Value, StringComparison.Ordinal) == Equal;
}

/// <summary>
/// A parsed field selector (<c>metadata.name=x,spec.nodeName!=node-1</c>), terms ANDed; paths are dotted
/// paths into the object (absent fields compare as ""). Malformed → 400 BadRequest.
/// </summary>
public sealed class FieldSelector
{
    private FieldSelector(IReadOnlyList<FieldRequirement> requirements) => Requirements = requirements;

    public static FieldSelector Everything { get; } = new([]);

    public IReadOnlyList<FieldRequirement> Requirements { get; }

    /// <summary>Parses <paramref name="text"/> (null or blank = everything). Backslash escapes ',', '=' and '!' in values.</summary>
    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<FieldRequirement>();
        foreach (var term in SplitTerms(text))
        {
            requirements.Add(ParseTerm(term.Trim(), text));
        }

        return new FieldSelector(requirements);
    }

    public bool Matches(JsonObject obj) => Requirements.All(r => r.Matches(obj));

    private static FieldRequirement ParseTerm(string term, string whole)
    {
        foreach (var (op, equal) in new[] { ("!=", false), ("==", true), ("=", true) })
        {
            var at = IndexOfUnescaped(term, op);
            if (at > 0)
            {
                var path = term[..at].Trim();
                var value = Unescape(term[(at + op.Length)..].Trim());
                if (path.Length == 0 || path.Any(c => char.IsWhiteSpace(c) || c is '(' or ')'))
                {
                    break;
                }

                return new FieldRequirement(path, equal, value);
            }
        }

        throw ApiException.BadRequest($"invalid selector: '{whole}'; can't understand '{term}'");
    }

    private static IEnumerable<string> SplitTerms(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == ',')
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static int IndexOfUnescaped(string term, string op)
    {
        for (var i = 0; i + op.Length <= term.Length; i++)
        {
            if (term[i] == '\\')
            {
                i++;
                continue;
            }

            if (string.CompareOrdinal(term, i, op, 0, op.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string value) =>
        value.Replace("\\,", ",", StringComparison.Ordinal).Replace("\\=", "=", StringComparison.Ordinal).Replace("\\!", "!", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
}
