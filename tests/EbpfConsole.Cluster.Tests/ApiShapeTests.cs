using System.Text.Json.Nodes;
using EbpfConsole.Cluster.Api;
using EbpfConsole.Cluster.Reading;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Cluster.Tests;

/// <summary>The pure parts of the API side: Status messages, lists, the Calico API choice (P18), review bodies.</summary>
public sealed class ApiShapeTests
{
    [Fact]
    public void StatusMessage_KubernetesStatus_GivesItsMessage()
    {
        const string body = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"configmaps \"kube-proxy\" is forbidden: User \"viewer\" cannot patch resource \"configmaps\" in API group \"\" in the namespace \"kube-system\"","reason":"Forbidden","code":403}""";

        Assert.Equal(
            "configmaps \"kube-proxy\" is forbidden: User \"viewer\" cannot patch resource \"configmaps\" in API group \"\" in the namespace \"kube-system\"",
            RawApi.StatusMessage(body));
    }

    [Fact]
    public void StatusMessage_PlainText_GivesTheFirstLine()
    {
        Assert.Equal("404 page not found", RawApi.StatusMessage("404 page not found\nmore\n"));
        Assert.Null(RawApi.StatusMessage(string.Empty));
    }

    [Fact]
    public void ToList_NotFound_IsNotServed()
    {
        var list = ApiReads.ToList(new ApiResponse(null, new ApiFailure(ApiFailureKind.NotFound, "404 NotFound: x")), "ippools.projectcalico.org/v3");

        Assert.Equal("not served", list.Error);
        Assert.Empty(list.Items);
    }

    [Fact]
    public void ToList_Forbidden_KeepsTheMessage()
    {
        var list = ApiReads.ToList(new ApiResponse(null, new ApiFailure(ApiFailureKind.Forbidden, "403 Forbidden: no")), "nodes");

        Assert.Equal("403 Forbidden: no", list.Error);
    }

    [Fact]
    public void ToList_ItemsAsServed_AreKeptVerbatim()
    {
        var json = JsonNode.Parse("""{"kind":"NodeList","items":[{"metadata":{"name":"node-1"},"status":{"nodeInfo":{"kernelVersion":"6.8.0-45-generic"}}}, {"metadata":{"name":"node-2"}}]}""")!.AsObject();

        var list = ApiReads.ToList(new ApiResponse(json, null), "nodes");

        Assert.Null(list.Error);
        Assert.Equal(["node-1", "node-2"], list.Items.Select(i => (string?)i["metadata"]!["name"]));
        Assert.Equal("6.8.0-45-generic", (string?)list.Items[0]["status"]!["nodeInfo"]!["kernelVersion"]);
    }

    [Fact]
    public void ToList_NullItems_IsAnEmptyList()
    {
        var list = ApiReads.ToList(new ApiResponse(JsonNode.Parse("""{"items":null}""")!.AsObject(), null), "ippools");

        Assert.Null(list.Error);
        Assert.Empty(list.Items);
    }

    [Theory]
    [InlineData("v1,projectcalico.org/v3,crd.projectcalico.org/v1", "projectcalico.org/v3")]
    [InlineData("v1,crd.projectcalico.org/v1", "crd.projectcalico.org/v1")]
    [InlineData("v1,apps/v1", null)]
    public void CalicoGroupVersion_PrefersTheCalicoApiServer(string served, string? expected)
    {
        Assert.Equal(expected, KubernetesClusterReader.CalicoGroupVersion(served.Split(',').ToHashSet(), null));
    }

    [Fact]
    public void CalicoGroupVersion_UnknownDiscovery_TriesV3()
    {
        Assert.Equal("projectcalico.org/v3", KubernetesClusterReader.CalicoGroupVersion(new HashSet<string>(), "discovery /apis: 500"));
    }

    [Fact]
    public void ReviewBody_NamespacedNamedNeed_HasAllAttributes()
    {
        var need = new PermissionNeed("M4", "disable kube-proxy", "patch", "apps", "daemonsets", "kube-system", "kube-proxy");

        Assert.Equal(
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"verb":"patch","group":"apps","resource":"daemonsets","namespace":"kube-system","name":"kube-proxy"}}}""",
            PermissionReviews.Body(need).ToJsonString());
    }

    [Fact]
    public void ReviewBody_ClusterScopedNeed_HasNoNamespace()
    {
        var need = new PermissionNeed("M6", "enable BPF", "patch", "crd.projectcalico.org", "felixconfigurations", null, "default");

        var attributes = PermissionReviews.Body(need)["spec"]!["resourceAttributes"]!.AsObject();

        Assert.False(attributes.ContainsKey("namespace"));
        Assert.Equal("crd.projectcalico.org", (string?)attributes["group"]);
    }

    [Fact]
    public void SubjectOf_ServiceAccountToken_IsTheSubClaim()
    {
        Assert.Equal("system:serviceaccount:a:b", EbpfConsole.Cluster.Config.InClusterConfig.SubjectOf(TestCertificates.Jwt("system:serviceaccount:a:b")));
        Assert.Null(EbpfConsole.Cluster.Config.InClusterConfig.SubjectOf("not-a-jwt"));
    }
}
