using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api.Protobuf;
using static EbpfConsole.Lab.Api.Tests.Protobuf.ProtoWriter;

namespace EbpfConsole.Lab.Api.Tests.Protobuf;

/// <summary>Field kinds on hand-built messages: the JSON Go's encoding of the same struct gives.</summary>
public sealed class KubeProtobufDecodeTests
{
    [Fact]
    public void Decode_Pod_ResourcesQuantitiesEnvAndInlineVolumeSources()
    {
        var body = Envelope("v1", "Pod", pod => pod
            .Message(1, m => m.String(1, "p"))
            .Message(2, spec => spec
                .Message(1, v => v.String(1, "conf").Message(2, s => s.Message(19, cm => cm.Message(1, r => r.String(1, "settings")).Varint(3, 420))))
                .Message(1, v => v.String(1, "scratch").Message(2, s => s.Message(2, e => e.Message(2, q => q.String(1, "1Gi")))))
                .Message(2, c => c
                    .String(1, "app").String(2, "nginx").String(3, "sh").String(3, "-c")
                    .Message(7, e => e.String(1, "MODE").String(2, "prod"))
                    .Message(7, e => e.String(1, "POD_IP").Message(3, s => s.Message(1, f => f.String(2, "status.podIP"))))
                    .Message(8, r => r
                        .Message(1, e => e.String(1, "cpu").Message(2, q => q.String(1, "500m")))
                        .Message(2, e => e.String(1, "memory").Message(2, q => q.String(1, "128Mi"))))
                    .Message(9, m => m.String(1, "conf").String(3, "/etc/conf").Varint(2, 1)))
                .String(3, "Never")
                .Varint(4, 0)));

        var expected = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{
              "volumes":[{"name":"conf","configMap":{"name":"settings","defaultMode":420}},
                         {"name":"scratch","emptyDir":{"sizeLimit":"1Gi"}}],
              "containers":[{"name":"app","image":"nginx","command":["sh","-c"],
                "env":[{"name":"MODE","value":"prod"},{"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}}],
                "resources":{"limits":{"cpu":"500m"},"requests":{"memory":"128Mi"}},
                "volumeMounts":[{"name":"conf","mountPath":"/etc/conf","readOnly":true}]}],
              "restartPolicy":"Never","terminationGracePeriodSeconds":0}}
            """);
        var decoded = KubeProtobuf.Decode(body);
        Assert.True(JsonNode.DeepEquals(expected, decoded), decoded.ToJsonString());
    }

    [Fact]
    public void Decode_OmitEmptyZeroValuesAreLeftOut_KeptFieldsAndPointersStay()
    {
        var body = Envelope("v1", "Service", svc => svc
            .Message(1, m => m.String(1, "s").String(2, string.Empty).Varint(7, 0))
            .Message(2, spec => spec
                .Message(1, p => p.String(1, string.Empty).Varint(3, 0).Varint(5, 0).Message(4, t => t.Varint(1, 0).Varint(2, 0)))
                .String(3, string.Empty)
                .Varint(13, 0)
                .Varint(20, 0)));

        var decoded = KubeProtobuf.Decode(body);

        Assert.True(
            JsonNode.DeepEquals(
                JsonNode.Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"port":0}],"allocateLoadBalancerNodePorts":false}}"""),
                decoded),
            decoded.ToJsonString());
    }

    [Fact]
    public void Decode_Time_IsRfc3339InWholeSecondsAndTheEmptyTimeIsLeftOut()
    {
        var body = Envelope("v1", "ConfigMap", cm => cm
            .Message(1, m => m.String(1, "c").Message(8, t => t.Varint(1, 1_700_000_000).Varint(2, 999)).Message(9, _ => { })));

        var metadata = KubeProtobuf.Decode(body)["metadata"]!.AsObject();

        Assert.Equal("2023-11-14T22:13:20Z", metadata["creationTimestamp"]!.GetValue<string>());
        Assert.False(metadata.ContainsKey("deletionTimestamp"));
    }

    [Fact]
    public void Decode_NegativeInt32AndInt64_AreSignExtendedVarints()
    {
        var body = Envelope("apps/v1", "Deployment", d => d
            .Message(1, m => m.String(1, "d").Varint(10, -30))
            .Message(2, s => s.Varint(1, -1)));

        var decoded = KubeProtobuf.Decode(body);

        Assert.Equal(-30, decoded["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        Assert.Equal(-1, decoded["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void Decode_IntOrString_IntStringAndPercentInRollingUpdate()
    {
        var body = Envelope("apps/v1", "Deployment", d => d
            .Message(2, s => s.Message(4, st => st
                .String(1, "RollingUpdate")
                .Message(2, ru => ru
                    .Message(1, i => i.Varint(1, 0).Varint(2, 0))
                    .Message(2, i => i.Varint(1, 1).String(3, "25%"))))));

        var strategy = KubeProtobuf.Decode(body)["spec"]!["strategy"]!;

        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":"25%"}}"""), strategy),
            strategy.ToJsonString());
    }

    [Fact]
    public void Decode_MessageRepeatedOnTheWire_MergesAndScalarsLastWins()
    {
        var body = Envelope("v1", "ConfigMap", cm => cm
            .Message(1, m => m.String(1, "first").MapEntry(11, "a", "1"))
            .Message(1, m => m.String(1, "second").MapEntry(11, "b", "2").MapEntry(11, "a", "3")));

        var metadata = KubeProtobuf.Decode(body)["metadata"]!;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"second","labels":{"a":"3","b":"2"}}"""), metadata), metadata.ToJsonString());
    }

    [Fact]
    public void Decode_OwnerReferencesLabelSelectorExpressionsAndManagedFieldsJson()
    {
        var body = Envelope("apps/v1", "Deployment", d => d
            .Message(1, m => m
                .Message(13, o => o.String(1, "ReplicaSet").String(3, "rs").String(4, "u-1").String(5, "apps/v1").Varint(6, 1))
                .Message(17, f => f.String(1, "kubectl").Message(7, raw => raw.String(1, """{"f:spec":{}}"""))))
            .Message(2, s => s.Message(2, sel => sel.Message(2, r => r.String(1, "tier").String(2, "In").String(3, "web").String(3, "api")))));

        var decoded = KubeProtobuf.Decode(body);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""
                {"apiVersion":"apps/v1","kind":"Deployment",
                 "metadata":{"ownerReferences":[{"kind":"ReplicaSet","name":"rs","uid":"u-1","apiVersion":"apps/v1","controller":true}],
                             "managedFields":[{"manager":"kubectl","fieldsV1":{"f:spec":{}}}]},
                 "spec":{"selector":{"matchExpressions":[{"key":"tier","operator":"In","values":["web","api"]}]}}}
                """),
            decoded), decoded.ToJsonString());
    }

    [Fact]
    public void Decode_DeleteOptions_FromAnyGroupVersion()
    {
        var body = Envelope("meta.k8s.io/v1", "DeleteOptions", o => o
            .Varint(1, 0)
            .Message(2, p => p.String(2, "42"))
            .String(4, "Foreground")
            .String(5, "All"));

        var decoded = KubeProtobuf.Decode(body);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"apiVersion":"meta.k8s.io/v1","kind":"DeleteOptions","gracePeriodSeconds":0,"preconditions":{"resourceVersion":"42"},"propagationPolicy":"Foreground","dryRun":["All"]}"""),
            decoded), decoded.ToJsonString());
        Assert.Equal("DeleteOptions", KubeProtobuf.Decode(Envelope("apps/v1", "DeleteOptions", _ => { }))["kind"]!.GetValue<string>());
    }

    [Fact]
    public void Decode_ScaleToZeroAndEviction()
    {
        var scale = KubeProtobuf.Decode(Envelope("autoscaling/v1", "Scale", s => s
            .Message(1, m => m.String(1, "web").String(3, "demo").String(6, "7"))
            .Message(2, spec => spec.Varint(1, 0))));
        var eviction = KubeProtobuf.Decode(Envelope("policy/v1", "Eviction", e => e
            .Message(1, m => m.String(1, "web-1").String(3, "demo"))
            .Message(2, o => o.Varint(1, 30))));

        Assert.Equal(0, scale["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("7", scale["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(30, eviction["deleteOptions"]!["gracePeriodSeconds"]!.GetValue<long>());
        Assert.Equal("web-1", eviction["metadata"]!["name"]!.GetValue<string>());
    }
}
