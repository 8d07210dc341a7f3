using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Integration.Tests.LabApi;

/// <summary>
/// kubectl's typed commands (`kubectl create namespace|configmap|deployment|service`, the DeleteOptions of `kubectl
/// drain`) send protobuf bodies (application/vnd.kubernetes.protobuf): the real kubectl against the in-process
/// server, then what was stored; hand-built bodies for the refusals.
/// </summary>
[Collection(LabApiCollectionDefinition.Name)]
public sealed class LabApiProtobufTests(LabApiFixture fixture)
{
    private const string Protobuf = "application/vnd.kubernetes.protobuf";

    private readonly Kubectl _kubectl = new(fixture);

    [Fact]
    public async Task KubectlCreateNamespace_StoresTheNamespace_ThenDeleteRemovesIt()
    {
        var name = $"pb-ns-{Guid.NewGuid().ToString("N")[..8]}";

        Assert.Contains($"namespace/{name} created", await _kubectl.OkAsync("create", "namespace", name), StringComparison.Ordinal);
        Assert.NotNull(fixture.Store.TryGet(ResourceCatalog.Namespaces, null, name));

        Assert.Contains($"namespace \"{name}\" deleted", await _kubectl.OkAsync("delete", "ns", name), StringComparison.Ordinal);
        Assert.Null(fixture.Store.TryGet(ResourceCatalog.Namespaces, null, name));
    }

