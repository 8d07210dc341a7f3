using EbpfConsole.Lab.Api;
using EbpfConsole.Lab.Api.Authorization;

namespace EbpfConsole.Lab.Api.Tests.Authorization;

public sealed class LabAuthorizerTests
{
    private static readonly LabIdentity Admin = new("kubernetes-admin", [LabIdentity.MastersGroup]);
    private static readonly LabIdentity Viewer = new(LabIdentity.ViewerUser, [LabIdentity.ViewersGroup]);
    private static readonly LabIdentity Stranger = new("someone", ["some-team"]);

    [Theory]
    [InlineData("get")]
    [InlineData("list")]
    [InlineData("watch")]
    [InlineData("patch")]
    [InlineData("delete")]
    [InlineData("*")]
    public void Decide_Admin_AllowedEverything(string verb)
    {
        var decision = LabAuthorizer.Decide(Admin, AccessRequest.For(ResourceCatalog.DaemonSets, verb, "kube-system", "kube-proxy"));

        Assert.True(decision.Allowed);
        Assert.Contains("system:masters", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("get", true)]
    [InlineData("list", true)]
    [InlineData("watch", true)]
    [InlineData("create", false)]
    [InlineData("update", false)]
    [InlineData("patch", false)]
    [InlineData("delete", false)]
    [InlineData("deletecollection", false)]
    [InlineData("*", false)]
    public void Decide_Viewer_ReadsButNeverWrites(string verb, bool allowed)
    {
        var decision = LabAuthorizer.Decide(Viewer, AccessRequest.For(ResourceCatalog.FelixConfigurations, verb, name: "default"));

        Assert.Equal(allowed, decision.Allowed);
        Assert.Contains(LabIdentity.ViewersGroup, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_AnyoneAuthenticated_MayAskWhatItMayDoAndReadDiscovery()
    {
        var review = AccessRequest.For(ResourceCatalog.SelfSubjectAccessReviews, "create");

        Assert.True(LabAuthorizer.Decide(Stranger, review).Allowed);
        Assert.True(LabAuthorizer.Decide(Viewer, review).Allowed);
        Assert.True(LabAuthorizer.Decide(Stranger, AccessRequest.NonResource("get", "/apis")).Allowed);
        Assert.False(LabAuthorizer.Decide(Stranger, AccessRequest.For(ResourceCatalog.Pods, "list", "default")).Allowed);
    }

    [Fact]
    public void Forbidden_NamedNamespacedObject_HasKubernetesStatusText()
    {
        var request = AccessRequest.For(ResourceCatalog.DaemonSets, "patch", "kube-system", "kube-proxy");

        var error = LabAuthorizer.Forbidden(Viewer, request, ResourceCatalog.DaemonSets);

        Assert.Equal(403, error.Code);
        Assert.Equal(
            "daemonsets.apps \"kube-proxy\" is forbidden: User \"ebpf-console-viewer\" cannot patch resource \"daemonsets\" in API group \"apps\" in the namespace \"kube-system\"",
            error.Message);
        var status = error.ToStatus();
        Assert.Equal("Forbidden", status["reason"]!.GetValue<string>());
        Assert.Equal("kube-proxy", status["details"]!["name"]!.GetValue<string>());
        Assert.Equal("apps", status["details"]!["group"]!.GetValue<string>());
        Assert.Equal("daemonsets", status["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public void Forbidden_CoreClusterScopedCreateWithoutName_SaysClusterScope()
    {
        var error = LabAuthorizer.Forbidden(Viewer, AccessRequest.For(ResourceCatalog.Namespaces, "create"), ResourceCatalog.Namespaces);

        Assert.Equal(
            "namespaces is forbidden: User \"ebpf-console-viewer\" cannot create resource \"namespaces\" in API group \"\" at the cluster scope",
            error.Message);
        Assert.Null(error.ToStatus()["details"]!["name"]);
    }

    [Fact]
    public void Forbidden_Subresource_NamesResourceSlashSubresource()
    {
        var error = LabAuthorizer.Forbidden(Viewer, AccessRequest.For(ResourceCatalog.Deployments, "patch", "default", "web", "scale"));

        Assert.Contains("cannot patch resource \"deployments/scale\" in API group \"apps\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", true, false, "get")]
    [InlineData("GET", false, false, "list")]
    [InlineData("GET", false, true, "watch")]
    [InlineData("POST", false, false, "create")]
    [InlineData("PUT", true, false, "update")]
    [InlineData("PATCH", true, false, "patch")]
    [InlineData("DELETE", true, false, "delete")]
    [InlineData("DELETE", false, false, "deletecollection")]
    public void VerbOf_HttpRequest_IsTheRbacVerb(string method, bool hasName, bool watch, string verb) =>
        Assert.Equal(verb, AccessRequest.VerbOf(method, hasName, watch));
}
