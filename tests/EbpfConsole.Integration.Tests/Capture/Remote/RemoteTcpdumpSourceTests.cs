using EbpfConsole.Capture.Remote;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Integration.Tests.Ssh;
using EbpfConsole.Integration.Tests.Support;
using EbpfConsole.Nodes.Ssh;
using PacketDotNet;

namespace EbpfConsole.Integration.Tests.Capture.Remote;

/// <summary>
/// tcpdump over SSH against the real test sshd on 127.0.0.1 (it runs commands in this machine's root namespace, so
/// captures are on lo with loopback traffic the test makes). Remote processes are found by a marker unique to the
/// test (the listener's port in the filter) and are never signalled by the test.
/// </summary>
[Collection("ssh")]
public sealed class RemoteTcpdumpSourceTests(SshdFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Without periodic statistics: tcpdump writing them to a closed stderr would die of SIGPIPE, a second safety net
    /// that would hide a broken first one (the stdin watchdog) from the cleanup tests.
    /// </summary>
    private static readonly RemoteCaptureOptions NoStats = new() { StatsIntervalSeconds = 0 };

    [Fact]
    public async Task RunAsync_LoopbackTcpTraffic_DeliversFramesTaggedWithThePointAndCancelLeavesNothing()
    {
        Requirements.Tool("tcpdump");
        using var traffic = new LoopbackTraffic();
        using var session = await ConnectAsync(fixture.MainPort);
        var point = new CapturePoint("test-node", "lo");
        await using var source = new RemoteTcpdumpSource(session, point, traffic.Filter);
        var sink = new FrameCollector();
        using var cts = new CancellationTokenSource();

        var run = source.RunAsync(sink, cts.Token);
        var processes = await RemoteProcessesAsync(source, run, traffic.Filter);
        await traffic.ExchangeAsync();
        await FrameCollector.WaitUntilAsync(() => sink.TcpSegments().Any(t => t.Finished), Wait, () => $"the FIN of port {traffic.Port} ({sink.Frames.Count} frames)");
        await cts.CancelAsync();
        await run.WaitAsync(Wait);

        Assert.All(sink.Frames, f => Assert.Equal(point, f.Point));
        Assert.All(sink.Frames, f => Assert.Equal(LinkType.Ethernet, f.LinkType));
        var syn = Assert.Single(sink.TcpSegments(), t => t.Synchronize && !t.Acknowledgment);
        Assert.Equal(traffic.Port, syn.DestinationPort);
        Assert.Contains(sink.TcpSegments(), t => t.PayloadData is { Length: 5 } && t.SourcePort == traffic.Port);
        Assert.Equal(sink.Frames.Count, source.Frames);
        Assert.Equal(0, source.Stats.Unreadable);
        await AssertGoneAsync(processes);
    }

    [Fact]
    public async Task DisposeAsync_WhileCapturing_StopsTheRemoteTcpdump()
    {
        using var traffic = new LoopbackTraffic();
        using var session = await ConnectAsync(fixture.MainPort);
        var source = new RemoteTcpdumpSource(session, new CapturePoint("test-node", "lo"), traffic.Filter, NoStats);

        var run = source.RunAsync(new FrameCollector(), CancellationToken.None);
        var processes = await RemoteProcessesAsync(source, run, traffic.Filter);
        await source.DisposeAsync().AsTask().WaitAsync(Wait);

        Assert.True(run.IsCompletedSuccessfully, run.Exception?.Message);
        await AssertGoneAsync(processes);
    }

    [Theory]
    [InlineData(true)] // a reset, as a network failure looks
    [InlineData(false)] // a plain close without an SSH disconnect, as sshd sees a console killed with SIGKILL
    public async Task RunAsync_ConnectionDropsMidCapture_FailsNamingTheNodeAndTcpdumpEnds(bool reset)
    {
        using var traffic = new LoopbackTraffic();
        await using var proxy = new TcpDropProxy(fixture.MainPort);
        using var session = await ConnectAsync(proxy.Port);
        await using var source = new RemoteTcpdumpSource(session, new CapturePoint("test-node", "lo"), traffic.Filter, NoStats);

        var run = source.RunAsync(new FrameCollector(), CancellationToken.None);
        var processes = await RemoteProcessesAsync(source, run, traffic.Filter);
        proxy.Abort(reset);

        var ex = await Assert.ThrowsAsync<CaptureSourceException>(() => run.WaitAsync(Wait));
        Assert.StartsWith("test-node: SSH connection lost during capture", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        await AssertGoneAsync(processes);
    }

    [Fact]
    public async Task RunAsync_SshClientDisposedMidCapture_FailsAsConnectionLostAndTcpdumpEnds()
    {
        using var traffic = new LoopbackTraffic();
        using var session = await ConnectAsync(fixture.MainPort);
        await using var source = new RemoteTcpdumpSource(session, new CapturePoint("test-node", "lo"), traffic.Filter, NoStats);

        var run = source.RunAsync(new FrameCollector(), CancellationToken.None);
        var processes = await RemoteProcessesAsync(source, run, traffic.Filter);
        session.Client.Dispose();

        var ex = await Assert.ThrowsAsync<CaptureSourceException>(() => run.WaitAsync(Wait));
        Assert.StartsWith("test-node: SSH connection lost during capture", ex.Message, StringComparison.Ordinal);
        await AssertGoneAsync(processes);
    }

    [Fact]
    public async Task RunAsync_NoSuchInterface_FailsWithOneLineNamingPointAndTcpdumpsWords()
    {
        using var session = await ConnectAsync(fixture.MainPort);
        await using var source = new RemoteTcpdumpSource(session, new CapturePoint("test-node", "ectest-none0"), "tcp port 9");

        var ex = await Assert.ThrowsAsync<CaptureSourceException>(() => source.RunAsync(new FrameCollector(), CancellationToken.None).WaitAsync(Wait));

        Assert.Equal("test-node:ectest-none0: no such interface (tcpdump: ectest-none0: No such device exists)", ex.Message);
    }

    [Fact]
    public async Task RunAsync_FilterSyntaxError_IsReportedBeforeAnythingRuns()
    {
        using var session = await ConnectAsync(fixture.MainPort);
        await using var source = new RemoteTcpdumpSource(session, new CapturePoint("test-node", "lo"), "tcp prt 80");

        var ex = await Assert.ThrowsAsync<CaptureSourceException>(() => source.RunAsync(new FrameCollector(), CancellationToken.None));

        Assert.Equal("filter 'tcp prt 80': syntax error", ex.Message);
    }

    [Fact]
    public async Task RunAsync_FilterRefusedByRemoteTcpdump_NamesPointAndFilter()
    {
        using var session = await ConnectAsync(fixture.MainPort);
        var options = new RemoteCaptureOptions { CheckFilterLocally = false };
        await using var source = new RemoteTcpdumpSource(session, new CapturePoint("test-node", "lo"), "tcp prt 80", options);

        var ex = await Assert.ThrowsAsync<CaptureSourceException>(() => source.RunAsync(new FrameCollector(), CancellationToken.None).WaitAsync(Wait));

        Assert.Equal("test-node:lo: filter 'tcp prt 80' was refused by tcpdump (tcpdump: can't parse filter expression: syntax error)", ex.Message);
    }

    [Theory]
    [InlineData("'; touch {0}; '")]
    [InlineData("$(touch {0})")]
    [InlineData("`touch {0}`")]
    [InlineData("tcp port 9 \"; touch {0}; \"")]
    [InlineData("-w {0}")]
    public async Task RunAsync_HostileFilterReachingTheRemoteShell_RunsNothing(string template)
    {
        var target = fixture.NewPath("ectest-pwned");
        var filter = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, target);
        using var session = await ConnectAsync(fixture.MainPort);
        var options = new RemoteCaptureOptions { CheckFilterLocally = false }; // let it reach the node's shell and tcpdump
        await using var source = new RemoteTcpdumpSource(session, new CapturePoint("test-node", "lo"), filter, options);

        var ex = await Assert.ThrowsAsync<CaptureSourceException>(() => source.RunAsync(new FrameCollector(), CancellationToken.None).WaitAsync(Wait));

        Assert.Contains("was refused by tcpdump", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(target), $"{target} was created: the filter ran as a command");
    }

    [Fact]
    public async Task RunAsync_FilterWithNewline_IsRefusedBeforeSsh()
    {
        var target = fixture.NewPath("ectest-pwned");
        using var session = await ConnectAsync(fixture.MainPort);
        await using var source = new RemoteTcpdumpSource(session, new CapturePoint("test-node", "lo"), $"tcp\ntouch {target}",
            new RemoteCaptureOptions { CheckFilterLocally = false });

        var ex = await Assert.ThrowsAsync<CaptureSourceException>(() => source.RunAsync(new FrameCollector(), CancellationToken.None));

        Assert.StartsWith(@"test-node:lo: filter 'tcp\ntouch ", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
    }

    private async Task<SshSession> ConnectAsync(int port)
    {
        var knownHosts = await fixture.KnownHostsFileAsync(await SshdFixture.KnownHostsLineAsync(port, fixture.HostKeyPub));
        var result = await new SshConnector(fixture.Options(knownHosts)).ConnectAsync(new NodeTarget("test-node", "127.0.0.1", port), CancellationToken.None);
        return result.Session ?? throw new InvalidOperationException(result.Failure!.Message + "\n" + fixture.ServerLog);
    }

    /// <summary>Waits until the capture listens, then returns the remote processes (tcpdump, its script, cat) by the marker.</summary>
    private static async Task<IReadOnlyList<ProcInfo>> RemoteProcessesAsync(RemoteTcpdumpSource source, Task run, string marker)
    {
        await FrameCollector.WaitUntilAsync(() => source.Capturing || run.IsCompleted, Wait, () => "tcpdump's pcap header");
        Assert.False(run.IsCompleted, run.Exception?.InnerException?.Message);
        IReadOnlyList<ProcInfo> processes = [];
        await FrameCollector.WaitUntilAsync(
            () => (processes = ProcTree.WithMarker(marker)).Any(p => p.CommandLine.StartsWith("tcpdump ", StringComparison.Ordinal))
                && processes.Any(p => p.CommandLine == "cat"),
            Wait,
            () => $"tcpdump and cat with '{marker}': {ProcTree.Describe(processes)}");
        return processes;
    }

    private static async Task AssertGoneAsync(IReadOnlyList<ProcInfo> processes)
    {
        var left = await ProcTree.WaitGoneAsync(processes, Wait);
        Assert.True(left.Count == 0, $"still running: {ProcTree.Describe(left)}");
    }
}
