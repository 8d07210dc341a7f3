using EbpfConsole.Lab.Api.Protobuf;
using EbpfConsole.Lab.Api.Protobuf.Tables;

namespace EbpfConsole.Lab.Api.Tests.Protobuf;

/// <summary>The message table itself: it reads, every reference resolves, and the kinds the lab needs are in it.</summary>
public sealed class ProtoTableTests
{
    [Fact]
    public void Table_EveryMessageReferenceResolves()
    {
        var unresolved = ProtoTable.Messages.Values
            .SelectMany(m => m.Fields.Values.Select(f => (m.Name, Field: f)))
            .Where(x => x.Field.Kind == ProtoKind.Message && x.Field.Message is null)
            .Select(x => $"{x.Name}.{x.Field.JsonName}")
            .ToList();

        Assert.Empty(unresolved);
        Assert.True(ProtoTable.Messages.Count > 40, $"only {ProtoTable.Messages.Count} messages");
    }

    [Theory]
    [InlineData("v1", "Namespace")]
    [InlineData("v1", "ConfigMap")]
    [InlineData("v1", "Service")]
    [InlineData("v1", "Pod")]
    [InlineData("apps/v1", "Deployment")]
    [InlineData("autoscaling/v1", "Scale")]
    [InlineData("policy/v1", "Eviction")]
    [InlineData("v1", "DeleteOptions")]
    public void MessageFor_KindsKubectlSendsAsProtobuf_HaveATable(string apiVersion, string kind)
    {
        Assert.Equal($"v1.{kind}", KubeProtobuf.MessageFor(apiVersion, kind).Name);
    }

    [Theory]
    [InlineData("message v1.A\n  1 a string\n  1 b string", "field 1 of v1.A is defined twice")]
    [InlineData("message v1.A\n  1 a v1.Missing", "unknown message v1.Missing")]
    [InlineData("  1 a string", "field line outside a message")]
    [InlineData("message v1.A\n  x a string", "bad field line")]
    [InlineData("message v1.A\n  1 a string sometimes", "unknown flag 'sometimes'")]
    [InlineData("message v1.A\n  1 a string inline", "only a single message field can be inline")]
    public void Read_BrokenTable_SaysWhatIsWrong(string text, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ProtoTable.Read(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
