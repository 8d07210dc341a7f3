using EbpfConsole.Core.Capture.Analysis;

namespace EbpfConsole.Core.Tests.Capture;

public sealed class NodeDirectoryTests
{
    [Fact]
    public void TryParseEntry_NameEqualsIp_ReturnsTheEntry()
    {
        Assert.True(NodeDirectory.TryParseEntry(" node-1=10.99.0.11 ", out var entry, out _));
        Assert.Equal(("node-1", "10.99.0.11"), entry);
    }

    [Theory]
    [InlineData("node-1", "is not NAME=IP")]
    [InlineData("=10.99.0.11", "is not NAME=IP")]
    [InlineData("node-1=", "is not NAME=IP")]
    [InlineData("node-1=10.99.0.999", "'10.99.0.999' is not an IP address")]
    [InlineData("node-1=10.99.0.0/24", "is not an IP address")]
    [InlineData("node;rm -rf=10.99.0.11", "may only contain")]
    public void TryParseEntry_BadText_SaysWhatIsWrongOnOneLine(string text, string expected)
    {
        Assert.False(NodeDirectory.TryParseEntry(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Constructor_BadIp_Throws() =>
        Assert.Throws<ArgumentException>(() => new NodeDirectory([("node-1", "not-an-ip")]));

    [Fact]
    public void Constructor_OneAddressForTwoNodes_Throws() =>
        Assert.Throws<ArgumentException>(() => new NodeDirectory([("node-1", "10.0.0.1"), ("node-2", "10.0.0.1")]));

    [Fact]
    public void NodeOf_KnownAndUnknownAddresses()
    {
        var nodes = new NodeDirectory([("node-1", "10.99.0.11"), ("node-1", "fd00::11"), ("node-2", "10.99.0.12")]);

        Assert.Equal("node-1", nodes.NodeOf("fd00::11"));
        Assert.Equal("node-2", nodes.NodeOf("10.99.0.12"));
        Assert.Null(nodes.NodeOf("10.99.0.13"));
        Assert.Null(nodes.NodeOf("garbage"));
        Assert.Equal(["node-1", "node-2"], nodes.Nodes);
        Assert.Empty(NodeDirectory.Empty.Nodes);
    }
}
