using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration;

namespace EbpfConsole.Core.Tests.Migration;

public sealed class MergePatchTests
{
    [Theory]
    // RFC 7386 appendix A, the examples that matter here.
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Apply_FollowsRfc7386(string target, string patch, string expected)
    {
        var result = MergePatch.Apply(JsonNode.Parse(target)!.AsObject(), JsonNode.Parse(patch)!.AsObject());

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), result.ToJsonString());
    }

    [Fact]
    public void Apply_LeavesBothInputsUnchanged()
    {
        var target = JsonNode.Parse("""{"spec":{"template":{"spec":{"nodeSelector":{"kubernetes.io/os":"linux"}}}}}""")!.AsObject();
        var patch = JsonNode.Parse("""{"spec":{"template":{"spec":{"nodeSelector":{"non-calico":"true"}}}}}""")!.AsObject();
        var before = target.ToJsonString();
        var patchBefore = patch.ToJsonString();

        var result = MergePatch.Apply(target, patch);

        Assert.Equal(before, target.ToJsonString());
        Assert.Equal(patchBefore, patch.ToJsonString());
        Assert.Equal("""{"kubernetes.io/os":"linux","non-calico":"true"}""", result["spec"]!["template"]!["spec"]!["nodeSelector"]!.ToJsonString());
    }

    [Fact]
    public void Apply_NullTarget_IsAnEmptyObject()
    {
        var result = MergePatch.Apply(null, JsonNode.Parse("""{"spec":{"bpfEnabled":true,"x":null}}""")!.AsObject());

        Assert.Equal("""{"spec":{"bpfEnabled":true}}""", result.ToJsonString());
    }

    [Fact]
    public void At_NestsTheValueUnderThePath()
    {
        Assert.Equal("""{"spec":{"calicoNetwork":{"linuxDataplane":"BPF"}}}""", MergePatch.At("BPF", "spec", "calicoNetwork", "linuxDataplane").ToJsonString());
        Assert.Equal("""{"a":null}""", MergePatch.At(null, "a").ToJsonString());
    }
}
