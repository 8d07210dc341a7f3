using EbpfConsole.Capture.Local;
using EbpfConsole.Capture.Sources;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Live;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Capture.Tests.Sources;

/// <summary>The factory's connect path with a fake connector: which node it asks for, and how a failure reaches the point.</summary>
public sealed class CaptureSourceFactoryTests
{
    [Fact]
    public async Task OpenAsync_NodeNotReached_FailsThePointWithTheConnectorsReason()
    {
        var connector = new FakeConnector(SshConnectResult.Failed(new SshFailure(SshFailureKind.ConnectionRefused, "root@10.0.0.7:22: connection refused")));
        var factory = new CaptureSourceFactory(connector, "tcp");

        var failure = await Assert.ThrowsAsync<CaptureSourceException>(() => factory.OpenAsync(new CapturePoint("node-7", "eth0"), CancellationToken.None));

        Assert.Equal("node-7:eth0: root@10.0.0.7:22: connection refused", failure.Message);
        Assert.Equal(["node-7"], connector.Asked);
    }

    [Fact]
    public async Task OpenAsync_LocalPoint_CapturesHereWithoutAskingTheConnector()
    {
        var connector = new FakeConnector(SshConnectResult.Failed(new SshFailure(SshFailureKind.ConnectionRefused, "must not be asked")));
        var factory = new CaptureSourceFactory(connector, "tcp port 80");

        await using var source = await factory.OpenAsync(new CapturePoint(CaptureSourceFactory.LocalNode, "lo"), CancellationToken.None);

        Assert.IsType<LocalLiveSource>(source);
        Assert.Empty(connector.Asked);
    }

    [Fact]
    public async Task OpenAsync_Cancelled_ThrowsOperationCanceled_NotACaptureError()
    {
        var factory = new CaptureSourceFactory(new FakeConnector(null), "tcp");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => factory.OpenAsync(new CapturePoint("node-1", "eth0"), cancelled.Token));
    }

    /// <summary>Answers every node with <paramref name="answer"/> (null: honours cancellation, else never answers) and records what it was asked.</summary>
    private sealed class FakeConnector(SshConnectResult? answer) : INodeConnector
    {
        public List<string> Asked { get; } = [];

        public async Task<SshConnectResult> ConnectAsync(string node, CancellationToken cancellationToken)
        {
            Asked.Add(node);
            if (answer is null)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return answer!;
        }
    }
}
