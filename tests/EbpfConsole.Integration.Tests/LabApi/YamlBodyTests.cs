using System.Text.Json.Nodes;
using EbpfConsole.Lab.ApiServer;

namespace EbpfConsole.Integration.Tests.LabApi;

/// <summary>application/yaml request bodies: YamlDotNet's parse, typed like the API server's YAML decoder.</summary>
public sealed class YamlBodyTests
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
                version: "2"
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
                  ratio: 0.5
            """;

        var node = YamlBody.Parse(yaml)!;

        var expected = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","labels":{"app":"nginx","version":"2"}},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"nginx"}},"template":{"spec":{
               "nodeSelector":{"kubernetes.io/hostname":"node-2"},
               "containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}],"args":["-g","daemon off;"]}],
               "hostNetwork":false,"priority":null,"ratio":0.5}}}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, node), node.ToJsonString());
    }

    [Fact]
    public void Parse_BlockScalarsAndAliases_KeepOrFoldLinesAndCopyTheAnchor()
    {
        var node = YamlBody.Parse("literal: |\n  a\n  b\nfolded: >-\n  c\n  d\nbase: &b {x: 1}\ncopy: *b\n")!;

        Assert.Equal("a\nb\n", node["literal"]!.ToString());
        Assert.Equal("c d", node["folded"]!.ToString());
        Assert.Equal(1, node["copy"]!["x"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("a: [1, 2\n", "line ")]
    [InlineData("a: 1\na: 2\n", "Duplicate key")]
    [InlineData("a: 1\n---\nb: 2\n", "one YAML document")]
    [InlineData("a:\n  b: 1\n   c: 2\n", "line 3")]
    public void Parse_Malformed_IsAFormatExceptionNamingTheProblem(string yaml, string expected)
    {
        var error = Assert.Throws<FormatException>(() => YamlBody.Parse(yaml));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
