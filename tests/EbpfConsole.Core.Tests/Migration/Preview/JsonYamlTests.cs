using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration.Preview;

namespace EbpfConsole.Core.Tests.Migration.Preview;

public sealed class JsonYamlTests
{
    private static IReadOnlyList<string> Yaml(string json) => JsonYaml.Lines(JsonNode.Parse(json));

    [Fact]
    public void Lines_NestedObject_KeysInTheObjectsOrderIndentedByTwo() =>
        Assert.Equal(
            ["metadata:", "  name: kube-proxy", "  namespace: kube-system", "apiVersion: apps/v1"],
            Yaml("""{"metadata": {"name": "kube-proxy", "namespace": "kube-system"}, "apiVersion": "apps/v1"}"""));

    [Fact]
    public void Lines_ListOfObjects_DashAtTheKeysIndentationFirstKeyOnTheDashLine() =>
        Assert.Equal(
            ["containers:", "- name: kube-proxy", "  image: k8s/kube-proxy:v1.32", "  args:", "  - --config=/var/lib/kube-proxy/config.conf", "hostNetwork: true"],
            Yaml("""{"containers": [{"name": "kube-proxy", "image": "k8s/kube-proxy:v1.32", "args": ["--config=/var/lib/kube-proxy/config.conf"]}], "hostNetwork": true}"""));

    [Theory]
    [InlineData("\"true\"", "\"true\"")]
    [InlineData("\"no\"", "\"no\"")]
    [InlineData("\"6443\"", "\"6443\"")]
    [InlineData("\"1.5\"", "\"1.5\"")]
    [InlineData("\"0x1F\"", "\"0x1F\"")]
    [InlineData("\"\"", "\"\"")]
    [InlineData("\"null\"", "\"null\"")]
    [InlineData("\"2026-03-01\"", "\"2026-03-01\"")]
    [InlineData("\"a: b\"", "\"a: b\"")]
    [InlineData("\"- v\"", "\"- v\"")]
    [InlineData("\"-\"", "\"-\"")]
    [InlineData("\"-v\"", "-v")]
    [InlineData("\":x\"", ":x")]
    [InlineData("\"*\"", "\"*\"")]
    [InlineData("\" lead\"", "\" lead\"")]
    [InlineData("\"say \\\"hi\\\"\\t\"", "\"say \\\"hi\\\"\\t\"")]
    [InlineData("\"10.96.0.1\"", "10.96.0.1")]
    [InlineData("\"DSR\"", "DSR")]
    [InlineData("\"operator.tigera.io/disable-kube-proxy\"", "operator.tigera.io/disable-kube-proxy")]
    [InlineData("\"a-b #c\"", "\"a-b #c\"")]
    [InlineData("\"a#b\"", "a#b")]
    [InlineData("\"Тест — ok\"", "Тест — ok")]
    [InlineData("6443", "6443")]
    [InlineData("true", "true")]
    [InlineData("null", "null")]
    [InlineData("{}", "{}")]
    [InlineData("[]", "[]")]
    public void Scalar_StringsQuotedOnlyWhenYamlWouldReadSomethingElse(string json, string expected) =>
        Assert.Equal(expected, JsonYaml.Scalar(JsonNode.Parse(json)));

    [Fact]
    public void Lines_StringThatLooksLikeAnotherType_QuotedAsAValueAndAsAKey() =>
        Assert.Equal(
            ["nodeSelector:", "  non-calico: \"true\"", "  \"yes\": x", "data:", "  KUBERNETES_SERVICE_PORT: \"6443\""],
            Yaml("""{"nodeSelector": {"non-calico": "true", "yes": "x"}, "data": {"KUBERNETES_SERVICE_PORT": "6443"}}"""));

    [Fact]
    public void Lines_MultiLineString_PipeBlockIndentedUnderItsKey()
    {
        var config = new JsonObject { ["data"] = new JsonObject { ["config.conf"] = "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\n" } };

        Assert.Equal(
            ["data:", "  config.conf: |", "    apiVersion: kubeproxy.config.k8s.io/v1alpha1", "    kind: KubeProxyConfiguration", "    mode: ipvs"],
            JsonYaml.Lines(config));
    }

    [Fact]
    public void Lines_MultiLineStringWithoutFinalNewline_StripChompAndBlankLinesKept()
    {
        var obj = new JsonObject { ["script"] = "set -e\n\ntc qdisc del dev eth0 clsact" };

        Assert.Equal(["script: |-", "  set -e", "", "  tc qdisc del dev eth0 clsact"], JsonYaml.Lines(obj));
    }

    [Fact]
    public void Lines_MultiLineStringStartingWithSpaces_IndentationIndicator()
    {
        var obj = new JsonObject { ["text"] = "  indented\nnot\n\n" };

        Assert.Equal(["text: |2+", "    indented", "  not", ""], JsonYaml.Lines(obj));
    }

    [Fact]
    public void Lines_MultiLineStringInAList_BlockUnderTheDash() =>
        Assert.Equal(["args:", "- |", "  one", "  two"], JsonYaml.Lines(new JsonObject { ["args"] = new JsonArray("one\ntwo\n") }));

    [Fact]
    public void Lines_MultiLineStringWithControlCharacters_QuotedOnOneLine() =>
        Assert.Equal(["x: \"a\\nb\\u0007\""], JsonYaml.Lines(new JsonObject { ["x"] = "a\nb\u0007" }));

    [Fact]
    public void Lines_EmptyContainersAndNull_Inline() =>
        Assert.Equal(["labels: {}", "items: []", "deletionTimestamp: null"], Yaml("""{"labels": {}, "items": [], "deletionTimestamp": null}"""));

    [Fact]
    public void Lines_NestedLists_DashOnItsOwnLine() =>
        Assert.Equal(["-", "  - 1", "  - 2", "- x"], Yaml("""[[1, 2], "x"]"""));

    [Fact]
    public void Lines_Null_IsNull() => Assert.Equal(["null"], JsonYaml.Lines(null));
}
