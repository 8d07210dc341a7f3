using System.Text;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Tui.Presenters;

/// <summary>One row of a comparison: a label and one value per pinned snapshot.</summary>
public sealed record ComparisonRow(string Label, IReadOnlyList<string> Values);

/// <summary>
/// Pinned snapshots side by side (pure): one column per snapshot, rows for the verdict, what the pod saw,
/// how the reply travelled, tunnel, connections, packets and the evidence.
/// </summary>
public static class ComparisonPresenter
{
    /// <summary>At most this many snapshots side by side; more would not be readable at 80 columns.</summary>
    public const int MaxColumns = 3;

    private const string Gap = " │ ";

    /// <summary>The last <see cref="MaxColumns"/> pins (the most recent are the ones being compared).</summary>
    public static IReadOnlyList<CaptureSnapshot> Chosen(IReadOnlyList<CaptureSnapshot> pinned)
    {
        ArgumentNullException.ThrowIfNull(pinned);
        return [.. pinned.Skip(Math.Max(0, pinned.Count - MaxColumns))];
    }

    public static IReadOnlyList<ComparisonRow> Rows(IReadOnlyList<CaptureSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        return
        [
            Row("", snapshots, s => s.Name ?? "(current)"),
            Row("verdict", snapshots, s => CapturePresenter.Verdict(s.Classification.Verdict)),
            Row("pod saw", snapshots, s => Tally(s.Connections.Select(c => ConnectionPresenter.PodSaw(c.PodSaw)))),
            Row("reply", snapshots, s => Tally(s.Connections.Select(c => ConnectionPresenter.ReplyPath(c.ReplyPath)))),
            Row("tunnel", snapshots, Tunnel),
            Row("connections", snapshots, s => CapturePresenter.Number(s.Connections.Count)),
            Row("packets", snapshots, s => s.Dropped > 0
                ? $"{CapturePresenter.Number(s.Packets)}, {CapturePresenter.Dropped(s.Dropped)}"
                : CapturePresenter.Number(s.Packets)),
            Row("evidence", snapshots, s => NodePresenter.OneLine(s.Classification.Evidence)),
        ];
    }

    /// <summary>
    /// The rows as text <paramref name="width"/> columns wide: labels on the left, each snapshot in an equal
    /// column, long values wrapped inside their column, a rule under the names.
    /// </summary>
    public static string Render(IReadOnlyList<ComparisonRow> rows, int width)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var count = rows.Count == 0 ? 0 : rows[0].Values.Count;
        if (count == 0)
        {
            return "No pinned snapshots: p pins the current capture.";
        }

        var labelWidth = rows.Max(r => r.Label.Length);
        var column = Math.Max(8, (width - labelWidth - Gap.Length * count) / count);
        var text = new StringBuilder();
        for (var i = 0; i < rows.Count; i++)
        {
            var cells = rows[i].Values.Select(v => Wrap(v, column)).ToList();
            var height = cells.Max(c => c.Count);
            for (var line = 0; line < height; line++)
            {
                text.Append((line == 0 ? rows[i].Label : "").PadRight(labelWidth));
                foreach (var cell in cells)
                {
                    text.Append(Gap).Append((line < cell.Count ? cell[line] : "").PadRight(column));
                }

                text.Append('\n');
            }

            if (i == 0)
            {
                text.Append(new string('─', labelWidth));
                for (var c = 0; c < count; c++)
                {
                    text.Append("─┼─").Append(new string('─', column));
                }

                text.Append('\n');
            }
        }

        return string.Join('\n', text.ToString().TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()));
    }

    /// <summary>Wraps each line of <paramref name="text"/>, keeping its indentation on the continuation lines.</summary>
    public static IReadOnlyList<string> WrapLines(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            var indent = line[..(line.Length - line.TrimStart(' ').Length)];
            var room = Math.Max(8, width - indent.Length);
            lines.AddRange(Wrap(line.Trim(' '), room).Select(l => indent + l));
        }

        return lines;
    }

    /// <summary>Greedy word wrap to <paramref name="width"/> columns; words longer than a line are split.</summary>
    public static IReadOnlyList<string> Wrap(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<string>();
        var current = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var rest = word;
            while (rest.Length > 0)
            {
                var room = current.Length == 0 ? width : width - current.Length - 1;
                if (rest.Length <= room)
                {
                    current.Append(current.Length == 0 ? "" : " ").Append(rest);
                    rest = "";
                }
                else if (current.Length > 0)
                {
                    lines.Add(current.ToString());
                    current.Clear();
                }
                else
                {
                    lines.Add(rest[..width]);
                    rest = rest[width..];
                }
            }
        }

        if (current.Length > 0 || lines.Count == 0)
        {
            lines.Add(current.ToString());
        }

        return lines;
    }

    private static ComparisonRow Row(string label, IReadOnlyList<CaptureSnapshot> snapshots, Func<CaptureSnapshot, string> value) =>
        new(label, [.. snapshots.Select(value)]);

    private static string Tunnel(CaptureSnapshot snapshot)
    {
        var seen = snapshot.Connections.Count(c => c.TunnelSeen);
        return seen == 0 ? "none" : $"VXLAN on {CapturePresenter.Number(seen)} of {CapturePresenter.Number(snapshot.Connections.Count)}";
    }

    /// <summary>Distinct values with their counts, most frequent first: <c>client IP ×12, ? ×1</c>.</summary>
    private static string Tally(IEnumerable<string> values)
    {
        var groups = values.GroupBy(v => v, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} ×{CapturePresenter.Number(g.Count())}")
            .ToList();
        return groups.Count == 0 ? "-" : string.Join(", ", groups);
    }
}
