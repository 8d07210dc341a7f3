using EbpfConsole.Lab.Api.Protobuf;
using static EbpfConsole.Lab.Api.Tests.Protobuf.ProtoWriter;

namespace EbpfConsole.Lab.Api.Tests.Protobuf;

/// <summary>What the decoder refuses: fields and kinds it does not know (415, by name) and broken bytes (400).</summary>
public sealed class KubeProtobufRefusalTests
{
    [Fact]
    public void Decode_UnknownFieldWithAValue_Is415NamingMessageAndField()
    {
        var body = Envelope("v1", "Pod", p => p.Message(2, spec => spec.Message(18, affinity => affinity.Message(1, _ => { }))));

        var error = Assert.Throws<ApiException>(() => KubeProtobuf.Decode(body));

        Assert.Equal(415, error.Code);
        Assert.Equal("UnsupportedMediaType", error.Reason);
        Assert.Equal("the lab's API server cannot decode protobuf field 18 of v1.PodSpec; use JSON (kubectl apply -f) instead", error.Message);
    }

    [Fact]
    public void Decode_UnknownFieldHoldingTheZeroValue_IsIgnored()
    {
        var body = Envelope("v1", "Pod", p => p.Message(2, spec => spec.Varint(99, 0).String(98, string.Empty).Message(18, _ => { })));

        var decoded = KubeProtobuf.Decode(body);

        Assert.Equal("{}", decoded["spec"]!.ToJsonString());
    }

    [Theory]
    [InlineData("v1", "Node")]
    [InlineData("apps/v1", "DaemonSet")]
    [InlineData("v1", "Secret")]
    [InlineData("batch/v1", "Job")]
    public void Decode_KindWithoutATable_Is415NamingTheKind(string apiVersion, string kind)
    {
        var error = Assert.Throws<ApiException>(() => KubeProtobuf.Decode(Envelope(apiVersion, kind, _ => { })));

        Assert.Equal(415, error.Code);
        Assert.Equal($"the lab's API server cannot decode protobuf {kind} objects ({apiVersion}); use JSON (kubectl apply -f) instead", error.Message);
    }

    [Fact]
    public void Decode_ContentEncodingInTheEnvelope_Is415()
    {
        var envelope = new ProtoWriter().Message(1, t => t.String(1, "v1").String(2, "Namespace")).Bytes(2, []).String(3, "gzip").ToArray();

        var error = Assert.Throws<ApiException>(() => KubeProtobuf.Decode([.. "k8s\0"u8.ToArray(), .. envelope]));

        Assert.Equal(415, error.Code);
        Assert.Contains("\"gzip\"", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> MalformedBodies() => new()
    {
        { "no magic", """{"kind":"Namespace"}"""u8.ToArray() },
        { "empty", [] },
        { "no type", [.. "k8s\0"u8.ToArray(), .. new ProtoWriter().Bytes(2, []).ToArray()] },
        { "truncated varint", [.. Envelope("v1", "Namespace", _ => { }), 0x08, 0x80] },
        { "length past the end", Envelope("v1", "Namespace", n => n.Append(0x0a, 0x05, 0x01)) },
        { "field zero", Envelope("v1", "Namespace", n => n.Append(0x00, 0x01)) },
        { "group wire type", Envelope("v1", "Namespace", n => n.Append(0x0b)) },
        { "eleven-byte varint", Envelope("v1", "Namespace", n => n.Append(0x38, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)) },
        { "wrong wire type", Envelope("v1", "ConfigMap", c => c.Varint(1, 5)) },
        { "string not UTF-8", Envelope("v1", "ConfigMap", c => c.Message(1, m => m.Bytes(1, [0xff, 0xfe]))) },
        { "IntOrString type 2", Envelope("v1", "Service", s => s.Message(2, spec => spec.Message(1, p => p.Message(4, i => i.Varint(1, 2))))) },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public void Decode_MalformedBytes_Are400(string what, byte[] body)
    {
        var error = Assert.Throws<ApiException>(() => KubeProtobuf.Decode(body));

        Assert.True(error.Code == 400, $"{what}: {error.Code} {error.Message}");
        Assert.StartsWith("the request body is not valid Kubernetes protobuf: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
