using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EbpfConsole.Lab.Api.Selectors;

/// <summary>The operators of a label selector requirement.</summary>
public enum LabelOperator
{
    /// <summary><c>a=b</c> or <c>a==b</c>.</summary>
    Equals,

    /// <summary><c>a!=b</c> (also true when the label is absent).</summary>
    NotEquals,

    /// <summary><c>a in (x,y)</c>.</summary>
    In,

    /// <summary><c>a notin (x,y)</c> (also true when the label is absent).</summary>
    NotIn,

    /// <summary><c>a</c>: the label is present.</summary>
    Exists,

    /// <summary><c>!a</c>: the label is absent.</summary>
    DoesNotExist,
}

/// <summary>One requirement of a label selector.</summary>
public sealed record LabelRequirement(string Key, LabelOperator Operator, IReadOnlyList<string> Values)
{
    /// <summary>True when <paramref name="labels"/> satisfy this requirement.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            LabelOperator.Equals or LabelOperator.In => has && Values.Contains(value!, StringComparer.Ordinal),
            LabelOperator.NotEquals or LabelOperator.NotIn => !has || !Values.Contains(value!, StringComparer.Ordinal),
            LabelOperator.Exists => has,
            _ => !has,
        };
    }
}

/// <summary>
/// A parsed label selector (<c>a=b,c!=d,e in (x,y),f notin (z),g,!h</c>): requirements ANDed, as
/// k8s.io/apimachinery/pkg/labels parses them. Malformed text → 400 BadRequest "unable to parse requirement: …".
/// </summary>
public sealed partial class LabelSelector
{
    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => Requirements = requirements;

    /// <summary>The selector that matches everything.</summary>
    public static LabelSelector Everything { get; } = new([]);

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>Parses <paramref name="text"/> (null or blank = everything).</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<LabelRequirement>();
        var reader = new SelectorReader(text);
        while (true)
        {
            requirements.Add(ParseRequirement(reader));
            reader.SkipSpaces();
            if (reader.AtEnd)
            {
                break;
            }

            if (!reader.TryConsume(","))
            {
                throw Error($"found '{reader.Rest}', expected: ',' or 'end of string'");
            }
        }

        return new LabelSelector(requirements);
    }

    /// <summary>True when the object's metadata.labels satisfy every requirement.</summary>
    public bool Matches(JsonObject obj) => Matches(JsonTree.StringMap(obj, "metadata.labels"));

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Requirements.All(r => r.Matches(labels));

    public override string ToString() => string.Join(",", Requirements.Select(r => r.Operator switch
    {
        LabelOperator.Equals => $"{r.Key}={r.Values[0]}",
        LabelOperator.NotEquals => $"{r.Key}!={r.Values[0]}",
        LabelOperator.In => $"{r.Key} in ({string.Join(",", r.Values)})",
        LabelOperator.NotIn => $"{r.Key} notin ({string.Join(",", r.Values)})",
        LabelOperator.Exists => r.Key,
        _ => "!" + r.Key,
    }));

    internal static ApiException Error(string detail) => ApiException.BadRequest("unable to parse requirement: " + detail);

    private static LabelRequirement ParseRequirement(SelectorReader reader)
    {
        reader.SkipSpaces();
        if (reader.TryConsume("!"))
        {
            var negated = ValidKey(reader.ReadWord());
            return new LabelRequirement(negated, LabelOperator.DoesNotExist, []);
        }

        var key = ValidKey(reader.ReadWord());
        reader.SkipSpaces();
        if (reader.AtEnd || reader.Peek == ',')
        {
            return new LabelRequirement(key, LabelOperator.Exists, []);
        }

        if (reader.TryConsume("==") || reader.TryConsume("="))
        {
            return new LabelRequirement(key, LabelOperator.Equals, [ValidValue(reader.ReadWord(allowEmpty: true))]);
        }

        if (reader.TryConsume("!="))
        {
            return new LabelRequirement(key, LabelOperator.NotEquals, [ValidValue(reader.ReadWord(allowEmpty: true))]);
        }

        var op = reader.ReadWord(allowEmpty: true);
        var setOp = op switch
        {
            "in" => LabelOperator.In,
            "notin" => LabelOperator.NotIn,
            _ => throw Error($"found '{op}', expected: in, notin, =, ==, !=, gt, lt"),
        };
        reader.SkipSpaces();
        if (!reader.TryConsume("("))
        {
            throw Error($"found '{reader.Rest}', expected: '('");
        }

        var values = new List<string>();
        while (true)
        {
            values.Add(ValidValue(reader.ReadWord(allowEmpty: true)));
            reader.SkipSpaces();
            if (reader.TryConsume(")"))
            {
                break;
            }

            if (!reader.TryConsume(","))
            {
                throw Error($"found '{reader.Rest}', expected: ',' or ')'");
            }
        }

        return new LabelRequirement(key, setOp, values);
    }

    private static string ValidKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        var prefix = slash < 0 ? null : key[..slash];
        if (key.Length == 0)
        {
            throw Error("found '', expected: identifier");
        }

        if (name.Length > 63 || !NamePart().IsMatch(name) || (prefix is not null && (prefix.Length > 253 || !DnsSubdomain().IsMatch(prefix))))
        {
            throw Error($"invalid label key \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }

        return key;
    }

    private static string ValidValue(string value)
    {
        if (value.Length > 63 || (value.Length > 0 && !NamePart().IsMatch(value)))
        {
            throw Error($"invalid label value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }

        return value;
    }

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex NamePart();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
