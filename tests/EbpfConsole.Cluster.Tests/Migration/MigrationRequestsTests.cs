using System.Text.Json.Nodes;
using EbpfConsole.Cluster.Migration;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Cluster.Tests.Migration;

/// <summary>URLs, query strings and bodies of the migration's requests (pure).</summary>
public sealed class MigrationRequestsTests
{
    private static readonly ObjectRef KubeProxy = new("apps/v1", "daemonsets", "kube-system", "kube-proxy", "DaemonSet");
    private static readonly ObjectRef Felix = new("crd.projectcalico.org/v1", "felixconfigurations", null, "default", "FelixConfiguration");

    [Fact]
    public void List_WithSelector_EscapesItIntoTheQuery()
    {
        Assert.Equal(
            "/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dcalico-node%2Ctier%20in%20%28a%2Cb%29",
            MigrationRequests.List("v1", "pods", "kube-system", "k8s-app=calico-node,tier in (a,b)"));
    }

    [Fact]
    public void List_ClusterScopedWithoutSelector_HasNoQuery()
    {
        Assert.Equal("/apis/crd.projectcalico.org/v1/felixconfigurations", MigrationRequests.List("crd.projectcalico.org/v1", "felixconfigurations", null, null));
        Assert.Equal("/api/v1/nodes", MigrationRequests.List("v1", "nodes", null, "  "));
    }

    [Fact]
    public void Writes_CarryTheFieldManager_AndDryRunAllOnlyWhenAsked()
    {
        Assert.Equal("/apis/apps/v1/namespaces/kube-system/daemonsets/kube-proxy?fieldManager=ebpf-console", MigrationRequests.Update(KubeProxy, dryRun: false));
        Assert.Equal("/apis/crd.projectcalico.org/v1/felixconfigurations/default?dryRun=All&fieldManager=ebpf-console", MigrationRequests.Update(Felix, dryRun: true));
        Assert.Equal("/apis/apps/v1/namespaces/kube-system/daemonsets?dryRun=All&fieldManager=ebpf-console", MigrationRequests.Create(KubeProxy, dryRun: true));
    }

    [Fact]
    public void Delete_DryRun_IsAQueryParameter()
    {
        Assert.Equal("/apis/apps/v1/namespaces/kube-system/daemonsets/kube-proxy?dryRun=All", MigrationRequests.Delete(KubeProxy, dryRun: true));
        Assert.Equal("/apis/apps/v1/namespaces/kube-system/daemonsets/kube-proxy", MigrationRequests.Delete(KubeProxy, dryRun: false));
    }

    [Fact]
    public void DeleteOptions_WithResourceVersion_IsAPrecondition_WithoutIsNoBody()
    {
        var options = MigrationRequests.DeleteOptions("42")!;

        Assert.Equal("""{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"resourceVersion":"42"}}""", options.ToJsonString());
        Assert.Null(MigrationRequests.DeleteOptions(null));
        Assert.Null(MigrationRequests.DeleteOptions(string.Empty));
    }

    [Fact]
    public void Log_ContainerAndTail_AreQueryParameters()
    {
        Assert.Equal("/api/v1/namespaces/kube-system/pods/calico-node-x1/log?container=calico-node&tailLines=200", MigrationRequests.Log("kube-system", "calico-node-x1", "calico-node", 200));
        Assert.Equal("/api/v1/namespaces/default/pods/web/log", MigrationRequests.Log("default", "web", null, null));
    }

    [Theory]
    [InlineData(PatchKind.Merge, "application/merge-patch+json")]
    [InlineData(PatchKind.Strategic, "application/strategic-merge-patch+json")]
    public void ContentTypeOf_PatchKind_IsTheKubernetesMediaType(PatchKind kind, string expected) =>
        Assert.Equal(expected, MigrationRequests.ContentTypeOf(kind));

    [Fact]
    public void Items_FillsApiVersionAndKindFromTheList_AndDetachesThem()
    {
        var list = JsonNode.Parse("""{"kind":"PodList","apiVersion":"v1","items":[{"metadata":{"name":"a"}},{"kind":"Pod","apiVersion":"v1","metadata":{"name":"b"}}]}""")!.AsObject();

        var items = MigrationRequests.Items(list);

        Assert.Equal(["a", "b"], items.Select(i => (string?)i["metadata"]!["name"]));
        Assert.All(items, i => Assert.Equal("Pod", (string?)i["kind"]));
        Assert.All(items, i => Assert.Equal("v1", (string?)i["apiVersion"]));
        Assert.All(items, i => Assert.Null(i.Parent));
        var holder = new JsonArray(items[0]);
        Assert.Single(holder);
    }
}
