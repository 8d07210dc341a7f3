using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;
using EbpfConsole.Lab.Api.Authorization;

namespace EbpfConsole.Lab.Api.Tests.Authorization;

public sealed class AccessReviewsTests
{
    private static readonly LabIdentity Admin = new("kubernetes-admin", [LabIdentity.MastersGroup]);
    private static readonly LabIdentity Viewer = new(LabIdentity.ViewerUser, [LabIdentity.ViewersGroup]);

    private static JsonObject Review(string verb, string resource, string group = "", string? ns = null) => new()
    {
        ["apiVersion"] = "authorization.k8s.io/v1",
        ["kind"] = "SelfSubjectAccessReview",
        ["spec"] = new JsonObject
        {
            ["resourceAttributes"] = new JsonObject { ["verb"] = verb, ["group"] = group, ["resource"] = resource, ["namespace"] = ns },
        },
    };

    [Fact]
    public void Review_ViewerPatchingDaemonSets_NotAllowedWithReasonAndSpecEchoed()
    {
        var request = Review("patch", "daemonsets", "apps", "kube-system");

        var answer = AccessReviews.Review(Viewer, request);

        Assert.Equal("SelfSubjectAccessReview", answer["kind"]!.GetValue<string>());
        Assert.Equal("authorization.k8s.io/v1", answer["apiVersion"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(request["spec"], answer["spec"]));
        Assert.False(answer["status"]!["allowed"]!.GetValue<bool>());
        Assert.Contains("may only get, list and watch", answer["status"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Review_ViewerListingPods_Allowed()
    {
        var answer = AccessReviews.Review(Viewer, Review("list", "pods", ns: "default"));

        Assert.True(answer["status"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public void Review_AdminPatchingDaemonSets_Allowed()
    {
        var answer = AccessReviews.Review(Admin, Review("patch", "daemonsets", "apps", "kube-system"));

        Assert.True(answer["status"]!["allowed"]!.GetValue<bool>());
        Assert.Contains("cluster-admin", answer["status"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Review_NonResourceGet_AllowedForViewer()
    {
        var review = new JsonObject { ["spec"] = new JsonObject { ["nonResourceAttributes"] = new JsonObject { ["verb"] = "get", ["path"] = "/apis" } } };

        Assert.True(AccessReviews.Review(Viewer, review)["status"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public void Review_WithoutAttributes_IsInvalid()
    {
        var error = Assert.Throws<ApiException>(() => AccessReviews.Review(Admin, new JsonObject { ["spec"] = new JsonObject() }));

        Assert.Equal(422, error.Code);
        Assert.Contains("exactly one of nonResourceAttributes or resourceAttributes", error.Message, StringComparison.Ordinal);
    }
}
