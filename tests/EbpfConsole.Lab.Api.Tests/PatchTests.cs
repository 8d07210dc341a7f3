using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;
using EbpfConsole.Lab.Api.Patching;
using static EbpfConsole.Lab.Api.Tests.TestObjects;

namespace EbpfConsole.Lab.Api.Tests;

public sealed class PatchTests
{
    [Fact]
    public void Patch_Merge_NullDeletesAndMapsMergeAndListsReplace()
    {
        var result = MergePatch.Apply(
            Json("""{"a":{"b":1,"c":2},"l":[1,2],"d":"x"}"""),
            Json("""{"a":{"b":null,"e":3},"l":[3],"d":null}"""));

        Assert.True(JsonNode.DeepEquals(Json("""{"a":{"c":2,"e":3},"l":[3]}"""), result));
    }

    [Fact]
    public void Patch_Json_AppliesEveryOperationWithPointerEscapes()
    {
        var ops = (JsonArray)JsonNode.Parse("""
            [{"op":"add","path":"/metadata/annotations/a~1b","value":"x"},
             {"op":"add","path":"/list/-","value":3},
             {"op":"add","path":"/list/0","value":0},
             {"op":"replace","path":"/spec/x","value":2},
             {"op":"copy","from":"/spec/x","path":"/spec/y"},
             {"op":"move","from":"/spec/y","path":"/spec/z"},
             {"op":"remove","path":"/spec/gone"},
             {"op":"test","path":"/metadata/annotations/t~0u","value":"ok"}]
            """)!;

        var result = JsonPatch.Apply(Json("""{"metadata":{"annotations":{"t~u":"ok"}},"list":[1,2],"spec":{"x":1,"gone":true}}"""), ops);

        Assert.True(JsonNode.DeepEquals(
            Json("""{"metadata":{"annotations":{"t~u":"ok","a/b":"x"}},"list":[0,1,2,3],"spec":{"x":2,"z":2}}"""), result), result.ToJsonString());
    }

    [Fact]
    public void Patch_Json_FailedTestIsInvalid()
    {
        var e = Assert.Throws<ApiException>(() => JsonPatch.Apply(Json("""{"a":1}"""), (JsonArray)JsonNode.Parse("""[{"op":"test","path":"/a","value":2}]""")!));

        Assert.Equal((422, "Invalid"), (e.Code, e.Reason));
    }

    [Fact]
    public void Patch_Json_MissingPathIsInvalidAndUnknownOpIsBadRequest()
    {
        var missing = Assert.Throws<ApiException>(() => JsonPatch.Apply(Json("""{"a":1}"""), (JsonArray)JsonNode.Parse("""[{"op":"remove","path":"/b"}]""")!));
        var unknown = Assert.Throws<ApiException>(() => JsonPatch.Apply(Json("""{"a":1}"""), (JsonArray)JsonNode.Parse("""[{"op":"frob","path":"/a"}]""")!));

        Assert.Equal(422, missing.Code);
        Assert.Equal(400, unknown.Code);
    }

