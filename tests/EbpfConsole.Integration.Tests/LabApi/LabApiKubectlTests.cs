using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Integration.Tests.LabApi;

/// <summary>The real kubectl (the one on PATH) against the emulated API server: what a trainer types.</summary>
[Collection(LabApiCollectionDefinition.Name)]
public sealed class LabApiKubectlTests(LabApiFixture fixture)
{
    private readonly Kubectl _kubectl = new(fixture);

    [Fact]
    public async Task Version_ShowsTheServerVersion()
    {
        var output = await _kubectl.OkAsync("version");
        Assert.Contains("Server Version: v1.32.4", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetNodesWide_ShowsSeededNodes()
    {
        var name = $"node-{Guid.NewGuid().ToString("N")[..6]}";
        fixture.Store.Create(ResourceCatalog.Nodes, null, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = name } },
            ["status"] = new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "10.99.0.11" }),
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
                ["nodeInfo"] = new JsonObject { ["kubeletVersion"] = "v1.32.4", ["osImage"] = "Debian GNU/Linux 12 (bookworm)" },
            },
        });

        var output = await _kubectl.OkAsync("get", "nodes", "-o", "wide");
        var line = output.Split('\n').Single(l => l.StartsWith(name, StringComparison.Ordinal));
        Assert.Contains("10.99.0.11", line, StringComparison.Ordinal);
        Assert.Contains("INTERNAL-IP", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scale_SetsTheDeploymentsReplicasThroughTheScaleSubresource()
    {
        var ns = fixture.NewNamespace("scale");
        fixture.Store.Create(ResourceCatalog.Deployments, ns, new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 1,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "nginx" }) },
                },
            },
        });

        Assert.Contains("deployment.apps/web scaled", await _kubectl.OkAsync("scale", "deployment", "web", "-n", ns, "--replicas=3"), StringComparison.Ordinal);

        Assert.Equal(3, fixture.Store.Get(ResourceCatalog.Deployments, ns, "web")["spec"]!["replicas"]!.GetValue<long>());
        Assert.Contains("deployment.apps/web scaled", await _kubectl.OkAsync("scale", "deployment", "web", "-n", ns, "--current-replicas=3", "--replicas=0"), StringComparison.Ordinal);
        Assert.Equal(0, fixture.Store.Get(ResourceCatalog.Deployments, ns, "web")["spec"]!["replicas"]!.GetValue<long>());
    }

    [Fact]
    public async Task Exec_SaysThePodsAreEmulated_InsteadOfNotFound()
    {
        var ns = fixture.NewNamespace("exec");
        fixture.Store.Create(ResourceCatalog.Pods, ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "busy" },
            ["spec"] = new JsonObject { ["nodeName"] = "node-2", ["containers"] = new JsonArray(new JsonObject { ["name"] = "busy", ["image"] = "busybox" }) },
            ["status"] = new JsonObject { ["phase"] = "Running" },
        });

        var (exit, stdout, stderr) = await _kubectl.RunAsync("exec", "-n", ns, "busy", "--", "ls");

        Assert.NotEqual(0, exit);
        Assert.Contains("exec is not available", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyConfigMapFromYamlFile_CreatesThenUpdates()
    {
        var ns = fixture.NewNamespace("apply");
        var file = Path.Combine(fixture.StateDir, $"cm-{ns}.yaml");
        await File.WriteAllTextAsync(file, Manifest(ns, "10.99.0.1"));

        Assert.Contains("configmap/kubernetes-services-endpoint created", await _kubectl.OkAsync("apply", "-f", file), StringComparison.Ordinal);
        Assert.Contains("configmap/kubernetes-services-endpoint unchanged", await _kubectl.OkAsync("apply", "-f", file), StringComparison.Ordinal);

        await File.WriteAllTextAsync(file, Manifest(ns, "10.99.0.2"));
        Assert.Contains("configmap/kubernetes-services-endpoint configured", await _kubectl.OkAsync("apply", "-f", file), StringComparison.Ordinal);
        var stored = fixture.Store.Get(ResourceCatalog.ConfigMaps, ns, "kubernetes-services-endpoint");
        Assert.Equal("10.99.0.2", stored["data"]!["KUBERNETES_SERVICE_HOST"]!.ToString());

        var yaml = await _kubectl.OkAsync("get", "configmap", "-n", ns, "kubernetes-services-endpoint", "-o", "yaml");
        Assert.Contains("KUBERNETES_SERVICE_HOST: 10.99.0.2", yaml, StringComparison.Ordinal);

        static string Manifest(string ns, string host) => $"""
            kind: ConfigMap
            apiVersion: v1
            metadata:
              name: kubernetes-services-endpoint
              namespace: {ns}
            data:
              KUBERNETES_SERVICE_HOST: "{host}"
              KUBERNETES_SERVICE_PORT: "6443"
            """;
    }

    [Fact]
    public async Task ApplyDryRunServer_StoresNothing()
    {
        var ns = fixture.NewNamespace("applydry");
        var file = Path.Combine(fixture.StateDir, $"dry-{ns}.yaml");
        await File.WriteAllTextAsync(file, $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\n  namespace: {ns}\ndata:\n  a: b\n");
        Assert.Contains("(server dry run)", await _kubectl.OkAsync("apply", "--dry-run=server", "-f", file), StringComparison.Ordinal);
        Assert.Null(fixture.Store.TryGet(ResourceCatalog.ConfigMaps, ns, "dry"));
    }

    [Theory]
    [InlineData("merge", """{"data":{"k":"patched"}}""")]
    [InlineData("strategic", """{"data":{"k":"patched"}}""")]
    [InlineData("json", """[{"op":"replace","path":"/data/k","value":"patched"}]""")]
    public async Task Patch_EachType_IsApplied(string type, string patch)
    {
        var ns = fixture.NewNamespace("kpatch");
        fixture.Store.Create(ResourceCatalog.ConfigMaps, ns, LabApiHttpTests.ConfigMap("p", ns));
        var output = await _kubectl.OkAsync("patch", "configmap", "p", "-n", ns, "--type", type, "-p", patch);
        Assert.Contains("configmap/p patched", output, StringComparison.Ordinal);
        Assert.Equal("patched", fixture.Store.Get(ResourceCatalog.ConfigMaps, ns, "p")["data"]!["k"]!.ToString());
    }

    [Fact]
    public async Task GetMissing_PrintsNotFoundFromServer()
    {
        var ns = fixture.NewNamespace("missing");
        var (exit, _, stderr) = await _kubectl.RunAsync("get", "configmap", "-n", ns, "nope");
        Assert.NotEqual(0, exit);
        Assert.Contains("Error from server (NotFound): configmaps \"nope\" not found", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetWatch_PrintsAChange()
    {
        var ns = fixture.NewNamespace("kwatch");
        fixture.Store.Create(ResourceCatalog.ConfigMaps, ns, LabApiHttpTests.ConfigMap("before", ns));
        using var watch = _kubectl.Start("get", "configmaps", "-n", ns, "-w");
        await watch.WaitForLineAsync(l => l.StartsWith("before", StringComparison.Ordinal), "the initial list");

        fixture.Store.Create(ResourceCatalog.ConfigMaps, ns, LabApiHttpTests.ConfigMap("after", ns));
        await watch.WaitForLineAsync(l => l.StartsWith("after", StringComparison.Ordinal), "the new ConfigMap");
    }

    [Fact]
    public async Task LogsFollow_PrintsLinesAsTheyAreWritten()
    {
        var ns = fixture.NewNamespace("klogs");
        fixture.Store.Create(ResourceCatalog.Pods, ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "nginx" },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = "node-2",
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "nginx", ["image"] = "nginx:1.27" }),
            },
        });
        fixture.PodLogs.Add(ns, "nginx", "10.99.0.11 - - \"GET / HTTP/1.1\" 200");
        using var logs = _kubectl.Start("logs", "-n", ns, "nginx", "-f");
        await logs.WaitForLineAsync(l => l.StartsWith("10.99.0.11", StringComparison.Ordinal), "the first access log line");

        fixture.PodLogs.Add(ns, "nginx", "10.99.0.100 - - \"GET / HTTP/1.1\" 200");
        await logs.WaitForLineAsync(l => l.StartsWith("10.99.0.100", StringComparison.Ordinal), "a line written while following");
    }

    [Fact]
    public async Task DeleteByLabel_DeletesMatches()
    {
        var ns = fixture.NewNamespace("kdel");
        foreach (var (name, app) in new[] { ("a", "calico-node"), ("b", "other") })
        {
            var cm = LabApiHttpTests.ConfigMap(name, ns);
            cm["metadata"]!["labels"] = new JsonObject { ["k8s-app"] = app };
            fixture.Store.Create(ResourceCatalog.ConfigMaps, ns, cm);
        }

        var output = await _kubectl.OkAsync("delete", "configmap", "-n", ns, "-l", "k8s-app=calico-node");
        Assert.Contains("configmap \"a\" deleted", output, StringComparison.Ordinal);
        Assert.Null(fixture.Store.TryGet(ResourceCatalog.ConfigMaps, ns, "a"));
        Assert.NotNull(fixture.Store.TryGet(ResourceCatalog.ConfigMaps, ns, "b"));
    }

    [Fact]
    public async Task GetAllNamespacesWide_ListsPods()
    {
        var ns = fixture.NewNamespace("kpods");
        fixture.Store.Create(ResourceCatalog.Pods, ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "nginx" }) },
        });
        var output = await _kubectl.OkAsync("get", "pods", "-A", "-o", "wide");
        Assert.Contains(output.Split('\n'), l => l.StartsWith(ns, StringComparison.Ordinal) && l.Contains("web", StringComparison.Ordinal));
    }
}
