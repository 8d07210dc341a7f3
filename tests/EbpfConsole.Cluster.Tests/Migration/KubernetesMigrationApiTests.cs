using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Cluster.Tests.Migration;

/// <summary>The adapter against a fake handler: what goes on the wire, and how failures become <see cref="MigrationApiException"/>.</summary>
public sealed class KubernetesMigrationApiTests : IDisposable
{
    private static readonly ObjectRef KubeProxy = new("apps/v1", "daemonsets", "kube-system", "kube-proxy", "DaemonSet");
    private static readonly ObjectRef Endpoint = new("v1", "configmaps", "kube-system", "kubernetes-services-endpoint", "ConfigMap");

    private readonly FakeApiHandler _handler = new();

    public void Dispose() => _handler.Dispose();

    [Theory]
    [InlineData(PatchKind.Merge, "application/merge-patch+json")]
    [InlineData(PatchKind.Strategic, "application/strategic-merge-patch+json")]
    public async Task PatchAsync_SendsThePatchWithItsContentTypeAndNoCharset(PatchKind kind, string contentType)
    {
        _handler.Body = """{"kind":"DaemonSet","metadata":{"name":"kube-proxy","resourceVersion":"8"}}""";
        var patch = JsonNode.Parse("""{"spec":{"template":{"spec":{"nodeSelector":{"non-calico":"true"}}}}}""")!.AsObject();

        var patched = await _handler.Api().PatchAsync(KubeProxy, kind, patch, dryRun: false, CancellationToken.None);

        var seen = Assert.Single(_handler.Seen);
        Assert.Equal("PATCH", seen.Method);
        Assert.Equal("/apis/apps/v1/namespaces/kube-system/daemonsets/kube-proxy?fieldManager=ebpf-console", seen.PathAndQuery);
        Assert.Equal(contentType, seen.ContentType);
        Assert.Equal(patch.ToJsonString(), seen.Body);
        Assert.Equal("application/json", seen.Accept);
        Assert.Equal("8", (string?)patched["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task CreateAsync_DryRun_PostsToTheCollectionWithDryRunAll()
    {
        _handler.Status = HttpStatusCode.Created;
        var body = new JsonObject { ["metadata"] = new JsonObject { ["name"] = Endpoint.Name } };

        await _handler.Api().CreateAsync(Endpoint, body, dryRun: true, CancellationToken.None);

        var seen = Assert.Single(_handler.Seen);
        Assert.Equal(("POST", "/api/v1/namespaces/kube-system/configmaps?dryRun=All&fieldManager=ebpf-console"), (seen.Method, seen.PathAndQuery));
    }

    [Fact]
    public async Task ReplaceAsync_PutsToTheObject()
    {
        await _handler.Api().ReplaceAsync(Endpoint, new JsonObject(), dryRun: false, CancellationToken.None);

        var seen = Assert.Single(_handler.Seen);
        Assert.Equal(("PUT", "/api/v1/namespaces/kube-system/configmaps/kubernetes-services-endpoint?fieldManager=ebpf-console"), (seen.Method, seen.PathAndQuery));
        Assert.StartsWith("application/json", seen.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_NotFound_IsNull()
    {
        _handler.Fail(HttpStatusCode.NotFound, "NotFound", "configmaps \"kubernetes-services-endpoint\" not found");

        Assert.Null(await _handler.Api().GetAsync(Endpoint, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_WithResourceVersion_SendsThePrecondition_AndNotFoundIsSuccess()
    {
        _handler.Fail(HttpStatusCode.NotFound, "NotFound", "configmaps \"kubernetes-services-endpoint\" not found");

        await _handler.Api().DeleteAsync(Endpoint, "17", dryRun: false, CancellationToken.None);

        var seen = Assert.Single(_handler.Seen);
        Assert.Equal("DELETE", seen.Method);
        Assert.Equal("""{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"resourceVersion":"17"}}""", seen.Body);
    }

    [Fact]
    public async Task DeleteAsync_WithoutResourceVersion_SendsNoBody()
    {
        await _handler.Api().DeleteAsync(Endpoint, null, dryRun: true, CancellationToken.None);

        var seen = Assert.Single(_handler.Seen);
        Assert.Null(seen.Body);
        Assert.EndsWith("?dryRun=All", seen.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAsync_ReturnsTheItemsWithKind()
    {
        _handler.Body = """{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"9"},"items":[{"metadata":{"name":"calico-node-a"}}]}""";

        var items = await _handler.Api().ListAsync("v1", "pods", "kube-system", "k8s-app=calico-node", CancellationToken.None);

        Assert.Equal("/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dcalico-node", Assert.Single(_handler.Seen).PathAndQuery);
        Assert.Equal("Pod", (string?)Assert.Single(items)["kind"]);
    }

    [Fact]
    public async Task ListAsync_AnswerWithoutItems_IsOther()
    {
        _handler.Body = """{"kind":"Pod"}""";

        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => _handler.Api().ListAsync("v1", "pods", "kube-system", null, CancellationToken.None));

        Assert.Equal(ApiErrorKind.Other, ex.Kind);
        Assert.Equal("cannot list pods in kube-system: the answer is not a list (no items)", ex.Message);
    }

    [Fact]
    public async Task ReadLogAsync_ReturnsTheText_AskingForAnything()
    {
        _handler.ContentType = "text/plain";
        _handler.Body = "line 1\nBPF enabled, starting BPF endpoint manager\n";

        var log = await _handler.Api().ReadLogAsync("kube-system", "calico-node-a", "calico-node", 50, CancellationToken.None);

        Assert.Equal(_handler.Body, log);
        var seen = Assert.Single(_handler.Seen);
        Assert.Equal("/api/v1/namespaces/kube-system/pods/calico-node-a/log?container=calico-node&tailLines=50", seen.PathAndQuery);
        Assert.Equal("*/*", seen.Accept);
    }

    [Fact]
    public async Task ReadLogAsync_PodGone_IsNotFoundNamingTheContainer()
    {
        _handler.Fail(HttpStatusCode.NotFound, "NotFound", "pods \"calico-node-a\" not found");

        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => _handler.Api().ReadLogAsync("kube-system", "calico-node-a", "calico-node", null, CancellationToken.None));

        Assert.Equal(ApiErrorKind.NotFound, ex.Kind);
        Assert.Equal("cannot read the log of container calico-node of pods kube-system/calico-node-a: not found (404 Not Found): pods \"calico-node-a\" not found", ex.Message);
    }

    [Fact]
    public async Task Conflict_ResourceVersionMoved_SaysItChangedSinceRead()
    {
        const string server = "Operation cannot be fulfilled on daemonsets.apps \"kube-proxy\": the object has been modified; please apply your changes to the latest version and try again";
        _handler.Fail(HttpStatusCode.Conflict, "Conflict", server);

        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => _handler.Api().PatchAsync(KubeProxy, PatchKind.Strategic, new JsonObject(), false, CancellationToken.None));

        Assert.Equal(ApiErrorKind.Conflict, ex.Kind);
        Assert.Equal(409, ex.Status);
        Assert.Equal($"cannot patch daemonsets kube-system/kube-proxy: it changed since it was read (409 Conflict): {server}", ex.Message);
    }

    [Fact]
    public async Task Conflict_AlreadyExists_KeepsTheServerText()
    {
        _handler.Fail(HttpStatusCode.Conflict, "AlreadyExists", "configmaps \"kubernetes-services-endpoint\" already exists");

        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => _handler.Api().CreateAsync(Endpoint, new JsonObject(), false, CancellationToken.None));

        Assert.Equal(ApiErrorKind.Conflict, ex.Kind);
        Assert.Equal("cannot create configmaps kube-system/kubernetes-services-endpoint: it already exists (409 Conflict): configmaps \"kubernetes-services-endpoint\" already exists", ex.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "Forbidden", ApiErrorKind.Forbidden, "forbidden (403 Forbidden)")]
    [InlineData(HttpStatusCode.NotFound, "NotFound", ApiErrorKind.NotFound, "not found (404 Not Found)")]
    [InlineData(HttpStatusCode.UnprocessableEntity, "Invalid", ApiErrorKind.Invalid, "the API server refused it as invalid (422 Unprocessable Entity)")]
    [InlineData(HttpStatusCode.BadRequest, "BadRequest", ApiErrorKind.Invalid, "the API server refused the request as invalid (400 Bad Request)")]
    public async Task HttpErrors_MapToTheirKind_QuotingTheServer(HttpStatusCode status, string reason, ApiErrorKind kind, string cause)
    {
        _handler.Fail(status, reason, "the server's own words");

        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => _handler.Api().ReplaceAsync(Endpoint, new JsonObject(), false, CancellationToken.None));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal((int)status, ex.Status);
        Assert.Equal($"cannot replace configmaps kube-system/kubernetes-services-endpoint: {cause}: the server's own words", ex.Message);
    }

    [Fact]
    public async Task ServerError_IsOther_WithStatusAndPath()
    {
        _handler.Fail(HttpStatusCode.InternalServerError, "InternalError", "etcdserver: request timed out");

        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => _handler.Api().GetAsync(Endpoint, CancellationToken.None));

        Assert.Equal(ApiErrorKind.Other, ex.Kind);
        Assert.Equal(
            "cannot get configmaps kube-system/kubernetes-services-endpoint: 500 InternalServerError from /api/v1/namespaces/kube-system/configmaps/kubernetes-services-endpoint: etcdserver: request timed out",
            ex.Message);
    }

    [Fact]
    public async Task Unauthorized_IsUnavailable_NamingServerAndUser()
    {
        _handler.Fail(HttpStatusCode.Unauthorized, "Unauthorized", "Unauthorized");

        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => _handler.Api().GetAsync(Endpoint, CancellationToken.None));

        Assert.Equal(ApiErrorKind.Unavailable, ex.Kind);
        Assert.Equal(
            $"cannot get configmaps kube-system/kubernetes-services-endpoint: the API server could not be used: the API server {FakeApiHandler.Server} refused the credentials of user 'tester' (401 Unauthorized: Unauthorized)",
            ex.Message);
    }

    [Fact]
    public async Task ConnectionRefused_IsUnavailable_NamingTheServer()
    {
        _handler.Throw = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:6443)", new SocketException((int)SocketError.ConnectionRefused));

        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => _handler.Api().DeleteAsync(Endpoint, null, false, CancellationToken.None));

        Assert.Equal(ApiErrorKind.Unavailable, ex.Kind);
        Assert.Null(ex.Status);
        Assert.Equal(
            $"cannot delete configmaps kube-system/kubernetes-services-endpoint: the API server could not be reached: connection refused by {FakeApiHandler.Server} (is the API server running, and is this the right server in the kubeconfig?)",
            ex.Message);
    }

    [Fact]
    public async Task NoAnswerWithinTheTimeout_IsUnavailable()
    {
        _handler.Delay = TimeSpan.FromSeconds(30);

        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => _handler.Api(TimeSpan.FromMilliseconds(200)).PatchAsync(KubeProxy, PatchKind.Merge, new JsonObject(), false, CancellationToken.None));

        Assert.Equal(ApiErrorKind.Unavailable, ex.Kind);
        Assert.Equal(
            $"cannot patch daemonsets kube-system/kube-proxy: the API server could not be reached: no answer from {FakeApiHandler.Server}/apis/apps/v1/namespaces/kube-system/daemonsets/kube-proxy?fieldManager=ebpf-console within 0.2s",
            ex.Message);
    }

    [Fact]
    public async Task CancelledByTheCaller_IsCancellationNotAnApiError()
    {
        _handler.Delay = TimeSpan.FromSeconds(30);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _handler.Api().GetAsync(Endpoint, cts.Token));
    }

    [Fact]
    public async Task SuccessThatIsNotJson_IsOther()
    {
        _handler.Body = "<html>proxy</html>";

        var ex = await Assert.ThrowsAsync<MigrationApiException>(() => _handler.Api().GetAsync(Endpoint, CancellationToken.None));

        Assert.Equal(ApiErrorKind.Other, ex.Kind);
        Assert.StartsWith("cannot get configmaps kube-system/kubernetes-services-endpoint: https://127.0.0.1:6443/api/v1/namespaces/kube-system/configmaps/kubernetes-services-endpoint answered with something that is not JSON", ex.Message, StringComparison.Ordinal);
    }
}
