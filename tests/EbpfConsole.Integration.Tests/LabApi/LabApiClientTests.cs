using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace EbpfConsole.Integration.Tests.LabApi;

/// <summary>KubernetesClient (what the console's own code will use) against the emulated API server.</summary>
[Collection(LabApiCollectionDefinition.Name)]
public sealed class LabApiClientTests(LabApiFixture fixture)
{
    [Fact]
    public async Task CreateGetListDelete_RoundTrip()
    {
        var ns = fixture.NewNamespace("client");
        using var client = (Kubernetes)fixture.Kubernetes();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(NewConfigMap("c1"), ns);
        Assert.False(string.IsNullOrEmpty(created.Metadata.ResourceVersion));

        var read = await client.CoreV1.ReadNamespacedConfigMapAsync("c1", ns);
        Assert.Equal("v", read.Data["k"]);
        var list = await client.CoreV1.ListNamespacedConfigMapAsync(ns);
        Assert.Equal(["c1"], list.Items.Select(i => i.Metadata.Name));

        await client.CoreV1.DeleteNamespacedConfigMapAsync("c1", ns);
        var gone = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedConfigMapAsync("c1", ns));
        Assert.Equal(HttpStatusCode.NotFound, gone.Response.StatusCode);
    }

    [Fact]
    public async Task Replace_WithStaleResourceVersion_Is409()
    {
        var ns = fixture.NewNamespace("client409");
        using var client = (Kubernetes)fixture.Kubernetes();
        var original = await client.CoreV1.CreateNamespacedConfigMapAsync(NewConfigMap("c"), ns);
        original.Data["k"] = "one";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(original, "c", ns);
        original.Data["k"] = "two";
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(original, "c", ns));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Contains("\"reason\":\"Conflict\"", conflict.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_MergeAndStrategic_AreApplied()
    {
        var ns = fixture.NewNamespace("clientpatch");
        using var client = (Kubernetes)fixture.Kubernetes();
        await client.CoreV1.CreateNamespacedConfigMapAsync(NewConfigMap("c"), ns);
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"a":"1"}}""", V1Patch.PatchType.MergePatch), "c", ns);
        var patched = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"b":"2"}}""", V1Patch.PatchType.StrategicMergePatch), "c", ns);
        Assert.Equal("1", patched.Data["a"]);
        Assert.Equal("2", patched.Data["b"]);
        Assert.Equal("v", patched.Data["k"]);
    }

    [Fact]
    public async Task Watch_DeliversAddedAndDeleted()
    {
        var ns = fixture.NewNamespace("clientwatch");
        using var client = (Kubernetes)fixture.Kubernetes();
        var events = new List<(WatchEventType Type, string Name)>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, item) in client.CoreV1.WatchListNamespacedConfigMapAsync(ns, timeoutSeconds: 30, cancellationToken: stop.Token))
            {
                lock (events)
                {
                    events.Add((type, item.Metadata.Name));
                }
            }
        });

        await client.CoreV1.CreateNamespacedConfigMapAsync(NewConfigMap("w"), ns);
        await ApiAssert.EventuallyAsync(() => Seen(WatchEventType.Added), "ADDED");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("w", ns);
        await ApiAssert.EventuallyAsync(() => Seen(WatchEventType.Deleted), "DELETED");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching);

        bool Seen(WatchEventType type)
        {
            lock (events)
            {
                return events.Contains((type, "w"));
            }
        }
    }

    [Fact]
    public async Task ReadPodLog_ReturnsTheLines()
    {
        var ns = fixture.NewNamespace("clientlog");
        fixture.PodLogs.Add(ns, "felix", "BPF enabled, starting BPF endpoint manager and map manager.");
        using var client = (Kubernetes)fixture.Kubernetes();
        await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync("felix", ns, container: "calico-node");
        using var reader = new StreamReader(stream);
        Assert.Equal("BPF enabled, starting BPF endpoint manager and map manager.\n", await reader.ReadToEndAsync());
    }

    private static V1ConfigMap NewConfigMap(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Data = new Dictionary<string, string> { ["k"] = "v" },
    };
}
