using System.Diagnostics;
using EbpfConsole.Core.Nodes;

namespace EbpfConsole.Core.Preflight;

/// <summary>How a preflight run goes: fan-out, per-node limit, and which nodes and checks (the CLI's --node and --check).</summary>
public sealed record PreflightOptions
{
    /// <summary>Nodes checked at once (bounded fan-out).</summary>
    public int MaxParallelNodes { get; init; } = 16;

    /// <summary>Limit per node for connecting and running the probe together; past it the node's checks are unknown.</summary>
    public TimeSpan NodeTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Only these nodes (names as in the API); null for all.</summary>
    public IReadOnlySet<string>? Nodes { get; init; }

    /// <summary>Only these check ids (P5, RBAC); null for all.</summary>
    public IReadOnlySet<string>? Checks { get; init; }
}

/// <summary>
/// Runs preflight: reads the cluster through the API, evaluates the cluster checks, then probes the nodes over SSH with a
/// bounded fan-out, publishing a new <see cref="PreflightSnapshot"/> as each result arrives. Runs never overlap; a run for
/// one node keeps the other nodes' last results. Expected failures (an unreachable node, the API down) are results; only
/// cancellation throws.
/// </summary>
public sealed class PreflightRunner : IDisposable
{
    private readonly IClusterReader _cluster;
    private readonly INodeShell _shell;
    private readonly Func<ClusterNode, NodeTarget?> _targetFor;
    private readonly TimeProvider _time;
    private readonly PreflightOptions _options;
    private readonly SemaphoreSlim _runGate = new(1, 1);
    private readonly Lock _publishGate = new();
    private PreflightSnapshot _latest = PreflightSnapshot.NotStarted;

    /// <param name="cluster">Reads the API.</param>
    /// <param name="shell">Runs the node probe.</param>
    /// <param name="targetFor">Where to reach a node over SSH (its InternalIP unless mapped); null when it cannot be reached (no address).</param>
    /// <param name="time">Clock for timestamps and elapsed times.</param>
    /// <param name="options">Fan-out, limits and filters.</param>
    private ClusterFacts? _lastFacts;

