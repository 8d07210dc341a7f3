using System.Text.Json.Nodes;
using EbpfConsole.Lab.ApiServer;

namespace EbpfConsole.Integration.Tests.LabApi;

/// <summary>The tiny YAML reader behind application/yaml request bodies.</summary>
public sealed class BlockYamlTests
{
    [Fact]
    public void Parse_DeploymentShape_GivesTheSameJsonAsTheManifestMeans()
    {
        const string yaml = """
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: nginx
              labels:
                app: nginx
            spec:
              replicas: 1
              selector:
                matchLabels: {app: nginx}
              template:
                spec:
                  nodeSelector:
                    "kubernetes.io/hostname": node-2
                  containers:
                  - name: nginx
                    image: 'nginx:1.27'
                    ports:
                    - containerPort: 80
                    args: ["-g", "daemon off;"]
                  hostNetwork: false
                  priority: ~
            """;
        var node = BlockYaml.Parse(yaml)!;
        var expected = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","labels":{"app":"nginx"}},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"nginx"}},"template":{"spec":{
               "nodeSelector":{"kubernetes.io/hostname":"node-2"},
               "containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}],"args":["-g","daemon off;"]}],
               "hostNetwork":false,"priority":null}}}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, node), node.ToJsonString());
    }

    [Fact]
    public void Parse_BlockScalars_KeepOrFoldLines()
    {
        var node = BlockYaml.Parse("literal: |\n  a\n  b\nfolded: >-\n  c\n  d\nafter: x\n")!;
        Assert.Equal("a\nb\n", node["literal"]!.ToString());
        Assert.Equal("c d", node["folded"]!.ToString());
        Assert.Equal("x", node["after"]!.ToString());
    }

    [Theory]
    [InlineData("a: [1, 2\n", "line 1")]
    [InlineData("a: 1\na: 2\n", "duplicate key")]
    [InlineData("a: 1\n---\nb: 2\n", "one YAML document")]
    [InlineData("a: *anchor\n", "anchors")]
    [InlineData("a:\n  b: 1\n   c: 2\n", "line 3")]
    public void Parse_Unsupported_IsAFormatExceptionNamingTheProblem(string yaml, string expected)
    {
        var error = Assert.Throws<FormatException>(() => BlockYaml.Parse(yaml));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
