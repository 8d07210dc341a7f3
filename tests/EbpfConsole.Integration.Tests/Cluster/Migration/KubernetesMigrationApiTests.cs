using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using EbpfConsole.Cluster.Migration;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Lab.ApiServer;

namespace EbpfConsole.Integration.Tests.Cluster.Migration;

/// <summary>
/// The migration's API adapter against the real lab API server process (healthy scenario, admin identity unless said):
/// every verb the steps use, dryRun=All, preconditions, 409s, RBAC denials and a server that is not there.
/// </summary>
public sealed class KubernetesMigrationApiTests(HealthyClusterApiFixture fixture) : IClassFixture<HealthyClusterApiFixture>
{
    private static readonly ObjectRef KubeProxy = new("apps/v1", "daemonsets", "kube-system", "kube-proxy", "DaemonSet");
    private static readonly ObjectRef Felix = new("crd.projectcalico.org/v1", "felixconfigurations", null, "default", "FelixConfiguration");

    [Fact]
    public async Task GetAsync_Existing_IsTheObjectAsServed_Missing_IsNull()
    {
        using var connection = fixture.Open();
        var api = new KubernetesMigrationApi(connection);

        var ds = await api.GetAsync(KubeProxy, CancellationToken.None);
        var missing = await api.GetAsync(ConfigMap("never-created"), CancellationToken.None);

        Assert.NotNull(ds);
        Assert.Equal("DaemonSet", (string?)ds["kind"]);
        Assert.False(string.IsNullOrEmpty((string?)ds["metadata"]!["resourceVersion"]));
        Assert.Null(missing);
    }

    [Fact]
    public async Task ListAsync_WithSelector_ReturnsOnlyTheMatchingObjectsWithKind()
    {
        using var connection = fixture.Open();
        var api = new KubernetesMigrationApi(connection);
        await api.CreateAsync(ConfigMap("list-a"), ConfigMapBody("list-a", labels: new() { ["migration-test"] = "list-a" }), false, CancellationToken.None);
        await api.CreateAsync(ConfigMap("list-b"), ConfigMapBody("list-b", labels: new() { ["migration-test"] = "other" }), false, CancellationToken.None);

        var items = await api.ListAsync("v1", "configmaps", "kube-system", "migration-test in (list-a)", CancellationToken.None);
        var daemonSets = await api.ListAsync("apps/v1", "daemonsets", "kube-system", "k8s-app=kube-proxy", CancellationToken.None);

        Assert.Equal(["list-a"], items.Select(i => (string?)i["metadata"]!["name"]));
        Assert.Equal("ConfigMap", (string?)items[0]["kind"]);
        Assert.Equal(["kube-proxy"], daemonSets.Select(i => (string?)i["metadata"]!["name"]));
    }

    [Fact]
    public async Task PatchAsync_StrategicOnKubeProxy_SetsAndRemovesTheNodeSelector()
    {
        using var connection = fixture.Open();
        var api = new KubernetesMigrationApi(connection);

        var disabled = await api.PatchAsync(KubeProxy, PatchKind.Strategic, NodeSelector("true"), false, CancellationToken.None);
        var restored = await api.PatchAsync(KubeProxy, PatchKind.Strategic, NodeSelector(null), false, CancellationToken.None);

        Assert.Equal("true", (string?)disabled["spec"]!["template"]!["spec"]!["nodeSelector"]!["non-calico"]);
        Assert.Null(restored["spec"]!["template"]!["spec"]!["nodeSelector"]?["non-calico"]);
        Assert.NotNull(restored["spec"]!["template"]!["spec"]!["nodeSelector"]!["kubernetes.io/os"]);
    }

    [Fact]
    public async Task PatchAsync_MergeOnFelixConfiguration_IsStored()
    {
        using var connection = fixture.Open();
        var api = new KubernetesMigrationApi(connection);

        await api.PatchAsync(Felix, PatchKind.Merge, Spec("bpfLogLevel", "Debug"), false, CancellationToken.None);
        var felix = await api.GetAsync(Felix, CancellationToken.None);
        await api.PatchAsync(Felix, PatchKind.Merge, Spec("bpfLogLevel", null), false, CancellationToken.None);

        Assert.Equal("Debug", (string?)felix!["spec"]!["bpfLogLevel"]);
        Assert.Null((await api.GetAsync(Felix, CancellationToken.None))!["spec"]!["bpfLogLevel"]);
    }

    [Fact]
    public async Task PatchAsync_StaleResourceVersionInThePatch_IsAConflict_AndNothingChanges()
    {
        using var connection = fixture.Open();
        var api = new KubernetesMigrationApi(connection);
        var created = await api.CreateAsync(ConfigMap("patch-stale"), ConfigMapBody("patch-stale"), false, CancellationToken.None);
        var stale = (string)created["metadata"]!["resourceVersion"]!;
        await api.PatchAsync(ConfigMap("patch-stale"), PatchKind.Merge, Data("moved", "by someone else"), false, CancellationToken.None);
        var patch = Data("mine", "x");
        patch["metadata"] = new JsonObject { ["resourceVersion"] = stale };

        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => api.PatchAsync(ConfigMap("patch-stale"), PatchKind.Merge, patch, false, CancellationToken.None));

