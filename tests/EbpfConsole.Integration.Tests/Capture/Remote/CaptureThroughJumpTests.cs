using EbpfConsole.Capture.Sources;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Live;
using EbpfConsole.Integration.Tests.Ssh;
using EbpfConsole.Integration.Tests.Support;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Integration.Tests.Capture.Remote;

/// <summary>
/// The capture factory reaches a point's node as preflight does: the node name is looked up in ssh_config (HostName
/// 127.0.0.2, ProxyJump through the jump sshd on 127.0.0.1), and tcpdump runs there on lo with traffic the test makes.
/// </summary>
[Collection("ssh")]
public sealed class CaptureThroughJumpTests(SshdFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task OpenAsync_NodeBehindAProxyJumpInSshConfig_CapturesOnThatNode()
    {
        Requirements.Tool("tcpdump");
        using var traffic = new LoopbackTraffic();
        var factory = new CaptureSourceFactory(Connector(await JumpRouteConfig.WriteAsync(fixture)), traffic.Filter);
        var point = new CapturePoint(JumpRouteConfig.Node, "lo");
        var sink = new FrameCollector();
        using var cts = new CancellationTokenSource();

        await using var source = await factory.OpenAsync(point, CancellationToken.None);
        var run = source.RunAsync(sink, cts.Token);
        await source.Ready.WaitAsync(Wait);
        await traffic.ExchangeAsync();
        await FrameCollector.WaitUntilAsync(() => sink.TcpSegments().Any(t => t.Finished), Wait, () => $"the FIN of port {traffic.Port} ({sink.Frames.Count} frames)\n{fixture.ServerLog}");
        await cts.CancelAsync();
        await run.WaitAsync(Wait);

        Assert.Contains($"root@127.0.0.2:{fixture.Behind.Port}", source.Description, StringComparison.Ordinal);
        Assert.All(sink.Frames, f => Assert.Equal(point, f.Point));
        Assert.Contains(sink.TcpSegments(), t => t.Synchronize && !t.Acknowledgment && t.DestinationPort == traffic.Port);
    }

    [Fact]
    public async Task OpenAsync_JumpHostDown_FailsThePointNamingTheJumpHost()
    {
        var closed = SshdServer.FreePort();
        var route = await JumpRouteConfig.WriteAsync(fixture, closed);
        var factory = new CaptureSourceFactory(Connector(route), "tcp port 1");

        var failure = await Assert.ThrowsAsync<CaptureSourceException>(() => factory.OpenAsync(new CapturePoint(JumpRouteConfig.Node, "lo"), CancellationToken.None));

        Assert.StartsWith($"{JumpRouteConfig.Node}:lo: root@127.0.0.2:{fixture.Behind.Port}: jump host {route.JumpSpec}: connection refused", failure.Message, StringComparison.Ordinal);
    }

    private RouteNodeConnector Connector(JumpRouteConfig route)
    {
        var settings = new SshSettings
        {
            ConfigFile = route.ConfigPath,
            HomeDirectory = fixture.Dir,
            KnownHostsFiles = [route.KnownHostsPath],
            GlobalKnownHostsFiles = [],
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        var resolver = SshRouteResolver.TryLoad(settings, out var error);
        Assert.True(resolver is not null, error);

        // The node's own address (as preflight would know it) leads nowhere: only the ssh_config's HostName and ProxyJump reach it.
        return new RouteNodeConnector(resolver, _ => JumpRouteConfig.UnusedAddress, "root");
    }
}
