using EbpfConsole.Lab.Api;
using EbpfConsole.Lab.Cluster;
using static EbpfConsole.Lab.Tests.Cluster.ClusterBed;

namespace EbpfConsole.Lab.Tests.Cluster;

public sealed class LabEventsTests : IDisposable
{
    private readonly ClusterBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void Record_SameEventTwice_BumpsTheCountInsteadOfAddingOne()
    {
        var events = new LabEvents(_bed.Store, _bed.Time);
        var ds = _bed.Store.Get(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy");

        events.Warning(ds, "KubeProxyConflict", "fight", "calico-node");
        _bed.Time.Advance(TimeSpan.FromSeconds(5));
        events.Warning(ds, "KubeProxyConflict", "fight", "calico-node");

        var ev = Assert.Single(_bed.Events());
        Assert.Equal(2, ev["count"]!.GetValue<int>());
        Assert.Equal("Warning", Str(ev, "type"));
        Assert.Equal("kube-proxy", Str(ev, "involvedObject.name"));
        Assert.Equal("2026-11-27T12:00:00Z", Str(ev, "firstTimestamp"));
        Assert.Equal("2026-11-27T12:00:05Z", Str(ev, "lastTimestamp"));
    }

    [Fact]
    public void Trim_KeepsTheNewestUpToTheLimit()
    {
        var events = new LabEvents(_bed.Store, _bed.Time) { Limit = 3 };
        var ds = _bed.Store.Get(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy");
        for (var i = 0; i < 5; i++)
        {
            events.Normal(ds, "SuccessfulCreate", $"Created pod: p{i}", "daemonset-controller");
            _bed.Time.Advance(TimeSpan.FromSeconds(1));
        }

        events.Trim();

        Assert.Equal(["Created pod: p2", "Created pod: p3", "Created pod: p4"], _bed.Events().Select(e => Str(e, "message")).Order());
    }
}
