using System.Text.Json.Nodes;
using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab.Api;
using EbpfConsole.Lab.Cluster;

namespace EbpfConsole.Lab.Tests.Cluster;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTime : TimeProvider
{
    private DateTimeOffset _now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Records what the controller applies instead of touching the machine.</summary>
internal sealed class FakeDatapath : ILabDatapath
{
    public DatapathMode? ManualOverride { get; set; }

    public string? Current { get; private set; }

    public List<string> Applied { get; } = [];

    public Task ApplyAsync(DatapathMode? mode, CancellationToken ct)
    {
        Current = mode?.ToName() ?? "none";
        Applied.Add(Current);
        return Task.CompletedTask;
    }
}

/// <summary>The real ObjectStore (persisted in a temporary directory), a LabController on a manual clock and a fake datapath.</summary>
internal sealed class ClusterBed : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("eclab-cluster-");

    public ClusterBed(string scenario = "healthy", int nodes = LabTopology.DefaultNodes)
    {
        Paths = new LabPaths(Path.Combine(_root.FullName, "state"));
        Directory.CreateDirectory(Paths.ApiDir);
        Store = new ObjectStore(Paths.ApiStatePath, Time);
        Controller = NewController();
        Controller.EnsureSeeded(scenario, nodes);
    }

    public ManualTime Time { get; } = new();

    public FakeDatapath Datapath { get; } = new();

    public LabPaths Paths { get; }

    public ObjectStore Store { get; private set; }

    public LabController Controller { get; private set; }

    public List<string> Diagnostics { get; } = [];

    public LabController NewController() => new(Paths, Store, Datapath, Time)
    {
        HostFacts = new HostFacts("6.1.0-test", "Debian GNU/Linux 12 (bookworm)"),
        Random = new Random(7),
        Diagnostics = Diagnostics.Add,
    };

    /// <summary>Simulates a daemon restart: a new store loaded from the persisted file and a new controller.</summary>
    public void Restart(string scenario = "healthy")
    {
        Store = new ObjectStore(Paths.ApiStatePath, Time);
        Controller = NewController();
        Controller.EnsureSeeded(scenario);
    }

    /// <summary>Passes with the clock moving past the pod start delay, until nothing changes any more.</summary>
    public async Task SettleAsync()
    {
        for (var i = 0; i < 10; i++)
        {
            var before = Store.ResourceVersion;
            await Controller.ReconcileOnceAsync(CancellationToken.None);
            Time.Advance(TimeSpan.FromSeconds(1.1));
            await Controller.ReconcileOnceAsync(CancellationToken.None);
            if (Store.ResourceVersion == before)
            {
                return;
            }
        }

        throw new InvalidOperationException("the controller kept writing: " + string.Join("; ", Diagnostics));
    }

    public List<JsonObject> Pods(string? ns = "kube-system", string? selector = null) =>
        Items(Store.List(ResourceCatalog.Pods, ns, new ListOptions(selector)));

    public List<JsonObject> Events() => Items(Store.List(ResourceCatalog.Events, null, ListOptions.None));

    public JsonObject? DatapathRecord() => Store.TryGet(ResourceCatalog.ConfigMaps, "kube-system", "lab-datapath");

    public string LogOf(JsonObject pod, string container) =>
        File.Exists(Path.Combine(Paths.PodLogDir, $"{pod["metadata"]!["namespace"]}_{pod["metadata"]!["name"]}_{container}.log"))
            ? File.ReadAllText(Path.Combine(Paths.PodLogDir, $"{pod["metadata"]!["namespace"]}_{pod["metadata"]!["name"]}_{container}.log"))
            : string.Empty;

    public void Patch(ResourceType resource, string? ns, string name, string mergePatch) =>
        Store.Patch(resource, ns, name, PatchType.Merge, mergePatch);

    public void CreateServicesEndpoint(string ns = "kube-system") =>
        Store.Create(ResourceCatalog.ConfigMaps, ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "kubernetes-services-endpoint", ["namespace"] = ns },
            ["data"] = new JsonObject { ["KUBERNETES_SERVICE_HOST"] = "10.99.0.1", ["KUBERNETES_SERVICE_PORT"] = "6443" },
        });

    public void DeletePods(string selector, string ns = "kube-system") =>
        Store.DeleteCollection(ResourceCatalog.Pods, ns, new ListOptions(selector));

    public static List<JsonObject> Items(JsonObject list) => list["items"]!.AsArray().OfType<JsonObject>().ToList();

    public static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();

    public static string? Str(JsonObject obj, string dotted) => JsonTree.Str(obj, dotted);

    public void Dispose() => _root.Delete(recursive: true);
}
