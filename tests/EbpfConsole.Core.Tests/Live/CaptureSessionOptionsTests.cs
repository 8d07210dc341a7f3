using EbpfConsole.Core.Capture.Analysis;
using EbpfConsole.Core.Capture.Live;

namespace EbpfConsole.Core.Tests.Live;

public sealed class CaptureSessionOptionsTests
{
    [Fact]
    public void AnalysisNow_ReadsTheNodesWhenACaptureStarts()
    {
        var known = new List<(string, string)>();
        var options = new CaptureSessionOptions(new AnalysisOptions(NodeDirectory.Empty, 30604)) { NodesAtStart = () => new NodeDirectory(known) };

        Assert.True(options.AnalysisNow().Nodes.IsEmpty);
        known.Add(("node-1", "10.0.0.11")); // preflight read the cluster meanwhile

        var now = options.AnalysisNow();
        Assert.Equal("node-1", now.Nodes.NodeOf("10.0.0.11"));
        Assert.Equal(30604, now.NodePort);
    }

    [Fact]
    public void AnalysisNow_WithoutAProvider_KeepsTheFixedNodes()
    {
        var fixedNodes = new NodeDirectory([("node-1", "10.99.0.11")]);

        Assert.Same(fixedNodes, new CaptureSessionOptions(new AnalysisOptions(fixedNodes)).AnalysisNow().Nodes);
    }
}
