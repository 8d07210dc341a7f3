using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Integration.Tests.LabApi;

/// <summary>
/// The admin and the read-only viewer against the emulated API server with the real kubectl: `auth can-i`
/// (SelfSubjectAccessReview), the viewer's 403 with Kubernetes' Status text, and Calico's IP pools.
/// </summary>
[Collection(LabApiCollectionDefinition.Name)]
public sealed class LabApiAuthorizationTests(LabApiFixture fixture)
{
    private readonly Kubectl _admin = new(fixture);
    private readonly Kubectl _viewer = new(fixture, fixture.ViewerKubeconfigPath);

    [Fact]
    public async Task AuthCanI_PatchDaemonSets_YesForAdminNoForViewer()
    {
        var admin = await _admin.RunAsync("auth", "can-i", "patch", "daemonsets.apps", "-n", "kube-system");
        var viewer = await _viewer.RunAsync("auth", "can-i", "patch", "daemonsets.apps", "-n", "kube-system");

        Assert.True(admin.ExitCode == 0, $"admin: exit {admin.ExitCode}: {admin.Stderr}{admin.Stdout}");
        Assert.Equal("yes", admin.Stdout.Trim());
        Assert.True(viewer.ExitCode == 1, $"viewer: exit {viewer.ExitCode}: {viewer.Stderr}{viewer.Stdout}");
        Assert.StartsWith("no", viewer.Stdout.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthCanI_ListPods_YesForViewer()
    {
        var output = await _viewer.OkAsync("auth", "can-i", "list", "pods", "-n", "kube-system");

        Assert.Equal("yes", output.Trim());
    }

    [Fact]
    public async Task Viewer_PatchingADaemonSet_GetsKubernetesForbiddenText()
    {
        var ns = fixture.NewNamespace("viewer");
        fixture.Store.Create(ResourceCatalog.DaemonSets, ns, DaemonSet("kube-proxy"));

        var (exit, _, stderr) = await _viewer.RunAsync("-n", ns, "patch", "daemonset", "kube-proxy", "--type", "merge", "-p", """{"spec":{"template":{"spec":{"nodeSelector":{"non-calico":"true"}}}}}""");

        Assert.NotEqual(0, exit);
        Assert.Contains(
            $"Error from server (Forbidden): daemonsets.apps \"kube-proxy\" is forbidden: User \"ebpf-console-viewer\" cannot patch resource \"daemonsets\" in API group \"apps\" in the namespace \"{ns}\"",
            stderr, StringComparison.Ordinal);
        Assert.Null(fixture.Store.Get(ResourceCatalog.DaemonSets, ns, "kube-proxy")["spec"]!["template"]!["spec"]!["nodeSelector"]);
    }

    [Fact]
    public async Task Viewer_GetsAndListsWhatTheAdminCreated()
    {
        var ns = fixture.NewNamespace("viewer-read");
        fixture.Store.Create(ResourceCatalog.DaemonSets, ns, DaemonSet("calico-node"));

        var output = await _viewer.OkAsync("-n", ns, "get", "daemonsets", "-o", "name");

        Assert.Equal("daemonset.apps/calico-node", output.Trim());
    }

    [Fact]
    public async Task IpPools_AppliedByAdmin_ListedByViewer_DeleteRefusedForViewer()
    {
        var name = $"pool-{Guid.NewGuid().ToString("N")[..6]}";
        var manifest = $$"""
            apiVersion: crd.projectcalico.org/v1
            kind: IPPool
            metadata:
              name: {{name}}
            spec:
              cidr: 10.245.0.0/16
              ipipMode: Always
              vxlanMode: Never
              natOutgoing: true
            """;

        var (applied, applyOut, applyErr) = await _admin.RunWithStdinAsync(manifest, "apply", "-f", "-");
        var listed = await _viewer.OkAsync("get", "ippools.crd.projectcalico.org", name, "-o", "jsonpath={.spec.cidr} {.spec.ipipMode}");
        var delete = await _viewer.RunAsync("delete", "ippools.crd.projectcalico.org", name);

        Assert.True(applied == 0, $"apply exited {applied}: {applyErr}{applyOut}");
        Assert.Equal("10.245.0.0/16 Always", listed.Trim());
        Assert.NotEqual(0, delete.ExitCode);
        Assert.Contains($"ippools.crd.projectcalico.org \"{name}\" is forbidden: User \"ebpf-console-viewer\" cannot delete resource \"ippools\" in API group \"crd.projectcalico.org\" at the cluster scope", delete.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelfSubjectAccessReview_JsonPost_EchoesSpecWithStatus()
    {
        using var http = fixture.Http(clientCertificate: fixture.Pki.ViewerCertificate);
        const string body = """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"verb":"patch","group":"apps","resource":"daemonsets","namespace":"kube-system"}}}""";

        using var response = await http.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", new StringContent(body, Encoding.UTF8, "application/json"));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("daemonsets", answer["spec"]!["resourceAttributes"]!["resource"]!.GetValue<string>());
        Assert.False(answer["status"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SelfSubjectAccessReviews_CannotBeListed()
    {
        using var http = fixture.Http();

        using var response = await http.GetAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private static JsonObject DaemonSet(string name) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "DaemonSet",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["k8s-app"] = name } },
        ["spec"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["k8s-app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["k8s-app"] = name } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = name, ["image"] = "registry.k8s.io/" + name }) },
            },
        },
    };
}
