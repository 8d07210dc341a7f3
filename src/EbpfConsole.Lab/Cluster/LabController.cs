using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Lab.Cluster;

/// <summary>
/// The lab's kubelet, kube-proxy, calico-node and controllers in one: turns API objects into pods and the
/// lab's datapath, writes the pods' logs, and answers pod-log requests. Reconciles on every store change and
/// every second; passes never overlap, and a pass over settled objects writes nothing.
/// </summary>
public sealed class LabController : IPodLogSource
{
    private readonly LabPaths _paths;
    private readonly ObjectStore _store;
    private readonly TimeProvider _time;
    private readonly PodLogFiles _logs;
    private readonly PodLogReader _reader;
    private readonly Lock _gate = new();
    private readonly ILabDatapath _datapath;
    private LabReconciler? _reconciler;
    private LabScenario? _scenario;
    private Task _lastPass = Task.CompletedTask;

    public LabController(LabPaths paths, ObjectStore store, ILabDatapath datapath, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(datapath);
        _paths = paths;
        _store = store;
        _datapath = datapath;
        _time = time ?? TimeProvider.System;
        _logs = new PodLogFiles(paths);
        _reader = new PodLogReader(paths, _logs, (ns, pod) => _store.TryGet(ResourceCatalog.Pods, ns, pod), _time);
    }

    /// <summary>Where reconcile problems are reported (one line each; the daemon logs them). Null = dropped.</summary>
    public Action<string>? Diagnostics { get; init; }

    /// <summary>How often a pass runs without a store change (pods starting, Felix/kube-proxy conflicts).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a pod stays ContainerCreating before it runs.</summary>
    public TimeSpan StartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often Felix and kube-proxy fight over iptables while both run.</summary>
    public TimeSpan ConflictInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The scenario in force (the one given to <see cref="EnsureSeeded"/>, else the default).</summary>
    public LabScenario Scenario => _scenario ??= LabScenario.Load(LabScenario.Default);

    /// <summary>Host facts shown on the Node objects; unit tests supply their own.</summary>
    internal HostFacts HostFacts { get; init; } = HostFacts.Read();

    internal Random Random { get; init; } = Random.Shared;

    /// <summary>Loads the scenario's objects into an empty store (a store restored from disk is left as it is).</summary>
    public void EnsureSeeded(string scenario) => EnsureSeeded(LabScenario.Load(scenario));

    /// <summary>As <see cref="EnsureSeeded(string)"/>, with a Node object for each of node-1 … node-<paramref name="nodes"/>.</summary>
    public void EnsureSeeded(string scenario, int nodes) => EnsureSeeded(LabScenario.Load(scenario), nodes);

    /// <summary>Seeds from an already loaded scenario (unit tests load theirs from a test directory).</summary>
    internal void EnsureSeeded(LabScenario scenario, int nodes = LabTopology.DefaultNodes)
    {
        var hosts = LabTopology.NodesFor(nodes);
        _scenario = scenario;
        if (ClusterJson.Arr(_store.List(ResourceCatalog.Namespaces, null, ListOptions.None), "items") is { Count: > 0 })
        {
            return;
        }

        var ordered = scenario.Objects
            .OrderBy(o => ClusterJson.Kind(o) == "Namespace" ? 0 : ResourceCatalog.FindByKind(ClusterJson.Str(o, "apiVersion"), ClusterJson.Kind(o))!.Namespaced ? 2 : 1)
            .ToList();
        foreach (var obj in ordered)
        {
            var resource = ResourceCatalog.FindByKind(ClusterJson.Str(obj, "apiVersion"), ClusterJson.Kind(obj))!;
            CreateIfMissing(resource, ClusterJson.Namespace(obj), (JsonObject)obj.DeepClone());
        }

        foreach (var node in hosts)
        {
            CreateIfMissing(ResourceCatalog.Nodes, null, LabNodeFactory.Build(node, scenario, HostFacts, _time.GetUtcNow()));
        }
    }

    /// <summary>Reconciles on every store change and on a timer until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var wake = new SemaphoreSlim(0, 1);
        void OnChange(StoreChange change)
        {
            if (wake.CurrentCount == 0)
            {
                try
                {
                    wake.Release();
                }
                catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
                {
                    // Another change already woke the loop, or the loop has ended.
                }
            }
        }

        _store.Changed += OnChange;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await ReconcileOnceAsync(ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Diagnostics?.Invoke($"lab controller: reconcile failed: {ex.GetType().Name}: {ex.Message}");
                }

                try
                {
                    await wake.WaitAsync(Interval, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    break;
                }
            }
        }
        finally
        {
            _store.Changed -= OnChange;
        }
    }

    /// <summary>One reconcile pass, after any pass still running (passes never overlap).</summary>
    public Task ReconcileOnceAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            _lastPass = PassAfterAsync(_lastPass, ct);
            return _lastPass;
        }
    }

    private async Task PassAfterAsync(Task previous, CancellationToken ct)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ct.ThrowIfCancellationRequested();
        _reconciler ??= new LabReconciler(_store, _paths, _datapath, _time, () => Scenario, _logs, new LabNames(Random), Diagnostics)
        {
            StartDelay = StartDelay,
            ConflictInterval = ConflictInterval,
        };
        await _reconciler.PassAsync(ct).ConfigureAwait(false);
    }

    public Task WriteAsync(string ns, string pod, PodLogOptions options, Stream output, CancellationToken ct) =>
        _reader.WriteAsync(ns, pod, options, output, ct);

    private void CreateIfMissing(ResourceType resource, string? ns, JsonObject obj)
    {
        try
        {
            _store.Create(resource, ns, obj);
        }
        catch (ApiException ex) when (ex.Code == 409)
        {
            // Already there (a partly seeded store): keep what exists.
        }
    }
}
