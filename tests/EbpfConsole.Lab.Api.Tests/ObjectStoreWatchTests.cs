using System.Globalization;
using System.Threading.Channels;
using EbpfConsole.Lab.Api;
using static EbpfConsole.Lab.Api.Tests.TestObjects;

namespace EbpfConsole.Lab.Api.Tests;

public sealed class ObjectStoreWatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Watch_WithoutResourceVersion_SendsAddedForCurrentThenLive()
    {
        var store = Store();
        store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"));
        using var cts = new CancellationTokenSource();
        var reader = store.Watch(ResourceCatalog.ConfigMaps, "default", ListOptions.None, cts.Token);

        store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("b"));
        store.Create(ResourceCatalog.ConfigMaps, "kube-system", ConfigMap("other-namespace"));
        store.Delete(ResourceCatalog.ConfigMaps, "default", "a");

        Assert.Equal(("ADDED", "a"), await NextAsync(reader));
        Assert.Equal(("ADDED", "b"), await NextAsync(reader));
        Assert.Equal(("DELETED", "a"), await NextAsync(reader));
    }

    [Fact]
    public async Task Watch_FromResourceVersion_ReplaysLaterEventsOnly()
    {
        var store = Store();
        var a = store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"));
        store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("b"));
        a["data"]!["k"] = "changed";
        store.Update(ResourceCatalog.ConfigMaps, "default", "a", a.DeepClone().AsObject());

        using var cts = new CancellationTokenSource();
        var reader = store.Watch(ResourceCatalog.ConfigMaps, null, new ListOptions(ResourceVersion: Rv(a)), cts.Token);

        Assert.Equal(("ADDED", "b"), await NextAsync(reader));
        Assert.Equal(("MODIFIED", "a"), await NextAsync(reader));
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void Watch_OlderThanHistory_IsGone()
    {
        var store = Store();
        for (var i = 0; i < ObjectStore.HistoryLimit + 5; i++)
        {
            store.Patch(ResourceCatalog.Namespaces, null, "default", PatchType.Merge, "{\"metadata\":{\"labels\":{\"n\":\"" + i.ToString(CultureInfo.InvariantCulture) + "\"}}}");
        }

        var e = Assert.Throws<ApiException>(() => store.Watch(ResourceCatalog.Namespaces, null, new ListOptions(ResourceVersion: "1"), CancellationToken.None));

        Assert.Equal((410, "Expired"), (e.Code, e.Reason));
        Assert.StartsWith("too old resource version: 1 (", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_WithSelector_ObjectLeavingTheSelectionArrivesAsDeleted()
    {
        var store = Store();
        store.Create(ResourceCatalog.Pods, "default", Pod("p", app: "nginx"));
        using var cts = new CancellationTokenSource();
        var reader = store.Watch(ResourceCatalog.Pods, "default", new ListOptions(LabelSelector: "app=nginx", ResourceVersion: store.ResourceVersion.ToString(CultureInfo.InvariantCulture)), cts.Token);

        store.Patch(ResourceCatalog.Pods, "default", "p", PatchType.Merge, """{"metadata":{"labels":{"app":"other"}}}""");
        store.Patch(ResourceCatalog.Pods, "default", "p", PatchType.Merge, """{"metadata":{"labels":{"x":"y"}}}""");
        store.Patch(ResourceCatalog.Pods, "default", "p", PatchType.Merge, """{"metadata":{"labels":{"app":"nginx"}}}""");

        Assert.Equal(("DELETED", "p"), await NextAsync(reader));
        Assert.Equal(("ADDED", "p"), await NextAsync(reader));
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public async Task Watch_Cancelled_Completes()
    {
        var store = Store();
        using var cts = new CancellationTokenSource();
        var reader = store.Watch(ResourceCatalog.ConfigMaps, null, new ListOptions(ResourceVersion: store.ResourceVersion.ToString(CultureInfo.InvariantCulture)), cts.Token);

        await cts.CancelAsync();

        await reader.Completion.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Watch_ThatFallsBehind_IsClosed()
    {
        var store = Store();
        using var cts = new CancellationTokenSource();
        var reader = store.Watch(ResourceCatalog.Namespaces, null, new ListOptions(ResourceVersion: store.ResourceVersion.ToString(CultureInfo.InvariantCulture)), cts.Token);

        for (var i = 0; i <= ObjectStore.WatcherBuffer; i++)
        {
            store.Patch(ResourceCatalog.Namespaces, null, "default", PatchType.Merge, "{\"metadata\":{\"labels\":{\"n\":\"" + i.ToString(CultureInfo.InvariantCulture) + "\"}}}");
        }

        var count = 0;
        await foreach (var unused in reader.ReadAllAsync().WithCancellation(new CancellationTokenSource(Timeout).Token))
        {
            count++;
        }

        Assert.Equal(ObjectStore.WatcherBuffer, count);
    }

    private static async Task<(string Type, string Name)> NextAsync(ChannelReader<WatchEvent> reader)
    {
        var e = await reader.ReadAsync().AsTask().WaitAsync(Timeout);
        return (e.Type, e.Item["metadata"]!["name"]!.GetValue<string>());
    }
}
