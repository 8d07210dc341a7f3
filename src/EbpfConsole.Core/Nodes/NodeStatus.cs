namespace EbpfConsole.Core.Nodes;

/// <summary>How to reach one node over SSH.</summary>
public sealed record NodeTarget(string Name, string Address, int Port = 22, string User = "root");

public enum Reachability
{
    Unknown,
    Checking,
    Reachable,
    Unreachable,
}

/// <summary>What the console last learnt about a node. Expected failures live in <see cref="Error"/>.</summary>
public sealed record NodeStatus(
    string Name,
    string Address,
    Reachability Reachability,
    string? Hostname = null,
    string? Kernel = null,
    string? Error = null,
    DateTimeOffset? CheckedAt = null)
{
    public static NodeStatus NotYetChecked(NodeTarget target) => new(target.Name, target.Address, Reachability.Unknown);
}

/// <summary>Reaches a node and reads its identity (hostname, kernel). Never throws for an unreachable node.</summary>
public interface INodeProbe
{
    Task<NodeStatus> ProbeAsync(NodeTarget target, CancellationToken cancellationToken);
}
