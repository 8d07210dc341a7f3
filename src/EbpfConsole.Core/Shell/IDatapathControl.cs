using EbpfConsole.Core.Datapath;

namespace EbpfConsole.Core.Shell;

/// <summary>Reads the datapath of the target, forces one (a manual override) and hands it back.</summary>
public interface IDatapathControl
{
    /// <summary>The mode in force, or null when it cannot be told.</summary>
    Task<DatapathMode?> GetModeAsync(CancellationToken cancellationToken);

    /// <summary>Forces <paramref name="mode"/> until <see cref="ReleaseModeAsync"/> (the lab: `lab mode MODE`).</summary>
    Task SetModeAsync(DatapathMode mode, CancellationToken cancellationToken);

    /// <summary>Ends the override: the target's own state decides again (the lab: `lab mode auto`, its API objects).</summary>
    Task ReleaseModeAsync(CancellationToken cancellationToken);
}
