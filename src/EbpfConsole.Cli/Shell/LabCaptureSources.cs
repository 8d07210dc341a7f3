using EbpfConsole.Capture.Sources;
using EbpfConsole.Core.Capture.Analysis;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Lab;
using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Cli.Shell;

/// <summary>How the console and `capture --lab` reach the lab's capture points: tcpdump over SSH with the lab's key and known_hosts only, behind the lab's reach guard.</summary>
internal static class LabCaptureSources
{
    public static SshConnectionOptions Ssh(LabPaths paths) => new()
    {
        KnownHostsFiles = [paths.KnownHostsPath],
        GlobalKnownHostsFiles = [], // the lab's nodes are vouched for by the lab's own file only
        IdentityFiles = [paths.SshPrivateKeyPath],
        HostKeyPolicy = HostKeyPolicy.Strict,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        CommandTimeout = TimeSpan.FromSeconds(10),
    };

    public static IReadOnlyDictionary<string, NodeTarget> Nodes { get; } =
        LabTopology.Nodes.ToDictionary(n => n.Name, n => new NodeTarget(n.Name, n.Ip), StringComparer.Ordinal);

    public static NodeDirectory Directory() => new(LabTopology.Nodes.Select(n => (n.Name, n.Ip)));

    public static CaptureSourceFactory Create(LabPaths paths, string? filter = null) =>
        new(new SshConnector(Ssh(paths)), Nodes, filter ?? LabCapture.Filter, new LabReachGuard().RefusalAsync);
}