    [Fact]
    public void Patch_StrategicMerge_MergesContainersByName()
    {
        var original = Deployment("web");
        var patch = Json("""{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"},{"name":"side","image":"busybox"}]}}}}""");

        var result = StrategicMergePatch.Apply(original, patch);

        var containers = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(2, containers.Count);
        Assert.Equal("nginx:1.28", containers[0]!["image"]!.GetValue<string>());
        Assert.Equal(2, containers[0]!["env"]!.AsArray().Count);
        Assert.Equal("side", containers[1]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Patch_StrategicMerge_NodeSelectorMergesIntoTemplate()
    {
        var ds = Json("""{"spec":{"template":{"spec":{"nodeSelector":{"kubernetes.io/os":"linux"},"containers":[{"name":"kube-proxy"}]}}}}""");

        var result = StrategicMergePatch.Apply(ds, Json("""{"spec":{"template":{"spec":{"nodeSelector":{"non-calico":"true"}}}}}"""));

        Assert.Equal("true", result["spec"]!["template"]!["spec"]!["nodeSelector"]!["non-calico"]!.GetValue<string>());
        Assert.Equal("linux", result["spec"]!["template"]!["spec"]!["nodeSelector"]!["kubernetes.io/os"]!.GetValue<string>());
        Assert.Single(result["spec"]!["template"]!["spec"]!["containers"]!.AsArray());
    }

    [Fact]
    public void Patch_StrategicMerge_ContainerPortsMergeByContainerPortAndServicePortsByPort()
    {
        var pod = Json("""{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80,"name":"http"}]}]}}""");
        var svc = Json("""{"spec":{"ports":[{"port":80,"targetPort":8080},{"port":443}]}}""");

        var podResult = StrategicMergePatch.Apply(pod, Json("""{"spec":{"containers":[{"name":"c","ports":[{"containerPort":81}]}]}}"""));
        var svcResult = StrategicMergePatch.Apply(svc, Json("""{"spec":{"ports":[{"port":80,"nodePort":30604}]}}"""));

        Assert.Equal(2, podResult["spec"]!["containers"]![0]!["ports"]!.AsArray().Count);
        Assert.Equal(2, svcResult["spec"]!["ports"]!.AsArray().Count);
        Assert.Equal(8080, svcResult["spec"]!["ports"]![0]!["targetPort"]!.GetValue<int>());
        Assert.Equal(30604, svcResult["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>());
    }

    [Fact]
    public void Patch_StrategicMerge_ListWithoutMergeKeyIsReplaced()
    {
        var result = StrategicMergePatch.Apply(
            Json("""{"spec":{"tolerations":[{"key":"a"},{"key":"b"}],"args":["x","y"]}}"""),
            Json("""{"spec":{"tolerations":[{"key":"c"}],"args":["z"]}}"""));

        Assert.True(JsonNode.DeepEquals(Json("""{"spec":{"tolerations":[{"key":"c"}],"args":["z"]}}"""), result));
    }

    [Fact]
    public void Patch_StrategicMerge_DeleteAndReplaceDirectives()
    {
        var original = Json("""{"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"}],"m":{"x":1,"y":2}}}""");

        var deleted = StrategicMergePatch.Apply(original, Json("""{"spec":{"containers":[{"name":"a","$patch":"delete"}]}}"""));
        var replacedList = StrategicMergePatch.Apply(original, Json("""{"spec":{"containers":[{"name":"c"},{"$patch":"replace"}]}}"""));
        var replacedMap = StrategicMergePatch.Apply(original, Json("""{"spec":{"m":{"z":3,"$patch":"replace"}}}"""));
        var deletedMap = StrategicMergePatch.Apply(original, Json("""{"spec":{"m":{"$patch":"delete"}}}"""));

        Assert.Equal("b", Assert.Single(deleted["spec"]!["containers"]!.AsArray())!["name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"name":"c"}]"""), replacedList["spec"]!["containers"]));
        Assert.True(JsonNode.DeepEquals(Json("""{"z":3}"""), replacedMap["spec"]!["m"]));
        Assert.Null(deletedMap["spec"]!["m"]);
    }

    [Fact]
    public void Patch_StrategicMerge_SetElementOrderOrdersAndIsNeverStored()
    {
        var original = Json("""{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}""");

        var result = StrategicMergePatch.Apply(original, Json("""
            {"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"b"},{"name":"a"}],"containers":[{"name":"c"}]}}
            """));

        Assert.Equal(["c", "b", "a"], result["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.DoesNotContain("$", result.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Patch_StrategicMerge_RetainKeysAndDeleteFromPrimitiveList()
    {
        var original = Json("""{"metadata":{"finalizers":["a","b"]},"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}""");

        var result = StrategicMergePatch.Apply(original, Json("""
            {"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],"finalizers":["c"]},
             "spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}
            """));

        Assert.Equal(["b", "c"], result["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(Json("""{"type":"Recreate"}"""), result["spec"]!["strategy"]));
    }

    [Fact]
    public void Patch_StrategicMerge_ItemWithoutMergeKeyIsBadRequest()
    {
        var e = Assert.Throws<ApiException>(() => StrategicMergePatch.Apply(Deployment("web"), Json("""{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}""")));

        Assert.Equal(400, e.Code);
    }

    [Fact]
    public void StorePatch_StrategicMergeOnCustomResource_IsUnsupportedMediaType()
    {
        var store = Store();
        store.Create(ResourceCatalog.FelixConfigurations, null, Json("""{"metadata":{"name":"default"},"spec":{}}"""));

        var e = Assert.Throws<ApiException>(() => store.Patch(ResourceCatalog.FelixConfigurations, null, "default", PatchType.StrategicMerge, """{"spec":{"bpfEnabled":true}}"""));

        Assert.Equal((415, "UnsupportedMediaType"), (e.Code, e.Reason));
    }

    [Fact]
    public void StorePatch_MergeOnFelixConfiguration_SetsBpfEnabledAndBumpsGeneration()
    {
        var store = Store();
        store.Create(ResourceCatalog.FelixConfigurations, null, Json("""{"metadata":{"name":"default"},"spec":{"logSeverityScreen":"Info"}}"""));

        var result = store.Patch(ResourceCatalog.FelixConfigurations, null, "default", PatchType.Merge, """{"spec":{"bpfEnabled":true}}""");

        Assert.True(result["spec"]!["bpfEnabled"]!.GetValue<bool>());
        Assert.Equal("Info", result["spec"]!["logSeverityScreen"]!.GetValue<string>());
        Assert.Equal(2, result["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public void StorePatch_MalformedBody_IsBadRequest()
    {
        var store = Store();
        store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"));

        var e = Assert.Throws<ApiException>(() => store.Patch(ResourceCatalog.ConfigMaps, "default", "a", PatchType.Merge, "{not json"));

        Assert.Equal(400, e.Code);
    }

    [Fact]
    public void StorePatch_StaleResourceVersionInPatch_IsConflict()
    {
        var store = Store();
        store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"));

        var e = Assert.Throws<ApiException>(() => store.Patch(ResourceCatalog.ConfigMaps, "default", "a", PatchType.Merge, """{"metadata":{"resourceVersion":"1"},"data":{"k":"x"}}"""));

        Assert.Equal(409, e.Code);
    }

    [Fact]
    public void StorePatch_ChangingName_IsBadRequest()
    {
        var store = Store();
        store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"));

        var e = Assert.Throws<ApiException>(() => store.Patch(ResourceCatalog.ConfigMaps, "default", "a", PatchType.Merge, """{"metadata":{"name":"b"}}"""));

        Assert.Equal(400, e.Code);
    }

    [Fact]
    public void StorePatch_StrategicOnDaemonSet_DryRunStoresNothing()
    {
        var store = Store();
        store.Create(ResourceCatalog.DaemonSets, "kube-system", Json("""
            {"metadata":{"name":"kube-proxy"},"spec":{"selector":{"matchLabels":{"k8s-app":"kube-proxy"}},
             "template":{"metadata":{"labels":{"k8s-app":"kube-proxy"}},"spec":{"containers":[{"name":"kube-proxy"}]}}}}
            """));
        const string body = """{"spec":{"template":{"spec":{"nodeSelector":{"non-calico": "true"}}}}}""";

        var dry = store.Patch(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy", PatchType.StrategicMerge, body, dryRun: true);
        Assert.Null(store.Get(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy")["spec"]!["template"]!["spec"]!["nodeSelector"]);
        var real = store.Patch(ResourceCatalog.DaemonSets, "kube-system", "kube-proxy", PatchType.StrategicMerge, body);

        Assert.Equal("true", dry["spec"]!["template"]!["spec"]!["nodeSelector"]!["non-calico"]!.GetValue<string>());
        Assert.Equal("true", real["spec"]!["template"]!["spec"]!["nodeSelector"]!["non-calico"]!.GetValue<string>());
        Assert.Equal(2, real["metadata"]!["generation"]!.GetValue<long>());
    }
}
