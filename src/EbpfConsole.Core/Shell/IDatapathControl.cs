using EbpfConsole.Core.Datapath;

namespace EbpfConsole.Core.Shell;

/// <summary>Reads and switches the datapath of the target (the lab's manual override today).</summary>
public interface IDatapathControl
{
    /// <summary>The mode in force, or null when it cannot be told.</summary>
    Task<DatapathMode?> GetModeAsync(CancellationToken cancellationToken);

    Task SetModeAsync(DatapathMode mode, CancellationToken cancellationToken);
}
