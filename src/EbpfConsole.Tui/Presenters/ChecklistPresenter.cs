using EbpfConsole.Core.Migration;

namespace EbpfConsole.Tui.Presenters;

/// <summary>
/// The Checklist pane's lines (pure): the header (READ-ONLY / DRY-RUN, the running step's progress, the install
/// variant, the journal), the interrupted banner, one row per step (glyph, id, title, state word, reason) and the
/// selected step's reason. Every line fits the width it is given.
/// </summary>
public static class ChecklistPresenter
{
    public const string Separator = " · ";

    /// <summary>Shown instead of the checklist when the console runs without the migration engine.</summary>
    public const string NotAvailable =
        "No migration checklist (M0–M10) in this console: it was started without the migration engine.";

    /// <summary>Room for the longest state word ("interrupted").</summary>
    private const int StateWidth = 11;

    /// <summary>Titles longer than this are cut when there is room for the reason column.</summary>
    private const int MaxTitle = 34;

    /// <summary>Below this width the rows leave the reason to the selected step's line.</summary>
    private const int ReasonColumnFrom = 60;

    /// <summary>
    /// The header for <paramref name="width"/> columns: READ-ONLY, DRY-RUN, "▶ M4 progress", install, journal. What does
    /// not fit gives way from the end: the journal shortens to "…/file", then goes; then the line is cut.
    /// </summary>
    public static string Header(MigrationSnapshot snapshot, int width, string? home = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        List<string> parts = [];
        if (snapshot.ReadOnly)
        {
            parts.Add("READ-ONLY");
        }

        if (snapshot.DryRun)
        {
            parts.Add("DRY-RUN");
        }

        if (snapshot.Running is { } running)
        {
            parts.Add(snapshot.Progress is { Length: > 0 } progress ? $"▶ {running}: {OneLine(progress)}" : $"▶ {running}");
        }

        if (snapshot.Install.Length > 0)
        {
            parts.Add(snapshot.Install);
        }

        var path = ShortPath(snapshot.JournalPath, home ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        foreach (var journal in new[] { path, FileOnly(path), "" })
        {
            var line = string.Join(Separator, journal.Length == 0 || snapshot.JournalPath.Length == 0 ? parts : [.. parts, $"journal {journal}"]);
            if (line.Length <= width || journal.Length == 0)
            {
                return Cut(line, width);
            }
        }

        return "";
    }

    /// <summary>What the banner of an interrupted step ends with: the two ways on.</summary>
    public const string BannerKeys = ": a resume, u roll back";

    /// <summary>
    /// The banner of an interrupted step for <paramref name="width"/> columns, or null: what the snapshot says, cut in
    /// its middle when needed so the keys at the end stay readable.
    /// </summary>
    public static string? Banner(MigrationSnapshot snapshot, int width = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Interrupted is not { Length: > 0 } interrupted)
        {
            return null;
        }

        var room = width - 2 - BannerKeys.Length;
        return room >= 8 ? $"! {Cut(OneLine(interrupted), room)}{BannerKeys}" : Cut($"! {OneLine(interrupted)}{BannerKeys}", width);
    }

    /// <summary>The rows for <paramref name="width"/> columns; titles share one width so the state words line up.</summary>
    public static IReadOnlyList<string> Rows(IReadOnlyList<StepRow> rows, int width)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return [];
        }

        var longest = rows.Max(r => r.Title.Length);
        var reasons = width >= ReasonColumnFrom;
        // glyph, space, id (3), space, title, space, state, [space, reason]
        var fixedWidth = 1 + 1 + 3 + 1 + 1 + StateWidth;
        var title = reasons
            ? Math.Min(Math.Min(longest, MaxTitle), width - fixedWidth - 10)
            : Math.Min(longest, width - fixedWidth);
        title = Math.Max(4, title);
        return [.. rows.Select(r => Row(r, title, reasons, width))];
    }

    /// <summary>One row: "✓ M2  Create the services-endpoint ConfigMap   done        already in the wanted state".</summary>
    public static string Row(StepRow row, int titleWidth, bool withReason, int width)
    {
        ArgumentNullException.ThrowIfNull(row);
        var text = $"{row.State.Glyph()} {row.Step,-3} {Cut(row.Title, titleWidth).PadRight(titleWidth)} {row.State.ToName().PadRight(StateWidth)}";
        if (withReason && row.Reason.Length > 0)
        {
            text += " " + OneLine(row.Reason);
        }

        return Cut(text.TrimEnd(), width);
    }

    /// <summary>The selected step's reason in one line: "M6 blocked: P3 failed on node-2 (no bpffs)".</summary>
    public static string Selected(StepRow? row, int width)
    {
        if (row is null)
        {
            return "";
        }

        var line = row.Reason.Length == 0 ? $"{row.Step} {row.State.ToName()}" : $"{row.Step} {row.State.ToName()}: {OneLine(row.Reason)}";
        return Cut(line, width);
    }

    /// <summary>"~/…" for a path under <paramref name="home"/>.</summary>
    public static string ShortPath(string path, string? home)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (home is { Length: > 1 } h && path.StartsWith(h.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            return "~" + path[h.TrimEnd('/').Length..];
        }

        return path;
    }

    /// <summary>The text cut to <paramref name="width"/> columns with "…" when it is longer.</summary>
    public static string Cut(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (width <= 0)
        {
            return "";
        }

        return text.Length <= width ? text : text[..(width - 1)] + "…";
    }

    private static string FileOnly(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? path : "…" + path[slash..];
    }

    private static string OneLine(string text) => NodePresenter.OneLine(text);
}
