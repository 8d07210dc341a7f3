using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Lab;

namespace EbpfConsole.Cli.Connect;

/// <summary>With <c>--lab</c>, node addresses come from the lab's API: SSH goes only where the lab's link routes (network safety).</summary>
internal sealed class LabGuardedShell(INodeShell inner, LabReachGuard guard) : INodeShell
{
    public async Task<ShellResult> RunAsync(NodeTarget target, string script, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return await guard.RefusalAsync(target.Address, cancellationToken).ConfigureAwait(false) is { } refusal
            ? new ShellResult(null, "", "", $"{target.Address}: {refusal}")
            : await inner.RunAsync(target, script, timeout, cancellationToken).ConfigureAwait(false);
    }
}
