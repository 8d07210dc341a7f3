using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Shell;

namespace EbpfConsole.Tui.Presenters;

/// <summary>The header line: target, datapath mode, READ-ONLY, running work (pure).</summary>
public static class ShellPresenter
{
    public const string Separator = " │ ";

    public static string Mode(DatapathMode? mode) => $"mode: {(mode is { } m ? m.ToName() : "?")}";

    /// <summary>The bare mode name for the status bar, where 80 columns leave no room for a label.</summary>
    public static string ModeName(DatapathMode? mode) => mode is { } m ? m.ToName() : "mode ?";

    public const string Product = "ebpf-console";

    /// <summary>
    /// The header for a screen <paramref name="width"/> columns wide: the product name is dropped first when the
    /// line would not fit, so target, mode, READ-ONLY, busy and failure stay visible at 80 columns.
    /// </summary>
    public static string Header(ConsoleSnapshot snapshot, string? lastFailure = null, int width = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        List<string> parts = [Product, snapshot.Target, Mode(snapshot.Mode)];
        if (snapshot.ReadOnly)
        {
            parts.Add("READ-ONLY");
        }

        if (snapshot.Busy is { Length: > 0 } busy)
        {
            parts.Add($"busy: {busy}");
        }

        if (lastFailure is { Length: > 0 })
        {
            parts.Add($"✗ {lastFailure} (see Log)");
        }

        var header = string.Join(Separator, parts);
        return header.Length > width ? string.Join(Separator, parts.Skip(1)) : header;
    }
}
