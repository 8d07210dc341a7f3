using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Shell;
using EbpfConsole.Lab;

namespace EbpfConsole.Cli.Shell;

/// <summary>The lab's manual datapath override, as the console shell sees it.</summary>
internal sealed class LabDatapathControl(LabService lab) : IDatapathControl
{
    public async Task<DatapathMode?> GetModeAsync(CancellationToken cancellationToken) =>
        (await lab.GetStatusAsync(cancellationToken).ConfigureAwait(false)).Mode;

    public Task SetModeAsync(DatapathMode mode, CancellationToken cancellationToken) =>
        lab.SetModeAsync(mode, cancellationToken);
}
