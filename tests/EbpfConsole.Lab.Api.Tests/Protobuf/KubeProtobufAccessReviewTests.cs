using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api.Protobuf;
using static EbpfConsole.Lab.Api.Tests.Protobuf.ProtoWriter;

namespace EbpfConsole.Lab.Api.Tests.Protobuf;

/// <summary>The SelfSubjectAccessReview `kubectl auth can-i` sends in protobuf, decoded to the JSON the review reads.</summary>
public sealed class KubeProtobufAccessReviewTests
{
    [Fact]
    public void Decode_SelfSubjectAccessReview_ResourceAttributes()
    {
        var body = Envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", review => review
            .Message(1, m => { })
            .Message(2, spec => spec.Message(1, a => a.String(1, "kube-system").String(2, "patch").String(3, "apps").String(5, "daemonsets")))
            .Message(3, status => status.Varint(1, 0)));

        var decoded = KubeProtobuf.Decode(body);

        var expected = JsonNode.Parse("""
            {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},
             "spec":{"resourceAttributes":{"namespace":"kube-system","verb":"patch","group":"apps","resource":"daemonsets"}},
             "status":{"allowed":false}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, decoded), decoded.ToJsonString());
    }

    [Fact]
    public void Decode_SelfSubjectAccessReview_NonResourceAttributes()
    {
        var body = Envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", review => review
            .Message(2, spec => spec.Message(2, a => a.String(1, "/healthz").String(2, "get"))));

        var decoded = KubeProtobuf.Decode(body);

        Assert.Equal("/healthz", decoded["spec"]!["nonResourceAttributes"]!["path"]!.GetValue<string>());
        Assert.Equal("get", decoded["spec"]!["nonResourceAttributes"]!["verb"]!.GetValue<string>());
    }
}
