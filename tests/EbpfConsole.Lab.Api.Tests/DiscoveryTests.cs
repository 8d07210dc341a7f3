using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Lab.Api.Tests;

public sealed class DiscoveryTests
{
    [Fact]
    public void Version_SplitsMajorMinor()
    {
        var version = Discovery.Version("v1.32.4");

        Assert.Equal("1", version["major"]!.GetValue<string>());
        Assert.Equal("32", version["minor"]!.GetValue<string>());
        Assert.Equal("linux/amd64", version["platform"]!.GetValue<string>());
    }

    [Fact]
    public void ResourceList_FelixConfigurations_ResolvesBySingularAndIsClusterScoped()
    {
        var list = Discovery.ResourceList("crd.projectcalico.org", "v1")!;

        var felix = Entry(list, "felixconfigurations");
        Assert.Equal("felixconfiguration", felix["singularName"]!.GetValue<string>());
        Assert.False(felix["namespaced"]!.GetValue<bool>());
        Assert.Equal("crd.projectcalico.org/v1", list["groupVersion"]!.GetValue<string>());
    }

    [Fact]
    public void ResourceList_Core_HasPodsLogAndShortNames()
    {
        var list = Discovery.ResourceList(string.Empty, "v1")!;

        var log = Entry(list, "pods/log");
        Assert.Equal(["get"], log["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("Pod", log["kind"]!.GetValue<string>());
        Assert.Equal("", log["singularName"]!.GetValue<string>());
        Assert.Equal(["ep"], Entry(list, "endpoints")["shortNames"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["get", "patch", "update"], Entry(list, "nodes/status")["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains("watch", Entry(list, "pods")["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public void Groups_ListEveryNonCoreGroupWithPreferredVersion()
    {
        var groups = Discovery.GroupList()["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()).ToList();

        Assert.Equal(["apps", "crd.projectcalico.org", "operator.tigera.io", "authorization.k8s.io"], groups);
        Assert.Equal("apps/v1", Discovery.Group("apps")!["preferredVersion"]!["groupVersion"]!.GetValue<string>());
        Assert.Null(Discovery.Group("batch"));
        Assert.Null(Discovery.ResourceList("apps", "v2"));
    }

    [Fact]
    public void OpenApi_IndexPointsAtEveryGroupVersionWithHash()
    {
        var paths = OpenApi.Index()["paths"]!.AsObject();

        Assert.Equal(
            ["api/v1", "apis/apps/v1", "apis/authorization.k8s.io/v1", "apis/crd.projectcalico.org/v1", "apis/operator.tigera.io/v1"],
            paths.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.StartsWith("/openapi/v3/apis/apps/v1?hash=", paths["apis/apps/v1"]!["serverRelativeURL"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void OpenApi_PatchOperationsCarryGvkAndFieldValidationButNoStrategicMerge()
    {
        var doc = OpenApi.GroupVersion("apps", "v1")!;

        var patch = doc["paths"]!["/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}"]!["patch"]!;
        Assert.Equal("patch", patch["x-kubernetes-action"]!.GetValue<string>());
        Assert.Equal("DaemonSet", patch["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>());
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation" && p["in"]!.GetValue<string>() == "query");
        Assert.Null(patch["requestBody"]!["content"]!["application/strategic-merge-patch+json"]);
        Assert.NotNull(patch["requestBody"]!["content"]!["application/merge-patch+json"]);
        var schema = doc["components"]!["schemas"]!["io.k8s.api.apps.v1.DaemonSet"]!;
        Assert.Equal("DaemonSet", schema["x-kubernetes-group-version-kind"]![0]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public void OpenApi_CustomResourceDocumentIsClusterScoped()
    {
        var doc = OpenApi.GroupVersion("crd.projectcalico.org", "v1")!;

        Assert.NotNull(doc["paths"]!["/apis/crd.projectcalico.org/v1/felixconfigurations/{name}"]!["patch"]);
        Assert.NotNull(doc["components"]!["schemas"]!["org.projectcalico.crd.v1.FelixConfiguration"]);
        Assert.Null(OpenApi.GroupVersion("batch", "v1"));
    }

    [Fact]
    public void ResourceList_SelfSubjectAccessReviews_IsCreateOnlyAndClusterScoped()
    {
        var list = Discovery.ResourceList("authorization.k8s.io", "v1")!;

        var reviews = Entry(list, "selfsubjectaccessreviews");
        Assert.Equal(["create"], reviews["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.False(reviews["namespaced"]!.GetValue<bool>());
        Assert.Equal("SelfSubjectAccessReview", reviews["kind"]!.GetValue<string>());
    }

    [Fact]
    public void OpenApi_SelfSubjectAccessReviews_OnlyPostOnTheCollection()
    {
        var doc = OpenApi.GroupVersion("authorization.k8s.io", "v1")!;

        var paths = doc["paths"]!.AsObject();
        var collection = paths["/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"]!.AsObject();
        Assert.Equal("post", collection["post"]!["x-kubernetes-action"]!.GetValue<string>());
        Assert.Null(collection["get"]);
        Assert.DoesNotContain(paths, p => p.Key.EndsWith("{name}", StringComparison.Ordinal));
        Assert.NotNull(doc["components"]!["schemas"]!["io.k8s.api.authorization.v1.SelfSubjectAccessReview"]);
    }

    [Fact]
    public void ResourceList_IPPools_ClusterScopedBesideFelixConfigurations()
    {
        var list = Discovery.ResourceList("crd.projectcalico.org", "v1")!;

        var pools = Entry(list, "ippools");
        Assert.Equal("IPPool", pools["kind"]!.GetValue<string>());
        Assert.False(pools["namespaced"]!.GetValue<bool>());
        Assert.Contains("watch", pools["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    private static JsonObject Entry(JsonObject list, string name) =>
        (JsonObject)list["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == name)!;
}
