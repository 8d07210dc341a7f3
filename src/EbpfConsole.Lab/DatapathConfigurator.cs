using EbpfConsole.Core.Datapath;

namespace EbpfConsole.Lab;

/// <summary>
/// Switches the lab's NodePort datapath: removes whatever the previous mode set on both nodes, applies
/// the new one, flushes both nodes' conntrack and records the mode in the state directory (`up` re-applies it).
/// </summary>
public sealed class DatapathConfigurator(LabPaths paths, LabShell shell)
{
    /// <summary>The full, ordered command list of a switch to <paramref name="mode"/>.</summary>
    public static IReadOnlyList<LabCommand> Plan(DatapathMode mode) =>
    [
        .. LabTopology.Nodes.SelectMany(DatapathPlan.Reset),
        .. LabTopology.Nodes.SelectMany(n => DatapathPlan.Apply(mode, n)),
        .. LabTopology.Nodes.Select(DatapathPlan.FlushConntrack),
    ];

    public async Task ApplyAsync(DatapathMode mode, CancellationToken ct)
    {
        await shell.RunAllAsync(Plan(mode), ct).ConfigureAwait(false);
        await WriteModeAsync(mode, ct).ConfigureAwait(false);
    }

    /// <summary>The recorded mode, or null when none was recorded (or the file is not a mode name).</summary>
    public DatapathMode? ReadMode()
    {
        try
        {
            return DatapathModes.TryParse(File.ReadAllText(paths.ModePath), out var mode) ? mode : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private async Task WriteModeAsync(DatapathMode mode, CancellationToken ct)
    {
        var temp = paths.ModePath + ".tmp";
        await File.WriteAllTextAsync(temp, mode.ToName() + "\n", ct).ConfigureAwait(false);
        File.Move(temp, paths.ModePath, overwrite: true);
    }
}
