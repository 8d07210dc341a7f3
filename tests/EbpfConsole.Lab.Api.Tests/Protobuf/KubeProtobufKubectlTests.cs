using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api.Protobuf;

namespace EbpfConsole.Lab.Api.Tests.Protobuf;

/// <summary>The bodies the real kubectl sends decode to the JSON kubectl would have sent.</summary>
public sealed class KubeProtobufKubectlTests
{
    [Theory]
    [MemberData(nameof(KubectlBodies.All), MemberType = typeof(KubectlBodies))]
    public void Decode_KubectlCreateBody_EqualsKubectlsOwnJson(string hex, string json)
    {
        var decoded = KubeProtobuf.Decode(Convert.FromHexString(hex));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), decoded), decoded.ToJsonString());
    }

    [Fact]
    public void Decode_PutsApiVersionAndKindFirst()
    {
        var decoded = KubeProtobuf.Decode(Convert.FromHexString(KubectlBodies.Deployment.Hex));

        Assert.Equal(["apiVersion", "kind", "metadata", "spec", "status"], decoded.Select(p => p.Key));
    }

    [Fact]
    public void Decode_NodePortService_KeepsTheNumbersAsNumbers()
    {
        var port = KubeProtobuf.Decode(Convert.FromHexString(KubectlBodies.NodePortService.Hex))["spec"]!["ports"]![0]!;

        Assert.Equal(30605, port["nodePort"]!.GetValue<int>());
        Assert.Equal(80, port["targetPort"]!.GetValue<int>());
    }
}
