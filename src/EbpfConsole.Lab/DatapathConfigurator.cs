using EbpfConsole.Core.Datapath;

namespace EbpfConsole.Lab;

/// <summary>
/// Switches the lab's NodePort datapath: removes whatever the previous mode set on both nodes, applies
/// the new one, flushes both nodes' conntrack and records the mode in the state directory. A null mode is
/// "none" (no kube-proxy, no BPF dataplane: NodePorts not served), recorded as <see cref="DatapathPlan.None"/>.
/// </summary>
public sealed class DatapathConfigurator(LabPaths paths, LabShell shell)
{
    /// <summary>The full, ordered command list of a switch to <paramref name="mode"/> (null: every rule removed).</summary>
    public static IReadOnlyList<LabCommand> Plan(DatapathMode? mode) =>
    [
        .. LabTopology.Nodes.SelectMany(DatapathPlan.Reset),
        .. mode is { } m ? LabTopology.Nodes.SelectMany(n => DatapathPlan.Apply(m, n)) : [],
        .. LabTopology.Nodes.Select(DatapathPlan.FlushConntrack),
    ];

    /// <summary>The name a mode is recorded under: its mode name, or "none" for null.</summary>
    public static string NameOf(DatapathMode? mode) => mode?.ToName() ?? DatapathPlan.None;

    public async Task ApplyAsync(DatapathMode? mode, CancellationToken ct)
    {
        await shell.RunAllAsync(Plan(mode), ct).ConfigureAwait(false);
        await WriteRecordedAsync(NameOf(mode), ct).ConfigureAwait(false);
    }

    /// <summary>What is recorded as applied: a mode name or "none"; null when nothing (valid) is recorded.</summary>
    public string? ReadRecorded()
    {
        try
        {
            var text = File.ReadAllText(paths.ModePath).Trim();
            return text == DatapathPlan.None ? text : DatapathModes.TryParse(text, out var mode) ? mode.ToName() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
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

    private async Task WriteRecordedAsync(string name, CancellationToken ct)
    {
        var temp = paths.ModePath + ".tmp";
        await File.WriteAllTextAsync(temp, name + "\n", ct).ConfigureAwait(false);
        File.Move(temp, paths.ModePath, overwrite: true);
    }
}
