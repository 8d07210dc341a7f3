using EbpfConsole.Lab.Api;

namespace EbpfConsole.Lab.Cluster;

/// <summary>
/// CONTRACT STUB (helper C replaces the bodies; signatures are fixed, the API server daemon codes against them).
/// The lab's kubelet, kube-proxy, calico-node and controllers in one: turns API objects into pods and the
/// lab's datapath, writes the pods' logs, and answers pod-log requests.
/// </summary>
public sealed class LabController : IPodLogSource
{
    public LabController(LabPaths paths, ObjectStore store, ILabDatapath datapath, TimeProvider? time = null) => throw new NotImplementedException();

    /// <summary>Loads the scenario's objects into an empty store (a store restored from disk is left as it is).</summary>
    public void EnsureSeeded(string scenario) => throw new NotImplementedException();

    /// <summary>Reconciles on every store change and on a timer until <paramref name="ct"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken ct) => throw new NotImplementedException();

    public Task WriteAsync(string ns, string pod, PodLogOptions options, Stream output, CancellationToken ct) => throw new NotImplementedException();
}
