using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Shell;
using EbpfConsole.Lab;

namespace EbpfConsole.Cli.Shell;

/// <summary>The lab's datapath as the console shell sees it: `lab mode MODE` to force one, `lab mode auto` to hand it back to the API objects.</summary>
internal sealed class LabDatapathControl(LabService lab) : IDatapathControl
{
    /// <summary>The recorded mode while the lab's namespaces exist; unknown once the lab is gone.</summary>
    public async Task<DatapathMode?> GetModeAsync(CancellationToken cancellationToken)
    {
        var status = await lab.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        return status.Health.TryGetValue(LabHealth.Namespaces, out var present) && present ? status.Mode : null;
    }

    public Task SetModeAsync(DatapathMode mode, CancellationToken cancellationToken) =>
        lab.SetModeAsync(mode, cancellationToken);

    public Task ReleaseModeAsync(CancellationToken cancellationToken) =>
        lab.ClearModeOverrideAsync(cancellationToken);
}
