using EbpfConsole.Core.Nodes;
using EbpfConsole.Nodes.HostKeys;

namespace EbpfConsole.Nodes.Ssh;

/// <summary>A jump host to pass through (ProxyJump), fully resolved: where, as whom, with which keys.</summary>
public sealed record SshHop(string Host, int Port, string User, IReadOnlyList<string> IdentityFiles)
{
    /// <summary>user@host:port, for messages.</summary>
    public string Endpoint => $"{User}@{HostKeysText.Endpoint(Host, Port)}";
}

/// <summary>
/// How to reach one node: the target (its <see cref="NodeTarget.Address"/> is the real host name or address, its
/// host key is checked under that name and port even through jumps), the jump hosts in order, and the connection
/// options (keys, known_hosts, host key policy, timeouts) that apply to it and its jump hosts.
/// </summary>
public sealed record SshRoute(NodeTarget Target, IReadOnlyList<SshHop> Jumps, SshConnectionOptions Options)
{
    /// <summary>user@host:port of the target, for messages.</summary>
    public string Endpoint => $"{Target.User}@{HostKeysText.Endpoint(Target.Address, Target.Port)}";

    /// <summary>The endpoint and, when there are jumps, " via hop1, hop2".</summary>
    public override string ToString() => Jumps.Count == 0 ? Endpoint : $"{Endpoint} via {string.Join(", ", Jumps.Select(j => j.Endpoint))}";
}
