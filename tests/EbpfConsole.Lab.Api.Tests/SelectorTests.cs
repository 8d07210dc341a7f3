using EbpfConsole.Lab.Api;
using EbpfConsole.Lab.Api.Selectors;
using static EbpfConsole.Lab.Api.Tests.TestObjects;

namespace EbpfConsole.Lab.Api.Tests;

public sealed class SelectorTests
{
    private static readonly Dictionary<string, string> Labels = new()
    {
        ["k8s-app"] = "calico-node",
        ["tier"] = "node",
        ["app.kubernetes.io/name"] = "calico",
    };

    [Theory]
    [InlineData("", true)]
    [InlineData("k8s-app=calico-node", true)]
    [InlineData("k8s-app==calico-node", true)]
    [InlineData("k8s-app!=calico-node", false)]
    [InlineData("k8s-app != kube-proxy", true)]
    [InlineData("missing!=x", true)]
    [InlineData("k8s-app in (kube-proxy, calico-node)", true)]
    [InlineData("k8s-app notin (calico-node)", false)]
    [InlineData("missing notin (x)", true)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("!missing", true)]
    [InlineData("app.kubernetes.io/name=calico,tier=node", true)]
    [InlineData("app.kubernetes.io/name=calico,tier=other", false)]
    [InlineData("tier=", false)]
    public void LabelSelector_Matches(string selector, bool expected) =>
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));

    [Theory]
    [InlineData("a=(b)")]
    [InlineData("a in b")]
    [InlineData("a in (b")]
    [InlineData("=b")]
    [InlineData("a b")]
    [InlineData("a,")]
    [InlineData("Bad Key=1")]
    [InlineData("a=b c")]
    public void LabelSelector_Malformed_IsBadRequest(string selector)
    {
        var e = Assert.Throws<ApiException>(() => LabelSelector.Parse(selector));

        Assert.Equal(400, e.Code);
        Assert.StartsWith("unable to parse requirement: ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metadata.name=p", true)]
    [InlineData("metadata.name==p", true)]
    [InlineData("metadata.name!=p", false)]
    [InlineData("spec.nodeName=node-1,status.phase=Running", true)]
    [InlineData("spec.nodeName=node-2", false)]
    [InlineData("spec.missing=", true)]
    [InlineData("metadata.namespace!=kube-system", true)]
    public void FieldSelector_MatchesDottedPaths(string selector, bool expected)
    {
        var pod = Pod("p");
        pod["metadata"]!["namespace"] = "default";

        Assert.Equal(expected, FieldSelector.Parse(selector).Matches(pod));
    }

    [Theory]
    [InlineData("metadata.name")]
    [InlineData("=x")]
    [InlineData("a b=c")]
    public void FieldSelector_Malformed_IsBadRequest(string selector) =>
        Assert.Equal(400, Assert.Throws<ApiException>(() => FieldSelector.Parse(selector)).Code);
}
