using EbpfConsole.Capture.Local;
using EbpfConsole.Core.Capture;
using EbpfConsole.Integration.Tests.Capture.Remote;
using EbpfConsole.Integration.Tests.Support;

namespace EbpfConsole.Integration.Tests.Capture.Local;

/// <summary>libpcap live capture on this machine's lo (root), with loopback traffic the test makes.</summary>
public sealed class LocalLiveSourceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task RunAsync_LoopbackTcpTraffic_DeliversFramesTaggedWithThePoint()
    {
        Requirements.Root();
        using var traffic = new LoopbackTraffic();
        var point = new CapturePoint("local", "lo");
        await using var source = new LocalLiveSource(point, traffic.Filter);
        var sink = new FrameCollector();
        using var cts = new CancellationTokenSource();

        var run = source.RunAsync(sink, cts.Token);
        await FrameCollector.WaitUntilAsync(() => source.Capturing || run.IsCompleted, Wait, () => "the device to open");
        Assert.False(run.IsCompleted, run.Exception?.InnerException?.Message);
        await traffic.ExchangeAsync();
        await FrameCollector.WaitUntilAsync(() => sink.TcpSegments().Any(t => t.Finished), Wait, () => $"the FIN of port {traffic.Port}");
        await cts.CancelAsync();
        await run.WaitAsync(Wait);

        Assert.All(sink.Frames, f => Assert.Equal(point, f.Point));
        Assert.All(sink.Frames, f => Assert.Equal(LinkType.Ethernet, f.LinkType));
        Assert.All(sink.TcpSegments(), t => Assert.True(t.SourcePort == traffic.Port || t.DestinationPort == traffic.Port));
        var syn = Assert.Single(sink.TcpSegments(), t => t.Synchronize && !t.Acknowledgment);
        Assert.Equal(traffic.Port, syn.DestinationPort);
        var now = DateTimeOffset.UtcNow;
        Assert.All(sink.Frames, f => Assert.InRange(f.Timestamp, now.AddMinutes(-1), now.AddSeconds(1)));
        Assert.False(source.Capturing);
    }

    [Fact]
    public async Task RunAsync_MissingInterface_ListsTheAvailableOnes()
    {
        await using var source = new LocalLiveSource(new CapturePoint("local", "ectest-none0"));

        var ex = await Assert.ThrowsAsync<CaptureSourceException>(() => source.RunAsync(new FrameCollector(), CancellationToken.None));

        Assert.StartsWith("capture on 'ectest-none0': no such interface here; available: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("lo", ex.Message.Split("available: ")[1].Split(", "));
    }

    [Fact]
    public async Task RunAsync_FilterSyntaxError_FailsBeforeOpeningTheDevice()
    {
        await using var source = new LocalLiveSource(new CapturePoint("local", "lo"), "tcp prt 80");

        var ex = await Assert.ThrowsAsync<CaptureSourceException>(() => source.RunAsync(new FrameCollector(), CancellationToken.None));

        Assert.Equal("filter 'tcp prt 80': syntax error", ex.Message);
    }
}
