using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab.Cluster;

namespace EbpfConsole.Lab;

/// <summary>
/// The lab's real NodePort datapath as the lab controller (inside the API server daemon) drives it.
/// <see cref="Current"/> is the recorded mode (<see cref="LabPaths.ModePath"/>), <see cref="ManualOverride"/> the
/// mode a trainer forced with `lab mode` (<see cref="LabPaths.ModeOverridePath"/>). Applying takes the
/// machine-wide lab lock, so it never interleaves with `lab up`, `down` or `mode`; under the lock an override
/// that appeared meanwhile wins (the request is dropped).
/// </summary>
public sealed class LabDatapath : ILabDatapath
{
    private readonly LabPaths _paths;
    private readonly LabShell _shell;
    private readonly Action<string>? _progress;

    public LabDatapath(LabPaths paths, ICommandRunner runner, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(runner);
        _paths = paths;
        _shell = new LabShell(runner);
        _progress = progress;
    }

    /// <summary>The machine-global lock and owner record; unit tests point it at a temporary directory.</summary>
    internal LabMachine Machine { get; init; } = LabMachine.Default;

    internal TimeSpan LockTimeout { get; init; } = LabLock.DefaultTimeout;

    public DatapathMode? ManualOverride => ReadOverride(_paths);

    public string? Current => new DatapathConfigurator(_paths, _shell).ReadRecorded();

    public async Task ApplyAsync(DatapathMode? mode, CancellationToken ct)
    {
        var wanted = DatapathConfigurator.NameOf(mode);
        if (Current == wanted)
        {
            return;
        }

        using var held = await Machine.LockAsync(LockTimeout, null, ct).ConfigureAwait(false);
        if (ManualOverride is { } forced && forced != mode)
        {
            _progress?.Invoke($"datapath {wanted} not applied: 'lab mode' forced {forced.ToName()} (run 'ebpf-console lab mode auto' to hand it back)");
            return;
        }

        if (Current == wanted)
        {
            return;
        }

        var present = await LabTeardown.ListNamespacesAsync(_shell, ct).ConfigureAwait(false);
        Machine.EnsureNotOwnedByAnother(_paths, present);
        if (!LabTopology.Namespaces.All(present.Contains))
        {
            throw new LabException("the lab is not up: run 'ebpf-console lab up' first");
        }

        _progress?.Invoke($"datapath {wanted} (previous rules removed, conntrack flushed)");
        await new DatapathConfigurator(_paths, _shell).ApplyAsync(mode, ct).ConfigureAwait(false);
    }

    /// <summary>The forced mode, or null when no override is in force (or the file is not a mode name).</summary>
    public static DatapathMode? ReadOverride(LabPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        try
        {
            return DatapathModes.TryParse(File.ReadAllText(paths.ModeOverridePath), out var mode) ? mode : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static async Task WriteOverrideAsync(LabPaths paths, DatapathMode mode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var temp = paths.ModeOverridePath + ".tmp";
        await File.WriteAllTextAsync(temp, mode.ToName() + "\n", ct).ConfigureAwait(false);
        File.Move(temp, paths.ModeOverridePath, overwrite: true);
    }

    public static void ClearOverride(LabPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (File.Exists(paths.ModeOverridePath))
        {
            File.Delete(paths.ModeOverridePath);
        }
    }
}
