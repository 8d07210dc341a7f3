using System.Text.Json.Nodes;

namespace EbpfConsole.Core.Migration.Preview;

/// <summary>
/// What a change does to an object, as a unified-style diff of the two YAML renderings (<see cref="JsonYaml"/>) after
/// <see cref="ObjectContent.Strip"/> (the server's fields would only be noise): lines prefixed "  " (kept), "- " (gone),
/// "+ " (new), <see cref="Context"/> kept lines around each change, "  …" where kept lines are left out, "(absent)"
/// for a side that does not exist. The diff is a hand-written longest common subsequence over lines: Core has no package
/// dependencies (DESIGN.md), the BCL has no diff, and the objects are small (their common head and tail are cut first).
/// </summary>
public static class ObjectDiff
{
    /// <summary>Kept lines shown before and after each change.</summary>
    public const int Context = 3;

    /// <summary>The line that stands for kept lines left out.</summary>
    public const string Elided = "  …";

    /// <summary>The line for a side that does not exist.</summary>
    public const string Absent = "(absent)";

    /// <summary>Shown when both sides have the same content.</summary>
    public const string Unchanged = "  (no change)";

    /// <summary>Above this many lines × lines (after the common head and tail) the middle is shown as all gone, all new.</summary>
    private const long MaxCells = 4_000_000;

    /// <summary>The diff from <paramref name="before"/> to <paramref name="after"/>; null stands for an object that does not exist.</summary>
    public static IReadOnlyList<string> Lines(JsonObject? before, JsonObject? after)
    {
        var old = ObjectContent.Strip(before);
        var now = ObjectContent.Strip(after);
        if (old is null && now is null)
        {
            return ["  " + Absent];
        }

        if (JsonNode.DeepEquals(old, now))
        {
            return [Unchanged];
        }

        if (old is null)
        {
            return ["- " + Absent, .. JsonYaml.Lines(now).Select(l => "+ " + l)];
        }

        if (now is null)
        {
            return [.. JsonYaml.Lines(old).Select(l => "- " + l), "+ " + Absent];
        }

        return Hunks(Edits(JsonYaml.Lines(old), JsonYaml.Lines(now)));
    }

    /// <summary>A line diff of two texts (each a list of lines), as unified-style lines with context.</summary>
    public static IReadOnlyList<string> Text(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var edits = Edits(before, after);
        return edits.All(e => e.Op == ' ') ? [Unchanged] : Hunks(edits);
    }

    /// <summary>Every line of both sides in order, marked ' ' (kept), '-' or '+'.</summary>
    private static List<(char Op, string Line)> Edits(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var head = 0;
        while (head < a.Count && head < b.Count && a[head] == b[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < a.Count - head && tail < b.Count - head && a[a.Count - 1 - tail] == b[b.Count - 1 - tail])
        {
            tail++;
        }

        var edits = new List<(char, string)>(a.Count + b.Count);
        edits.AddRange(a.Take(head).Select(l => (' ', l)));
        Middle(a.Skip(head).Take(a.Count - head - tail).ToArray(), b.Skip(head).Take(b.Count - head - tail).ToArray(), edits);
        edits.AddRange(a.Skip(a.Count - tail).Select(l => (' ', l)));
        return edits;
    }

    /// <summary>LCS by dynamic programming over the lines that differ; removals before additions at each point.</summary>
    private static void Middle(string[] a, string[] b, List<(char, string)> edits)
    {
        if ((long)a.Length * b.Length > MaxCells)
        {
            edits.AddRange(a.Select(l => ('-', l)));
            edits.AddRange(b.Select(l => ('+', l)));
            return;
        }

        // lcs[i, j] = length of the longest common subsequence of a[i..] and b[j..].
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                edits.Add((' ', a[x++]));
                y++;
            }
            else if (y >= b.Length || (x < a.Length && lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                edits.Add(('-', a[x++]));
            }
            else
            {
                edits.Add(('+', b[y++]));
            }
        }
    }

    /// <summary>The changed lines with <see cref="Context"/> kept lines around them; "  …" for what is left out.</summary>
    private static List<string> Hunks(List<(char Op, string Line)> edits)
    {
        var show = new bool[edits.Count];
        for (var i = 0; i < edits.Count; i++)
        {
            if (edits[i].Op == ' ')
            {
                continue;
            }

            for (var k = Math.Max(0, i - Context); k <= Math.Min(edits.Count - 1, i + Context); k++)
            {
                show[k] = true;
            }
        }

        var lines = new List<string>();
        var skipped = false;
        for (var i = 0; i < edits.Count; i++)
        {
            if (!show[i])
            {
                skipped = true;
                continue;
            }

            if (skipped)
            {
                lines.Add(Elided);
                skipped = false;
            }

            lines.Add($"{edits[i].Op} {edits[i].Line}");
        }

        if (skipped)
        {
            lines.Add(Elided);
        }

        return lines;
    }
}
