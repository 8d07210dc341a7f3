using EbpfConsole.Core.Migration.Preview;
using static EbpfConsole.Core.Tests.Migration.Preview.PreviewSamples;

namespace EbpfConsole.Core.Tests.Migration.Preview;

public sealed class ObjectDiffTests
{
    [Fact]
    public void Lines_NodeSelectorPatch_OneAddedLineWithThreeLinesOfContextEachSide()
    {
        var change = NodeSelectorPatch();

        var diff = ObjectDiff.Lines(change.Before, change.After);

        Assert.Equal(
        [
            "  …",
            "        hostNetwork: true",
            "        nodeSelector:",
            "          kubernetes.io/os: linux",
            "+         non-calico: \"true\"",
            "        priorityClassName: system-node-critical",
            "        serviceAccountName: kube-proxy",
            "        tolerations:",
            "  …",
        ], diff);
    }

    [Fact]
    public void Lines_ServerOwnedFieldsDiffer_NotShown()
    {
        var before = KubeProxy(resourceVersion: "1");
        var after = KubeProxy(resourceVersion: "2");
        after["status"]!["numberReady"] = 1;

        Assert.Equal([ObjectDiff.Unchanged], ObjectDiff.Lines(before, after));
    }

    [Fact]
    public void Lines_CreatedConfigMap_AbsentThenEveryLineAdded()
    {
        var change = CreateConfigMap();

        Assert.Equal(
        [
            "- (absent)",
            "+ apiVersion: v1",
            "+ kind: ConfigMap",
            "+ metadata:",
            "+   name: kubernetes-services-endpoint",
            "+   namespace: kube-system",
            "+ data:",
            "+   KUBERNETES_SERVICE_HOST: 10.99.0.11",
            "+   KUBERNETES_SERVICE_PORT: \"6443\"",
        ], ObjectDiff.Lines(change.Before, change.After));
    }

    [Fact]
    public void Lines_DeletedObject_EveryLineRemovedThenAbsent_WithoutServerFields()
    {
        var change = DeleteConfigMap();

        var diff = ObjectDiff.Lines(change.Before, change.After);

        Assert.Equal("- apiVersion: v1", diff[0]);
        Assert.Equal("+ (absent)", diff[^1]);
        Assert.All(diff.SkipLast(1), l => Assert.StartsWith("- ", l, StringComparison.Ordinal));
        Assert.DoesNotContain(diff, l => l.Contains("resourceVersion", StringComparison.Ordinal));
        Assert.Contains("-   KUBERNETES_SERVICE_PORT: \"6443\"", diff);
    }

    [Fact]
    public void Lines_MultiLineConfigChanged_OnlyTheChangedLineOfTheBlockInsideItsContext()
    {
        var diff = ObjectDiff.Lines(KubeProxyConfig("ipvs"), KubeProxyConfig("iptables"));

        Assert.Equal(
        [
            "  …",
            "        scheduler: rr",
            "        strictARP: false",
            "      kind: KubeProxyConfiguration",
            "-     mode: ipvs",
            "+     mode: iptables",
            "      nodePortAddresses: null",
            "      oomScoreAdj: -999",
            "      portRange: \"\"",
            "  …",
        ], diff);
    }

    [Fact]
    public void Lines_ChangesFarApart_TwoHunksSeparatedByAnEllipsis()
    {
        var before = KubeProxy();
        var after = KubeProxy(nodeSelector: "true");
        after["metadata"]!["labels"]!["team"] = "net";

        var diff = ObjectDiff.Lines(before, after);

        Assert.Equal(2, diff.Count(l => l.StartsWith('+')));
        var first = diff.ToList().FindIndex(l => l.Contains("team: net", StringComparison.Ordinal));
        var second = diff.ToList().FindIndex(l => l.Contains("non-calico", StringComparison.Ordinal));
        Assert.Contains(ObjectDiff.Elided, diff.Skip(first).Take(second - first));
        Assert.Equal(ObjectDiff.Elided, diff[^1]);
    }

    [Fact]
    public void Lines_ChangeAtTheStart_NoEllipsisBeforeIt()
    {
        var diff = ObjectDiff.Lines(Obj("""{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6}"""), Obj("""{"a": 9, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6}"""));

        Assert.Equal(["- a: 1", "+ a: 9", "  b: 2", "  c: 3", "  d: 4", "  …"], diff);
    }

    [Fact]
    public void Lines_BothAbsent_SaysSo() => Assert.Equal(["  (absent)"], ObjectDiff.Lines(null, null));

    [Fact]
    public void Text_LinesMovedAndReplaced_RemovalsBeforeAdditionsKeptLinesOnce() =>
        Assert.Equal(
            ["  a", "- b", "+ x", "  c", "+ d"],
            ObjectDiff.Text(["a", "b", "c"], ["a", "x", "c", "d"]));

    [Fact]
    public void Text_Same_NoChange() => Assert.Equal([ObjectDiff.Unchanged], ObjectDiff.Text(["a"], ["a"]));
}
