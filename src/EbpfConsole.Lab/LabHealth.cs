using System.Globalization;
using EbpfConsole.Core.Datapath;

namespace EbpfConsole.Lab;

/// <summary>
/// Probes what is actually there (never what we think we built): namespaces, the host link, each sshd
/// and nginx (pid file → a live process running that daemon's binary with this state directory's config
/// file, and a listening socket), the API server (its daemon alive and 127.0.0.1:6443 listening), the datapath
/// of the recorded mode ("none" is healthy when no NodePort rule is left), and the SSH key material.
/// </summary>
public sealed class LabHealth(LabPaths paths, LabShell shell, ProcFs? proc = null, int nodes = LabTopology.DefaultNodes)
{
    private readonly ProcFs _proc = proc ?? ProcFs.Default;
    private readonly IReadOnlyList<LabHost> _nodes = LabTopology.NodesFor(nodes);

    public const string Namespaces = "namespaces";
    public const string HostLink = "host-link";
    public const string Nginx = "nginx";
    public const string Datapath = "datapath";
    public const string SshKeys = "ssh-keys";
    public const string ApiServer = "apiserver";

    public static string Sshd(LabHost node) => "sshd:" + (node ?? throw new ArgumentNullException(nameof(node))).Name;

    /// <summary>Every health key of a two-node lab, in display order.</summary>
    public static IReadOnlyList<string> Keys { get; } = KeysFor(LabTopology.DefaultNodes);

    /// <summary>Every health key of a lab with <paramref name="nodes"/> nodes (an sshd key per node), in display order.</summary>
    public static IReadOnlyList<string> KeysFor(int nodes) =>
        [Namespaces, HostLink, .. LabTopology.NodesFor(nodes).Select(Sshd), Nginx, ApiServer, Datapath, SshKeys];

    public Task<IReadOnlyDictionary<string, bool>> ProbeAsync(DatapathMode? mode, CancellationToken ct) =>
        ProbeAsync(mode?.ToName(), ct);

    /// <param name="recorded">The recorded datapath: a mode name, "none", or null (nothing recorded: unhealthy).</param>
    /// <param name="ct">Cancels the probes.</param>
    public async Task<IReadOnlyDictionary<string, bool>> ProbeAsync(string? recorded, CancellationToken ct)
    {
        var health = KeysFor(_nodes.Count).ToDictionary(k => k, _ => false);
        health[SshKeys] = File.Exists(paths.SshPrivateKeyPath) && File.Exists(paths.KnownHostsPath) && File.Exists(paths.AuthorizedKeysPath);
        health[ApiServer] = await new LabApiServerLauncher(paths, shell, _proc).IsHealthyAsync(ct).ConfigureAwait(false);
        var present = await LabTeardown.ListNamespacesAsync(shell, ct).ConfigureAwait(false);
        health[Namespaces] = LabTopology.NamespacesFor(_nodes.Count).All(present.Contains);
        if (!health[Namespaces])
        {
            return health;
        }

        var link = await shell.ProbeAsync(LabCommand.Ip("-4", "-o", "addr", "show", "dev", LabTopology.HostLink), ct).ConfigureAwait(false);
        health[HostLink] = link.Succeeded && link.StdOut.Contains($" {LabTopology.HostIp}/{LabTopology.PrefixLength} ", StringComparison.Ordinal);
        var sshds = await Task.WhenAll(_nodes.Select(async node => (Key: Sshd(node), Up: _proc.LiveDaemonPid(LabDaemon.Sshd(paths, node)) is not null
            && await ListensAsync(node.Namespace, 22, ct).ConfigureAwait(false)))).ConfigureAwait(false);
        foreach (var (key, up) in sshds)
        {
            health[key] = up;
        }

        health[Nginx] = _proc.LiveDaemonPid(LabDaemon.Nginx(paths)) is not null
            && await ListensAsync(LabTopology.Pod.Namespace, LabTopology.PodPort, ct).ConfigureAwait(false);
        health[Datapath] = recorded == DatapathPlan.None
            ? await NoDatapathAsync(ct).ConfigureAwait(false)
            : DatapathModes.TryParse(recorded, out var mode) && await DatapathInPlaceAsync(mode, ct).ConfigureAwait(false);
        return health;
    }

    private async Task<bool> ListensAsync(string ns, int port, CancellationToken ct)
    {
        var result = await shell.ProbeAsync(
            LabCommand.Exec(ns, "ss", "-Hltn", "sport", "=", ":" + port.ToString(CultureInfo.InvariantCulture)), ct).ConfigureAwait(false);
        return result.Succeeded && !string.IsNullOrWhiteSpace(result.StdOut);
    }

    /// <summary>A cheap fingerprint of each mode: kube-proxy's chain, the steering rule, the tunnel return rule.</summary>
    private async Task<bool> DatapathInPlaceAsync(DatapathMode mode, CancellationToken ct)
    {
        var ingress = LabTopology.IngressNode.Namespace;
        var backend = LabTopology.BackendNode.Namespace;
        if (mode == DatapathMode.Iptables)
        {
            return (await shell.ProbeAsync(LabCommand.Exec(ingress, "iptables", "-t", "nat", "-S", "KUBE-NODEPORTS"), ct).ConfigureAwait(false)).Succeeded;
        }

        var steering = await RuleExistsAsync(ingress, DatapathPlan.SteeringRulePref, ct).ConfigureAwait(false);
        var returnRule = await RuleExistsAsync(backend, DatapathPlan.ReturnRulePref, ct).ConfigureAwait(false);
        return steering && returnRule == (mode == DatapathMode.EbpfTunnel);
    }

    /// <summary>"none": neither kube-proxy's chain nor the eBPF steering rule is there.</summary>
    private async Task<bool> NoDatapathAsync(CancellationToken ct)
    {
        var ingress = LabTopology.IngressNode.Namespace;
        var chain = await shell.ProbeAsync(LabCommand.Exec(ingress, "iptables", "-t", "nat", "-S", "KUBE-NODEPORTS"), ct).ConfigureAwait(false);
        return !chain.Succeeded && !await RuleExistsAsync(ingress, DatapathPlan.SteeringRulePref, ct).ConfigureAwait(false);
    }

    private async Task<bool> RuleExistsAsync(string ns, int pref, CancellationToken ct)
    {
        var result = await shell.ProbeAsync(
            LabCommand.IpIn(ns, "rule", "show", "pref", pref.ToString(CultureInfo.InvariantCulture)), ct).ConfigureAwait(false);
        return result.Succeeded && !string.IsNullOrWhiteSpace(result.StdOut);
    }
}
