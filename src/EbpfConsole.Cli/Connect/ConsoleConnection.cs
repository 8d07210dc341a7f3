using EbpfConsole.Capture.Sources;
using EbpfConsole.Cluster;
using EbpfConsole.Cluster.Config;
using EbpfConsole.Cluster.Reading;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Lab;
using EbpfConsole.Nodes;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Cli.Connect;

/// <summary>
/// What a cluster verb talks to: the API (kubeconfig conventions, or the lab's kubeconfig with <c>--lab</c>) and the nodes
/// over SSH (flags, ~/.ssh/config, ProxyJump; with <c>--lab</c> the lab's key and known_hosts only, user root, strict).
/// A node is reached at its InternalIP unless ssh_config maps its name elsewhere.
/// </summary>
internal sealed class ConsoleConnection : IDisposable
{
    private readonly KubernetesClusterReader _reader;
    private readonly SshRouteResolver _resolver;
    private readonly SshNodeShell _shell;
    private readonly INodeShell _guardedShell;
    private readonly LabReachGuard? _labGuard;
    private readonly string _defaultUser;

    private ConsoleConnection(string name, KubeconfigOptions kubeconfig, KubernetesClusterReader reader, SshRouteResolver resolver, bool lab, string defaultUser)
    {
        Name = name;
        Kubeconfig = kubeconfig;
        _reader = reader;
        _resolver = resolver;
        _shell = new SshNodeShell(resolver);
        _labGuard = lab ? new LabReachGuard() : null;
        _guardedShell = _labGuard is { } guard ? new LabGuardedShell(_shell, guard) : _shell;
        _defaultUser = defaultUser;
        Notes = resolver.Config.Notes;
    }

    /// <summary>Preflight in the console: more time per node than the CLI's, as a host key question may wait on the user.</summary>
    public static PreflightOptions ConsolePreflight { get; } = new() { MaxParallelNodes = 32, NodeTimeout = TimeSpan.FromSeconds(45) };

    /// <summary>"lab", or the kubeconfig context / file it came from.</summary>
    public string Name { get; }

    /// <summary>The kubeconfig options the reader uses (the migration opens its own API connection with them).</summary>
    public KubeconfigOptions Kubeconfig { get; }

    /// <summary>True for the lab.</summary>
    public bool IsLab => _labGuard is not null;

    /// <summary>Warnings from reading ssh_config (skipped Match blocks…), for the user.</summary>
    public IReadOnlyList<string> Notes { get; }

    public IClusterReader Reader => _reader;

    public INodeShell Shell => _guardedShell;

    /// <summary>Opens nothing on the network yet: the first API read and the first SSH run connect.</summary>
    /// <exception cref="ConnectionSetupException">A bad SSH flag or ssh_config line, or the lab is not up (one line).</exception>
    public static ConsoleConnection Open(ClusterTarget target, SshFlags flags, Prompts prompts) =>
        Open(target, flags, prompts, TimeSpan.FromSeconds(10));

    /// <param name="target">Which cluster.</param>
    /// <param name="flags">The SSH flags.</param>
    /// <param name="prompts">How to ask about unknown host keys and passphrases.</param>
    /// <param name="connectTimeout">SSH connect limit per hop (a host key question counts against it).</param>
    public static ConsoleConnection Open(ClusterTarget target, SshFlags flags, Prompts prompts, TimeSpan connectTimeout)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(prompts);
        SshSettings settings;
        KubeconfigOptions kubeconfig;
        string name;
        string defaultUser;
        if (target.Lab)
        {
            var paths = LabPaths.FromEnvironment();
            if (!Environment.IsPrivilegedProcess)
            {
                // The lab's key, known_hosts and kubeconfig are root's (the installed command re-runs --lab with sudo).
                throw new ConnectionSetupException(LabEnvironment.RootMessage);
            }

            if (!File.Exists(paths.KubeconfigPath))
            {
                throw new ConnectionSetupException($"the lab is not up (no {paths.KubeconfigPath}); run `ebpf-console lab up` first");
            }

            kubeconfig = new KubeconfigOptions(paths.KubeconfigPath);
            settings = NodeSsh.Lab(paths, flags, prompts);
            name = "lab";
            defaultUser = "root";
        }
        else
        {
            kubeconfig = new KubeconfigOptions(target.Kubeconfig, target.Context);
            settings = NodeSsh.Settings(flags, prompts);
            name = target.Context ?? target.Kubeconfig ?? "cluster";
            defaultUser = Environment.UserName; // OpenSSH's default: the local user name
        }

        var resolver = NodeSsh.Resolver(settings with { ConnectTimeout = connectTimeout });
        if (!target.Lab)
        {
            // Load the kubeconfig now (no network yet), so a missing or broken one is a one-line error before any screen opens.
            ClusterConnection.Open(kubeconfig).Dispose();
        }

        return new ConsoleConnection(name, kubeconfig, new KubernetesClusterReader(kubeconfig), resolver, target.Lab, defaultUser);
    }

    /// <summary>Where to reach <paramref name="node"/>: its InternalIP, else (not on the lab) its name; ssh_config may map either.</summary>
    public NodeTarget? TargetFor(ClusterNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.InternalIp is { Length: > 0 } ip)
        {
            return new NodeTarget(node.Name, ip, 22, _defaultUser);
        }

        // No InternalIP: on a cluster, reach the node by its name as `ssh NODE` would (ssh_config may map it); the lab's
        // nodes always have one, and a lab target is never a name to look up.
        return _labGuard is not null ? null : new NodeTarget(node.Name, node.Name, 22, _defaultUser);
    }

    /// <summary>
    /// How capture reaches a point's node: the same resolver as preflight (flags, ~/.ssh/config under the node's name,
    /// ProxyJump, known_hosts, the prompts) and, with <c>--lab</c>, the same reach guard before anything is sent.
    /// </summary>
    /// <param name="addressOf">A node's default address (its InternalIP), null when not known: then the name is the host.</param>
    public INodeConnector CaptureConnector(Func<string, string?> addressOf) =>
        new RouteNodeConnector(_resolver, addressOf, _defaultUser, _labGuard is { } guard ? guard.RefusalAsync : null);

    public PreflightRunner CreatePreflight(PreflightOptions options, TimeProvider? time = null) =>
        new(_reader, Shell, TargetFor, time ?? TimeProvider.System, options);

    public void Dispose()
    {
        _shell.Dispose();
        _reader.Dispose();
    }
}
