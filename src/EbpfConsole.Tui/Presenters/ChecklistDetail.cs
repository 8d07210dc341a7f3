using EbpfConsole.Core.Migration;

namespace EbpfConsole.Tui.Presenters;

/// <summary>
/// A step in full for the detail dialog (pure): its state and reason, what kind of step it is (datapath, disruptive
/// proof), its why, the last preview text and the last verify output, wrapped to the dialog's width.
/// </summary>
public static class ChecklistDetail
{
    private const string Indent = "  ";

    /// <summary>The lines for <paramref name="row"/>, from what <paramref name="snapshot"/> holds for it.</summary>
    public static IReadOnlyList<string> Lines(StepRow row, MigrationSnapshot snapshot, int width)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(snapshot);
        var text = new List<string>
        {
            $"{row.Step} · {row.Title}",
            $"state: {row.State.Glyph()} {row.State.ToName()}{(row.Reason.Length > 0 ? $" — {row.Reason}" : "")}",
        };
        if (row.ChangesDatapath)
        {
            text.Add("changes the datapath: captures are taken before and after, and compared in the Capture pane");
        }

        if (snapshot.Running == row.Step && snapshot.Progress is { Length: > 0 } progress)
        {
            text.Add($"running: {progress}");
        }

        text.Add("");
        text.Add("Why");
        text.Add(Indent + (row.Why.Length > 0 ? row.Why : "(not given)"));
        text.Add("");
        text.Add("Last preview");
        text.AddRange(snapshot.Previews.TryGetValue(row.Step, out var preview) && preview.Length > 0
            ? preview.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n').Select(l => Indent + l)
            : [Indent + "none yet: p previews the step"]);
        text.Add("");
        text.Add("Last verify");
        text.AddRange(snapshot.VerifyOutput.TryGetValue(row.Step, out var verify) && verify.Count > 0
            ? verify.Select(l => Indent + l)
            : [Indent + "none yet: v verifies the step"]);
        return Wrap(text, width);
    }

    /// <summary>
    /// Lines longer than <paramref name="width"/> broken at a space (else hard), continued under their own
    /// indentation plus two; shorter lines exactly as they are: a diff's and a script's spacing is meaning.
    /// </summary>
    public static IReadOnlyList<string> Wrap(IEnumerable<string> lines, int width)
    {
        ArgumentNullException.ThrowIfNull(lines);
        width = Math.Max(20, width);
        var wrapped = new List<string>();
        foreach (var line in lines)
        {
            if (line.Length <= width)
            {
                wrapped.Add(line);
                continue;
            }

            var indent = new string(' ', Math.Min(width / 2, line.Length - line.TrimStart(' ').Length + 2));
            var rest = line;
            var first = true;
            while (rest.Length > 0)
            {
                var prefix = first ? "" : indent;
                var room = width - prefix.Length;
                if (rest.Length <= room)
                {
                    wrapped.Add(prefix + rest);
                    break;
                }

                var cut = rest.LastIndexOf(' ', room - 1, room);
                var lead = rest.Length - rest.TrimStart(' ').Length;
                cut = cut > lead ? cut : room;
                wrapped.Add(prefix + rest[..cut].TrimEnd(' '));
                rest = rest[cut..].TrimStart(' ');
                first = false;
            }
        }

        return wrapped;
    }
}
