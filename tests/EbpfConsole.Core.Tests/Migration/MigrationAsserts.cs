using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Core.Tests.Migration;

/// <summary>Assertions on planned changes (records holding lists compare lists by reference, so these compare contents).</summary>
internal static class MigrationAsserts
{
    public static void Restart(PlannedChange change, string ns, string selector, params string[] pods)
    {
        var restart = Assert.IsType<PodRestart>(change);
        Assert.Equal((ns, selector), (restart.Namespace, restart.LabelSelector));
        Assert.Equal(pods, restart.Pods);
    }

    /// <summary>A patch of <paramref name="target"/> with exactly <paramref name="body"/>, Before = the live object, After = Before merged with the body.</summary>
    public static ObjectChange Patch(PlannedChange change, ObjectRef target, PatchKind kind, string body, JsonObject? live)
    {
        var patch = Assert.IsType<ObjectChange>(change);
        Assert.Equal((ObjectChangeKind.Patch, target, kind), (patch.Kind, patch.Target, patch.Patch!.Value));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), patch.Body), patch.Body?.ToJsonString());
        Assert.True(JsonNode.DeepEquals(live, patch.Before), "Before is the live object");
        Assert.True(JsonNode.DeepEquals(MergePatch.Apply(live, patch.Body!), patch.After), "After is the merged object");
        return patch;
    }

    public static ObjectChange Create(PlannedChange change, ObjectRef target, string body)
    {
        var create = Assert.IsType<ObjectChange>(change);
        Assert.Equal((ObjectChangeKind.Create, target), (create.Kind, create.Target));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), create.Body), create.Body?.ToJsonString());
        Assert.Null(create.Before);
        Assert.True(JsonNode.DeepEquals(create.Body, create.After));
        return create;
    }
}