    [Fact]
    public async Task KubectlCreateConfigMapFromLiterals_StoresTheData()
    {
        var ns = fixture.NewNamespace("pb-cm");

        var output = await _kubectl.OkAsync("create", "configmap", "settings", "-n", ns, "--from-literal=a=b", "--from-literal=KUBERNETES_SERVICE_HOST=10.99.0.1");

        Assert.Contains("configmap/settings created", output, StringComparison.Ordinal);
        var stored = fixture.Store.Get(ResourceCatalog.ConfigMaps, ns, "settings");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":"b","KUBERNETES_SERVICE_HOST":"10.99.0.1"}"""), stored["data"]), stored.ToJsonString());
        Assert.Equal(ns, stored["metadata"]!["namespace"]!.ToString());
    }

    [Fact]
    public async Task KubectlCreateConfigMapDryRunServer_StoresNothing()
    {
        var ns = fixture.NewNamespace("pb-dry");

        Assert.Contains("(server dry run)", await _kubectl.OkAsync("create", "configmap", "dry", "-n", ns, "--from-literal=a=b", "--dry-run=server"), StringComparison.Ordinal);

        Assert.Null(fixture.Store.TryGet(ResourceCatalog.ConfigMaps, ns, "dry"));
    }

    [Fact]
    public async Task KubectlCreateDeployment_StoresReplicasImageAndPort_ThenScaleChangesReplicas()
    {
        var ns = fixture.NewNamespace("pb-deploy");

        var output = await _kubectl.OkAsync("create", "deployment", "web", "-n", ns, "--image=nginx", "--port=80", "--replicas=2");

        Assert.Contains("deployment.apps/web created", output, StringComparison.Ordinal);
        var spec = fixture.Store.Get(ResourceCatalog.Deployments, ns, "web")["spec"]!;
        Assert.Equal(2, spec["replicas"]!.GetValue<long>());
        Assert.Equal("web", spec["selector"]!["matchLabels"]!["app"]!.ToString());
        var container = spec["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("nginx", container["image"]!.ToString());
        Assert.Equal(80, container["ports"]![0]!["containerPort"]!.GetValue<long>());

        Assert.Contains("deployment.apps/web scaled", await _kubectl.OkAsync("scale", "deployment", "web", "-n", ns, "--replicas=3"), StringComparison.Ordinal);
        Assert.Equal(3, fixture.Store.Get(ResourceCatalog.Deployments, ns, "web")["spec"]!["replicas"]!.GetValue<long>());
    }

    [Fact]
    public async Task KubectlCreateServiceNodePort_StoresTheNodePortAndTargetPort()
    {
        var ns = fixture.NewNamespace("pb-svc");
        var nodePort = 30605 + Random.Shared.Next(0, 100);

        var output = await _kubectl.OkAsync("create", "service", "nodeport", "web", "-n", ns, "--tcp=80:8080", $"--node-port={nodePort}");

        Assert.Contains("service/web created", output, StringComparison.Ordinal);
        var spec = fixture.Store.Get(ResourceCatalog.Services, ns, "web")["spec"]!;
        Assert.Equal("NodePort", spec["type"]!.ToString());
        var port = spec["ports"]![0]!;
        Assert.Equal(80, port["port"]!.GetValue<long>());
        Assert.Equal(8080, port["targetPort"]!.GetValue<long>());
        Assert.Equal(nodePort, port["nodePort"]!.GetValue<long>());
        Assert.Equal("TCP", port["protocol"]!.ToString());
    }

    [Fact]
    public async Task KubectlCreateServiceClusterIpWithNamedTargetPort_StoresTheName()
    {
        var ns = fixture.NewNamespace("pb-svcip");

        await _kubectl.OkAsync("create", "service", "clusterip", "api", "-n", ns, "--tcp=443:https");

        Assert.Equal("https", fixture.Store.Get(ResourceCatalog.Services, ns, "api")["spec"]!["ports"]![0]!["targetPort"]!.ToString());
    }

    [Fact]
    public async Task KubectlRun_StoresThePod()
    {
        var ns = fixture.NewNamespace("pb-run");

        Assert.Contains("pod/nginx created", await _kubectl.OkAsync("run", "nginx", "-n", ns, "--image=nginx", "--port=80", "--labels=app=nginx", "--env=MODE=lab"), StringComparison.Ordinal);

        var pod = fixture.Store.Get(ResourceCatalog.Pods, ns, "nginx");
        Assert.Equal("nginx", pod["metadata"]!["labels"]!["app"]!.ToString());
        var container = pod["spec"]!["containers"]![0]!;
        Assert.Equal(80, container["ports"]![0]!["containerPort"]!.GetValue<long>());
        Assert.Equal("lab", container["env"]![0]!["value"]!.ToString());
    }

    [Fact]
    public async Task KubectlDrain_DeletesThePodsOnTheNodeWithProtobufDeleteOptions()
    {
        // Without policy/v1 in discovery kubectl drain deletes the pods instead of evicting them, with a protobuf DeleteOptions body.
        var ns = fixture.NewNamespace("pb-drain");
        var node = $"drain-{Guid.NewGuid().ToString("N")[..6]}";
        fixture.Store.Create(ResourceCatalog.Nodes, null, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = node } });
        fixture.Store.Create(ResourceCatalog.Pods, ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = "web-1",
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = "web", ["uid"] = "u-web", ["controller"] = true }),
            },
            ["spec"] = new JsonObject { ["nodeName"] = node, ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "nginx" }) },
        });

        var output = await _kubectl.OkAsync("drain", node, "--ignore-daemonsets", "--timeout=30s");

        Assert.Contains($"node/{node} drained", output, StringComparison.Ordinal);
        Assert.Null(fixture.Store.TryGet(ResourceCatalog.Pods, ns, "web-1"));
        Assert.True(fixture.Store.Get(ResourceCatalog.Nodes, null, node)["spec"]!["unschedulable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task PostProtobuf_UnknownField_Is415NamingTheField()
    {
        var ns = fixture.NewNamespace("pb-unknown");
        // ConfigMap {metadata {name "x"}, field 9 = "?"}: a field the real ConfigMap does not have.
        byte[] body = [.. "k8s\0"u8.ToArray(), 0x0a, 0x0f, 0x0a, 0x02, .. "v1"u8.ToArray(), 0x12, 0x09, .. "ConfigMap"u8.ToArray(),
            0x12, 0x08, 0x0a, 0x03, 0x0a, 0x01, (byte)'x', 0x4a, 0x01, (byte)'?'];
        using var http = fixture.Http();

        using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Content(body));

        var status = await ApiAssert.StatusAsync(response, 415, "UnsupportedMediaType");
        Assert.Equal("the lab's API server cannot decode protobuf field 9 of v1.ConfigMap; use JSON (kubectl apply -f) instead", status["message"]!.ToString());
        Assert.Null(fixture.Store.TryGet(ResourceCatalog.ConfigMaps, ns, "x"));
    }

    [Fact]
    public async Task PostProtobuf_MalformedBytes_Is400()
    {
        var ns = fixture.NewNamespace("pb-bad");
        using var http = fixture.Http();

        using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Content(Encoding.ASCII.GetBytes("k8s\0\x0a\x7f")));

        await ApiAssert.StatusAsync(response, 400, "BadRequest");
    }

    [Fact]
    public async Task DeleteWithProtobufDeleteOptions_HonoursDryRunAndPreconditions()
    {
        var ns = fixture.NewNamespace("pb-delete");
        fixture.Store.Create(ResourceCatalog.ConfigMaps, ns, LabApiHttpTests.ConfigMap("keep", ns));
        using var http = fixture.Http();

        // DeleteOptions {dryRun: ["All"]}: nothing is deleted.
        using var dry = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/keep") { Content = Content(DeleteOptions([0x2a, 0x03, .. "All"u8.ToArray()])) };
        await ApiAssert.JsonAsync(await http.SendAsync(dry));
        Assert.NotNull(fixture.Store.TryGet(ResourceCatalog.ConfigMaps, ns, "keep"));

        // DeleteOptions {preconditions {resourceVersion: "1"}}: a stale version is a conflict.
        using var stale = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/keep") { Content = Content(DeleteOptions(0x12, 0x03, 0x12, 0x01, (byte)'1')) };
        await ApiAssert.StatusAsync(await http.SendAsync(stale), 409, "Conflict");

        using var real = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/keep") { Content = Content(DeleteOptions()) };
        await ApiAssert.JsonAsync(await http.SendAsync(real));
        Assert.Null(fixture.Store.TryGet(ResourceCatalog.ConfigMaps, ns, "keep"));

        static byte[] DeleteOptions(params byte[] raw) =>
            [.. "k8s\0"u8.ToArray(), 0x0a, 0x13, 0x0a, 0x02, .. "v1"u8.ToArray(), 0x12, 0x0d, .. "DeleteOptions"u8.ToArray(), 0x12, (byte)raw.Length, .. raw];
    }

    private static ByteArrayContent Content(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(Protobuf);
        return content;
    }
}
