using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Core.Tests.Migration;

/// <summary>The fake the step and engine tests rely on behaves like the API where it matters.</summary>
public sealed class FakeMigrationApiTests
{
    private static readonly ObjectRef Cm = new("v1", "configmaps", "kube-system", "x", "ConfigMap");

    [Fact]
    public async Task Patch_StaleResourceVersion_409AndNothingChanged()
    {
        var api = new FakeMigrationApi();
        var stored = api.Put(Cm, JsonNode.Parse("""{"data":{"a":"1"}}""")!.AsObject());
        api.Mutate(Cm, o => o["data"]!["a"] = "2");

        var error = await Assert.ThrowsAsync<MigrationApiException>(() =>
            api.PatchAsync(Cm, PatchKind.Merge, new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = stored["metadata"]!["resourceVersion"]!.DeepClone() }, ["data"] = new JsonObject { ["a"] = "3" } }, false, default));

        Assert.Equal((ApiErrorKind.Conflict, 409), (error.Kind, error.Status));
        Assert.Equal("2", api.Peek(Cm)!["data"]!["a"]!.GetValue<string>());
    }

    [Fact]
    public async Task DryRun_AnswersButStoresNothing()
    {
        var api = new FakeMigrationApi();
        api.Put(Cm, JsonNode.Parse("""{"data":{"a":"1"}}""")!.AsObject());

        var answer = await api.PatchAsync(Cm, PatchKind.Merge, JsonNode.Parse("""{"data":{"a":"9"}}""")!.AsObject(), true, default);
        await api.DeleteAsync(Cm, null, true, default);
        await api.CreateAsync(new ObjectRef("v1", "configmaps", "kube-system", "y", "ConfigMap"), new JsonObject { ["metadata"] = new JsonObject() }, true, default);

        Assert.Equal("9", answer["data"]!["a"]!.GetValue<string>());
        Assert.Equal("1", api.Peek(Cm)!["data"]!["a"]!.GetValue<string>());
        Assert.Null(api.Peek(new ObjectRef("v1", "configmaps", "kube-system", "y", "ConfigMap")));
        Assert.Equal(["PATCH merge /api/v1/namespaces/kube-system/configmaps/x +dryRun", "DELETE /api/v1/namespaces/kube-system/configmaps/x +dryRun", "CREATE /api/v1/namespaces/kube-system/configmaps/y +dryRun"], api.Calls);
    }

    [Fact]
    public async Task List_ByEqualitySelector_AndFailNextThrowsOnce()
    {
        var api = new FakeMigrationApi();
        api.AddPod("kube-system", "p1", "k8s-app=kube-proxy", "node-1");
        api.AddPod("kube-system", "p2", "k8s-app=calico-node", "node-1");
        api.AddPod("other", "p3", "k8s-app=kube-proxy", "node-1");
        api.FailNext(new MigrationApiException(ApiErrorKind.Unavailable, null, "down"));

        await Assert.ThrowsAsync<MigrationApiException>(() => api.ListAsync("v1", "pods", "kube-system", "k8s-app=kube-proxy", default));
        var pods = await api.ListAsync("v1", "pods", "kube-system", "k8s-app=kube-proxy", default);
        var all = await api.ListAsync("v1", "pods", null, "k8s-app==kube-proxy", default);

        Assert.Equal(["p1"], pods.Select(p => p["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal(2, all.Count);
    }

    [Fact]
    public async Task Create_Existing_409_Log_UnknownPod_404()
    {
        var api = new FakeMigrationApi();
        api.Put(Cm, new JsonObject());

        Assert.Equal(ApiErrorKind.Conflict, (await Assert.ThrowsAsync<MigrationApiException>(() => api.CreateAsync(Cm, new JsonObject { ["metadata"] = new JsonObject() }, false, default))).Kind);
        Assert.Equal(ApiErrorKind.NotFound, (await Assert.ThrowsAsync<MigrationApiException>(() => api.ReadLogAsync("kube-system", "nope", null, null, default))).Kind);
    }
}