    public PreflightRunner(IClusterReader cluster, INodeShell shell, Func<ClusterNode, NodeTarget?> targetFor, TimeProvider time, PreflightOptions options)
    {
        _cluster = cluster ?? throw new ArgumentNullException(nameof(cluster));
        _shell = shell ?? throw new ArgumentNullException(nameof(shell));
        _targetFor = targetFor ?? throw new ArgumentNullException(nameof(targetFor));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The latest state; a new instance whenever something changed.</summary>
    public PreflightSnapshot Latest => Volatile.Read(ref _latest);

    /// <summary>The cluster facts the last run read (the migration plan is made from them); null before the first read.</summary>
    public ClusterFacts? LastFacts => Volatile.Read(ref _lastFacts);

    /// <summary>Raised (on a background thread) with each new snapshot.</summary>
    public event Action<PreflightSnapshot>? Changed;

    /// <summary>Runs every check, or (<paramref name="onlyNode"/>) the cluster checks and that node's. Waits for a running run to end first.</summary>
    public async Task<PreflightSnapshot> RunAsync(string? onlyNode, CancellationToken cancellationToken)
    {
        await _runGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunLockedAsync(onlyNode, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _runGate.Release();
        }
    }

    private async Task<PreflightSnapshot> RunLockedAsync(string? onlyNode, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var previous = Latest;
        Publish(_ => previous with { Running = true, Error = null, StartedAt = started, FinishedAt = null });
        ClusterFacts facts;
        try
        {
            facts = await _cluster.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException e)
        {
            return Publish(s => s with { Running = false, Error = e.Message, FinishedAt = _time.GetUtcNow() });
        }

        Volatile.Write(ref _lastFacts, facts);
        var summary = ClusterSummaries.From(facts);
        if (facts.Nodes.Error is { } nodesError)
        {
            // Without the node list there is nothing to check: the run cannot say anything about readiness.
            return Publish(s => s with
            {
                Cluster = summary, Running = false, Error = $"could not list the nodes ({facts.Nodes.Path}): {nodesError}", FinishedAt = _time.GetUtcNow(),
            });
        }

        var selected = SelectNodes(summary, onlyNode, out var selectionError);
        if (selectionError is not null)
        {
            return Publish(s => s with { Cluster = summary, Running = false, Error = selectionError, FinishedAt = _time.GetUtcNow() });
        }

        var clusterChecks = Filter(PreflightRules.EvaluateCluster(facts));
        var rows = summary.Nodes
            .Where(n => _options.Nodes is null || _options.Nodes.Contains(n.Name))
            .Select(n => selected.Contains(n)
                ? new NodePreflight(n.Name, AddressOf(n), NodeRunState.Pending, [])
                : previous.Nodes.FirstOrDefault(p => p.Node == n.Name) ?? new NodePreflight(n.Name, AddressOf(n), NodeRunState.Pending, []))
            .ToArray();
        Publish(s => s with { Cluster = summary, ClusterChecks = clusterChecks, Nodes = rows });

        using var fanOut = new SemaphoreSlim(Math.Max(1, _options.MaxParallelNodes));
        await Task.WhenAll(selected.Select(n => CheckNodeAsync(facts, n, fanOut, cancellationToken))).ConfigureAwait(false);
        return Publish(s => s with { Running = false, FinishedAt = _time.GetUtcNow() });
    }

    public void Dispose() => _runGate.Dispose();

    private List<ClusterNode> SelectNodes(ClusterSummary summary, string? onlyNode, out string? error)
    {
        error = null;
        var known = summary.Nodes.Select(n => n.Name).ToArray();
        var wanted = new List<string>();
        if (_options.Nodes is { } filter)
        {
            wanted.AddRange(filter);
        }

        if (onlyNode is not null)
        {
            wanted.Add(onlyNode);
        }

        var missing = wanted.Where(w => !known.Contains(w, StringComparer.Ordinal)).ToArray();
        if (missing.Length > 0)
        {
            error = $"node {string.Join(", ", missing.Select(m => $"'{m}'"))} not found; known: {(known.Length == 0 ? "(none)" : string.Join(", ", known))}";
            return [];
        }

        return summary.Nodes
            .Where(n => _options.Nodes is null || _options.Nodes.Contains(n.Name))
            .Where(n => onlyNode is null || n.Name == onlyNode)
            .ToList();
    }

    private string AddressOf(ClusterNode node) => _targetFor(node)?.Address ?? node.InternalIp ?? "-";

    private async Task CheckNodeAsync(ClusterFacts facts, ClusterNode node, SemaphoreSlim fanOut, CancellationToken cancellationToken)
    {
        await fanOut.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var clock = Stopwatch.StartNew();
            var target = _targetFor(node);
            var address = target?.Address ?? node.InternalIp ?? "-";
            UpdateNode(new NodePreflight(node.Name, address, NodeRunState.Running, []));
            var nodeFacts = target is null
                ? NodeFacts.Failed(node.Name, address, $"{node.Name} has no InternalIP in its Node status and no SSH address was given for it")
                : IsWindows(node)
                    ? NodeFacts.Failed(node.Name, address, $"{node.Name} is a Windows node: not probed over SSH (Calico's eBPF dataplane is Linux-only; see P4)")
                    : await ProbeAsync(facts, node, target, cancellationToken).ConfigureAwait(false);
            var results = Filter(PreflightRules.EvaluateNode(facts, nodeFacts));
            UpdateNode(new NodePreflight(node.Name, address, NodeRunState.Done, results, nodeFacts.Failure, clock.Elapsed));
        }
        finally
        {
            fanOut.Release();
        }
    }

    private static bool IsWindows(ClusterNode node) => string.Equals(node.OperatingSystem, "windows", StringComparison.OrdinalIgnoreCase);

    private async Task<NodeFacts> ProbeAsync(ClusterFacts facts, ClusterNode node, NodeTarget target, CancellationToken cancellationToken)
    {
        ShellResult result;
        try
        {
            result = await _shell.RunAsync(target, NodeProbeScript.Build(facts, node.Name), _options.NodeTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The shell reports failures as results; one that throws must still not stop the other nodes.
            result = new ShellResult(null, "", "", $"{target.User}@{target.Address}:{target.Port}: {e.Message}");
        }

        return NodeProbeScript.ToFacts(node.Name, target.Address, result);
    }

    private CheckResult[] Filter(IEnumerable<CheckResult> results) =>
        results.Where(r => _options.Checks is null || _options.Checks.Contains(r.Id)).ToArray();

    private void UpdateNode(NodePreflight row) =>
        Publish(s => s with { Nodes = s.Nodes.Select(n => n.Node == row.Node ? row : n).ToArray() });

    private PreflightSnapshot Publish(Func<PreflightSnapshot, PreflightSnapshot> change)
    {
        PreflightSnapshot next;
        lock (_publishGate)
        {
            next = change(_latest);
            Volatile.Write(ref _latest, next);
        }

        Changed?.Invoke(next);
        return next;
    }
}
