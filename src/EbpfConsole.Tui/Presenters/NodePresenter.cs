using EbpfConsole.Core.Nodes;

namespace EbpfConsole.Tui.Presenters;

/// <summary>
/// NodeStatus → table cells (pure, like k9s renderers). The SSH state is a glyph plus a word, so it keeps
/// its meaning without colour; the glyphs are in every common terminal font.
/// </summary>
public static class NodePresenter
{
    public static IReadOnlyList<string> Columns { get; } = ["NAME", "ADDRESS", "SSH", "HOSTNAME", "KERNEL", "ERROR"];

    public const int ErrorColumn = 5;

    public static string State(Reachability reachability) => reachability switch
    {
        Reachability.Reachable => "✓ up",
        Reachability.Unreachable => "✗ down",
        Reachability.Checking => "… checking",
        _ => "? unknown",
    };

    public static IReadOnlyList<string> ToRow(NodeStatus node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return
        [
            node.Name,
            node.Address,
            State(node.Reachability),
            Or(node.Hostname),
            Or(node.Kernel),
            OneLine(node.Error),
        ];
    }

    /// <summary>The selected node in one line, with its full error: shown under the table.</summary>
    public static string Detail(NodeStatus? node, TimeZoneInfo zone)
    {
        if (node is null)
        {
            return "No nodes yet.";
        }

        var head = $"{node.Name} ({node.Address}): {State(node.Reachability)}";
        var checkedAt = node.CheckedAt is { } at
            ? $" · checked {TimeZoneInfo.ConvertTime(at, zone):HH:mm:ss}"
            : "";
        return node.Error is { Length: > 0 } error
            ? $"{head} — {OneLine(error)}{checkedAt}"
            : node.Reachability == Reachability.Reachable
                ? $"{head} — hostname {Or(node.Hostname)}, kernel {Or(node.Kernel)}{checkedAt}"
                : $"{head}{checkedAt}";
    }

    private static string Or(string? value) => string.IsNullOrWhiteSpace(value) ? "-" : value;

    /// <summary>Multi-line text (e.g. stderr lines) folded into one line.</summary>
    public static string OneLine(string? text) =>
        string.IsNullOrEmpty(text)
            ? ""
            : string.Join(" ⏎ ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