        Assert.Equal(ApiErrorKind.Conflict, ex.Kind);
        Assert.StartsWith("cannot patch configmaps kube-system/patch-stale: it changed since it was read (409 Conflict): ", ex.Message, StringComparison.Ordinal);
        Assert.Null((await api.GetAsync(ConfigMap("patch-stale"), CancellationToken.None))!["data"]!["mine"]);
    }

    [Fact]
    public async Task CreateAsync_Twice_IsAConflictThatSaysItExists()
    {
        using var connection = fixture.Open();
        var api = new KubernetesMigrationApi(connection);
        await api.CreateAsync(ConfigMap("twice"), ConfigMapBody("twice"), false, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => api.CreateAsync(ConfigMap("twice"), ConfigMapBody("twice"), false, CancellationToken.None));

        Assert.Equal(ApiErrorKind.Conflict, ex.Kind);
        Assert.Equal("cannot create configmaps kube-system/twice: it already exists (409 Conflict): configmaps \"twice\" already exists", ex.Message);
    }

    [Fact]
    public async Task ReplaceAsync_WithTheCurrentResourceVersion_Replaces_WithAStaleOne_IsAConflict()
    {
        using var connection = fixture.Open();
        var api = new KubernetesMigrationApi(connection);
        var created = await api.CreateAsync(ConfigMap("replace"), ConfigMapBody("replace"), false, CancellationToken.None);
        var stale = (string)created["metadata"]!["resourceVersion"]!;

        var body = ConfigMapBody("replace", data: new() { ["KUBERNETES_SERVICE_HOST"] = "10.99.0.2" });
        body["metadata"]!["resourceVersion"] = stale;
        var replaced = await api.ReplaceAsync(ConfigMap("replace"), body, false, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => api.ReplaceAsync(ConfigMap("replace"), body, false, CancellationToken.None));

        Assert.Equal("10.99.0.2", (string?)replaced["data"]!["KUBERNETES_SERVICE_HOST"]);
        Assert.Equal(ApiErrorKind.Conflict, ex.Kind);
        Assert.Equal(409, ex.Status);
        Assert.StartsWith("cannot replace configmaps kube-system/replace: it changed since it was read (409 Conflict): Operation cannot be fulfilled on configmaps \"replace\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteAsync_StalePrecondition_IsAConflict_CurrentOneDeletes_AndAgainIsFine()
    {
        using var connection = fixture.Open();
        var api = new KubernetesMigrationApi(connection);
        var created = await api.CreateAsync(ConfigMap("delete"), ConfigMapBody("delete"), false, CancellationToken.None);
        var stale = (string)created["metadata"]!["resourceVersion"]!;
        var moved = await api.PatchAsync(ConfigMap("delete"), PatchKind.Merge, Data("moved", "yes"), false, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => api.DeleteAsync(ConfigMap("delete"), stale, false, CancellationToken.None));
        Assert.NotNull(await api.GetAsync(ConfigMap("delete"), CancellationToken.None));
        await api.DeleteAsync(ConfigMap("delete"), (string)moved["metadata"]!["resourceVersion"]!, false, CancellationToken.None);
        await api.DeleteAsync(ConfigMap("delete"), null, false, CancellationToken.None);

        Assert.Equal(ApiErrorKind.Conflict, ex.Kind);
        Assert.Null(await api.GetAsync(ConfigMap("delete"), CancellationToken.None));
    }

    [Fact]
    public async Task DryRun_CreatePatchDelete_AnswerButStoreNothing()
    {
        using var connection = fixture.Open();
        var api = new KubernetesMigrationApi(connection);
        var before = await api.GetAsync(KubeProxy, CancellationToken.None);

        var answered = await api.CreateAsync(ConfigMap("dry"), ConfigMapBody("dry"), dryRun: true, CancellationToken.None);
        var patched = await api.PatchAsync(KubeProxy, PatchKind.Strategic, NodeSelector("true"), dryRun: true, CancellationToken.None);
        await api.CreateAsync(ConfigMap("dry-delete"), ConfigMapBody("dry-delete"), false, CancellationToken.None);
        await api.DeleteAsync(ConfigMap("dry-delete"), null, dryRun: true, CancellationToken.None);

        Assert.Equal("dry", (string?)answered["metadata"]!["name"]);
        Assert.Null(await api.GetAsync(ConfigMap("dry"), CancellationToken.None));
        Assert.Equal("true", (string?)patched["spec"]!["template"]!["spec"]!["nodeSelector"]!["non-calico"]);
        Assert.True(JsonNode.DeepEquals(before, await api.GetAsync(KubeProxy, CancellationToken.None)));
        Assert.NotNull(await api.GetAsync(ConfigMap("dry-delete"), CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_InvalidName_IsInvalidQuotingTheServer()
    {
        using var connection = fixture.Open();
        var api = new KubernetesMigrationApi(connection);

        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => api.CreateAsync(ConfigMap("Not_Valid"), ConfigMapBody("Not_Valid"), false, CancellationToken.None));

        Assert.Equal(ApiErrorKind.Invalid, ex.Kind);
        Assert.Equal(422, ex.Status);
        Assert.StartsWith("cannot create configmaps kube-system/Not_Valid: the API server refused it as invalid (422 Unprocessable Entity): ConfigMap \"Not_Valid\" is invalid: metadata.name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadLogAsync_TailOfAContainer_IsTheText()
    {
        using var connection = fixture.Open();
        var api = new KubernetesMigrationApi(connection);
        var pod = new ObjectRef("v1", "pods", "kube-system", "calico-node-logtest", "Pod");
        await api.CreateAsync(pod, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = pod.Name, ["namespace"] = "kube-system" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "calico-node", ["image"] = "calico/node:v3.29.3" }) },
        }, false, CancellationToken.None);
        Directory.CreateDirectory(fixture.Paths.PodLogDir); // the lab's emulated log files: "TIMESTAMP message" per line
        await File.WriteAllTextAsync(
            Path.Combine(fixture.Paths.PodLogDir, "kube-system_calico-node-logtest_calico-node.log"),
            "2026-01-01T00:00:00.000000001Z first\n2026-01-01T00:00:00.000000002Z second\n2026-01-01T00:00:00.000000003Z BPF enabled, starting BPF endpoint manager\n");

        var tail = await api.ReadLogAsync("kube-system", pod.Name, "calico-node", 2, CancellationToken.None);
        var whole = await api.ReadLogAsync("kube-system", pod.Name, null, null, CancellationToken.None);

        Assert.Equal("second\nBPF enabled, starting BPF endpoint manager\n", tail);
        Assert.StartsWith("first\n", whole, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_MayReadButNotPatch_TheMessageQuotesTheServer()
    {
        var kubeconfig = LabKubeconfig.WriteViewer(fixture.Paths, Path.Combine(fixture.StateDir, "migration-viewer.kubeconfig"), fixture.Server);
        using var connection = fixture.Open(kubeconfig);
        var api = new KubernetesMigrationApi(connection);

        Assert.NotNull(await api.GetAsync(KubeProxy, CancellationToken.None));
        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => api.PatchAsync(KubeProxy, PatchKind.Strategic, NodeSelector("true"), false, CancellationToken.None));

        Assert.Equal(ApiErrorKind.Forbidden, ex.Kind);
        Assert.Equal(
            "cannot patch daemonsets kube-system/kube-proxy: forbidden (403 Forbidden): daemonsets.apps \"kube-proxy\" is forbidden: " +
            $"User \"{LabPki.ViewerCommonName}\" cannot patch resource \"daemonsets\" in API group \"apps\" in the namespace \"kube-system\"",
            ex.Message);
    }

    [Fact]
    public async Task ServerNotRunning_IsUnavailable_NamingTheServer()
    {
        var server = $"https://127.0.0.1:{FreePort()}";
        var text = File.ReadAllText(fixture.KubeconfigPath).Replace(fixture.Server, server, StringComparison.Ordinal);
        using var connection = fixture.Open(fixture.WriteFile("migration-down.kubeconfig", text));
        var api = new KubernetesMigrationApi(connection);

        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => api.PatchAsync(KubeProxy, PatchKind.Strategic, NodeSelector("true"), false, CancellationToken.None));

        Assert.Equal(ApiErrorKind.Unavailable, ex.Kind);
        Assert.Equal(
            $"cannot patch daemonsets kube-system/kube-proxy: the API server could not be reached: connection refused by {server} (is the API server running, and is this the right server in the kubeconfig?)",
            ex.Message);
    }

    private static ObjectRef ConfigMap(string name) => new("v1", "configmaps", "kube-system", name, "ConfigMap");

    private static JsonObject ConfigMapBody(string name, Dictionary<string, string>? labels = null, Dictionary<string, string>? data = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = "kube-system" };
        if (labels is not null)
        {
            metadata["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = metadata,
            ["data"] = new JsonObject((data ?? new() { ["KUBERNETES_SERVICE_HOST"] = "10.99.0.1" }).Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))),
        };
    }

    private static JsonObject NodeSelector(string? value) =>
        new() { ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["nodeSelector"] = new JsonObject { ["non-calico"] = value } } } } };

    private static JsonObject Spec(string field, string? value) => new() { ["spec"] = new JsonObject { [field] = value } };

    private static JsonObject Data(string key, string value) => new() { ["data"] = new JsonObject { [key] = value } };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
