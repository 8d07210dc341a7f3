using EbpfConsole.Core.Nodes;

namespace EbpfConsole.Lab;

/// <summary>A probe that reaches lab nodes only while <see cref="LabReachGuard"/> allows it (network safety).</summary>
public sealed class LabOnlyProbe : INodeProbe
{
    private readonly INodeProbe _inner;
    private readonly LabReachGuard _guard;

    public LabOnlyProbe(INodeProbe inner, Func<bool>? labLinkIsUp = null)
        : this(inner, labLinkIsUp, null)
    {
    }

    /// <summary>Tests replace the route check (`ip -o route get ADDRESS` says dev eclab-host) too.</summary>
    internal LabOnlyProbe(INodeProbe inner, Func<bool>? labLinkIsUp, Func<string, CancellationToken, Task<bool>>? routesViaLab)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _guard = new LabReachGuard(labLinkIsUp, routesViaLab);
    }

    public async Task<NodeStatus> ProbeAsync(NodeTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var refusal = await _guard.RefusalAsync(target.Address, cancellationToken).ConfigureAwait(false);
        return refusal is null
            ? await _inner.ProbeAsync(target, cancellationToken).ConfigureAwait(false)
            : new NodeStatus(target.Name, target.Address, Reachability.Unreachable, Error: refusal);
    }
}
