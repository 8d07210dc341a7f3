using EbpfConsole.Capture.Sources;
using EbpfConsole.Cli.Connect;
using EbpfConsole.Core.Capture.Analysis;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Lab;
using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Cli.Shell;

/// <summary>
/// How the console and `capture --lab` reach the lab's capture points: tcpdump over SSH through the same route resolver as
/// preflight, set to the lab's key and known_hosts only (no ssh_config, strict, user root), behind the lab's reach guard.
/// </summary>
internal static class LabCaptureSources
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The lab's SSH options for a direct connection (the console's node probe).</summary>
    public static SshConnectionOptions Ssh(LabPaths paths) => new()
    {
        KnownHostsFiles = [paths.KnownHostsPath],
        GlobalKnownHostsFiles = [], // the lab's nodes are vouched for by the lab's own file only
        IdentityFiles = [paths.SshPrivateKeyPath],
        HostKeyPolicy = HostKeyPolicy.Strict,
        ConnectTimeout = ConnectTimeout,
        CommandTimeout = CommandTimeout,
    };

    public static IReadOnlyDictionary<string, NodeTarget> Nodes { get; } =
        LabTopology.Nodes.ToDictionary(n => n.Name, n => new NodeTarget(n.Name, n.Ip), StringComparer.Ordinal);

    public static NodeDirectory Directory() => new(LabTopology.Nodes.Select(n => (n.Name, n.Ip)));

    /// <summary>
    /// The lab's nodes by name; any other name is its own host and the guard refuses it (lab targets are IPv4 addresses
    /// behind the lab's link). Before each connection the guard checks the link and the route (network safety).
    /// </summary>
    /// <exception cref="LabException">The lab's SSH key is missing (the lab is not up).</exception>
    public static RouteNodeConnector Connector(LabPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (!File.Exists(paths.SshPrivateKeyPath))
        {
            throw new LabException($"the lab's SSH key {paths.SshPrivateKeyPath} is missing; run 'ebpf-console lab up' first");
        }

        var settings = NodeSsh.Lab(paths, SshFlags.None, Prompts.None) with { ConnectTimeout = ConnectTimeout, CommandTimeout = CommandTimeout };
        return new RouteNodeConnector(
            NodeSsh.Resolver(settings),
            node => Nodes.TryGetValue(node, out var target) ? target.Address : null,
            "root",
            new LabReachGuard().RefusalAsync);
    }

    public static CaptureSourceFactory Create(LabPaths paths, string? filter = null) => new(Connector(paths), filter ?? LabCapture.Filter);
}
