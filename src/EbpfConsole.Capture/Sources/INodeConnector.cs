using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Capture.Sources;

/// <summary>
/// Reaches a capture point's node over SSH: a node name in, an open session (the caller disposes it) or the expected
/// failure (one line naming the host and the cause) out. Only cancellation throws.
/// </summary>
public interface INodeConnector
{
    Task<SshConnectResult> ConnectAsync(string node, CancellationToken cancellationToken);
}
