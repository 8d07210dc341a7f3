using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Tui.Presenters;

/// <summary>
/// The lines of the preflight detail dialogs, laid out for a width (pure): one check (id, title, node, verdict,
/// reason, the evidence verbatim, the remediation), one node's checks, or the cluster's. Prose is word-wrapped;
/// evidence is never re-spaced: a line longer than the width is cut into pieces of exactly the width, the
/// continuation marked with <see cref="Continued"/> in the gutter, so every character read is shown as read.
/// </summary>
public static class PreflightDetail
{
    /// <summary>Gutter of an evidence line.</summary>
    public const string Gutter = "  ";

    /// <summary>Gutter of the continuation of a long evidence line.</summary>
    public const string Continued = "↪ ";

    /// <summary>The check's detail: what, where, verdict, why, the evidence read and what to do.</summary>
    public static IReadOnlyList<string> Check(CheckResult result, int width)
    {
        ArgumentNullException.ThrowIfNull(result);
        var lines = new List<string>();
        var title = result.Title.Length > 0 ? $" {result.Title}" : "";
        Prose(lines, $"{result.Id}{title} — {(result.Node is { } node ? $"node {node}" : "cluster check")}", width);
        Prose(lines, $"Verdict: {PreflightPresenter.VerdictText(result.Verdict)}", width);
        Prose(lines, $"Reason: {result.Reason}", width);
        lines.Add("");
        lines.Add("Evidence (verbatim):");
        lines.AddRange(Evidence(result.Evidence, width));
        lines.Add("");
        lines.Add("Remediation:");
        var remedy = result.Remediation is { Length: > 0 } text
            ? text
            : result.Verdict == Verdict.Pass ? "none needed: the check passes" : "none given";
        lines.AddRange(ComparisonPresenter.WrapLines(remedy, Math.Max(8, width - Gutter.Length)).Select(l => Gutter + l));
        return lines;
    }

    /// <summary>The evidence as read, cut to <paramref name="width"/> without touching a character (tabs shown as spaces).</summary>
    public static IReadOnlyList<string> Evidence(string evidence, int width)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        if (evidence.Length == 0)
        {
            return [Gutter + "(nothing was read)"];
        }

        var room = Math.Max(8, width - Gutter.Length);
        var lines = new List<string>();
        foreach (var raw in evidence.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = ExpandTabs(raw.TrimEnd('\r'));
            if (line.Length <= room)
            {
                lines.Add(Gutter + line);
                continue;
            }

            for (var start = 0; start < line.Length; start += room)
            {
                lines.Add(string.Concat(start == 0 ? Gutter : Continued, line.AsSpan(start, Math.Min(room, line.Length - start))));
            }
        }

        return lines;
    }

    /// <summary>A node's detail: the probe's view, the preflight's state or failure, then its checks (id, verdict, title: reason).</summary>
    /// <param name="row">The node.</param>
    /// <param name="zone">For the probe's time.</param>
    /// <param name="width">Text width.</param>
    /// <param name="preflightAvailable">False when the console runs without preflight (then no node has results).</param>
    public static IReadOnlyList<string> Node(NodeRow row, TimeZoneInfo zone, int width, bool preflightAvailable = true)
    {
        ArgumentNullException.ThrowIfNull(row);
        var lines = new List<string>();
        Prose(lines, row.Status is { } status ? $"SSH probe: {NodePresenter.Detail(status, zone)}" : $"{row.Name} ({row.Address ?? "no address"}): not probed", width);
        if (row.Api is { } api)
        {
            Prose(lines, $"API: {api.OsImage ?? "os ?"}, kernel {api.Kernel ?? "?"}, {api.Architecture ?? "arch ?"}, InternalIP {api.InternalIp ?? "none"}", width);
        }

        if (row.Preflight is not { } preflight)
        {
            Prose(lines, preflightAvailable
                ? "Preflight: the API does not list this node, so it is not checked."
                : "Preflight: not available here.", width);
            return lines;
        }

        Prose(lines, $"Preflight: {PreflightPresenter.NodeState(preflight)}", width);
        lines.Add("");
        Results(lines, preflight.Results, width);
        return lines;
    }

    /// <summary>The cluster's detail: the summary, the error if preflight could not run, then every cluster check.</summary>
    public static IReadOnlyList<string> Cluster(PreflightSnapshot preflight, TimeZoneInfo zone, int width)
    {
        ArgumentNullException.ThrowIfNull(preflight);
        var lines = new List<string>();
        foreach (var line in PreflightPresenter.Summary(preflight))
        {
            Prose(lines, line, width);
        }

        Prose(lines, PreflightPresenter.Progress(preflight, zone), width);
        lines.Add("");
        Results(lines, preflight.ClusterChecks, width);
        return lines;
    }

    private static void Results(List<string> lines, IReadOnlyList<CheckResult> results, int width)
    {
        if (results.Count == 0)
        {
            lines.Add("No check results yet.");
            return;
        }

        var idWidth = results.Max(r => r.Id.Length);
        foreach (var result in results)
        {
            var head = $"{result.Id.PadRight(idWidth)} {PreflightPresenter.VerdictText(result.Verdict),-9} ";
            var title = result.Title.Length > 0 ? $"{result.Title}: " : "";
            Hanging(lines, head, title + NodePresenter.OneLine(result.Reason), width);
        }

        lines.Add("");
        lines.Add("Enter on a check's cell shows its evidence and remediation.");
    }

    /// <summary><paramref name="head"/> then <paramref name="text"/> wrapped, its continuation lines indented under the text.</summary>
    private static void Hanging(List<string> lines, string head, string text, int width)
    {
        var wrapped = ComparisonPresenter.Wrap(text, Math.Max(8, width - head.Length));
        var indent = new string(' ', head.Length);
        for (var i = 0; i < Math.Max(1, wrapped.Count); i++)
        {
            lines.Add((i == 0 ? head : indent) + (i < wrapped.Count ? wrapped[i] : ""));
        }
    }

    private static void Prose(List<string> lines, string text, int width) =>
        lines.AddRange(ComparisonPresenter.WrapLines(text, Math.Max(8, width)));

    private static string ExpandTabs(string line)
    {
        if (!line.Contains('\t', StringComparison.Ordinal))
        {
            return line;
        }

        var expanded = new System.Text.StringBuilder();
        foreach (var c in line)
        {
            if (c == '\t')
            {
                expanded.Append(' ', 8 - (expanded.Length % 8));
            }
            else
            {
                expanded.Append(c);
            }
        }

        return expanded.ToString();
    }
}
