using EbpfConsole.Capture.Files;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Tests.Files;

public sealed class FileSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RunAsync_PcapFile_DeliversEveryFrameWithTheGivenPoint()
    {
        var path = _dir.File("a.pcap", new CaptureBytes().PcapHeader().PcapRecord(1, 0, CaptureBytes.Frame(60)).PcapRecord(2, 0, CaptureBytes.Frame(61)).ToArray());
        var source = new FileSource(new FileTarget(path, new CapturePoint("node-1", "eth0")));
        var sink = new ListSink();

        await source.RunAsync(sink, CancellationToken.None);

        Assert.Equal(2, sink.Frames.Count);
        Assert.All(sink.Frames, f => Assert.Equal("node-1:eth0", f.Point.Name));
        Assert.Equal(["node-1:eth0"], source.Points.Select(p => p.Name));
        Assert.Equal(new SourceStats(0, 0), source.Stats);
        Assert.False(source.Truncated);
        Assert.Equal("file " + path, source.Description);
    }

    [Fact]
    public async Task RunAsync_PcapngWithPoints_ReportsThemAfterwards()
    {
        var path = _dir.File("b.pcapng", new CaptureBytes().Shb().Idb(1, name: "node-1:eth0").Idb(1, name: "node-2:eth0")
            .Epb(1, 1, CaptureBytes.Frame(20)).Epb(0, 2, CaptureBytes.Frame(20)).ToArray());
        var source = new FileSource(new FileTarget(path));

        await source.RunAsync(new ListSink(), CancellationToken.None);

        Assert.Equal(["node-2:eth0", "node-1:eth0"], source.Points.Select(p => p.Name));
    }

    [Fact]
    public async Task RunAsync_TruncatedTail_DeliversTheFramesAndCountsTheCutRecord()
    {
        var bytes = new CaptureBytes().PcapHeader().PcapRecord(1, 0, CaptureBytes.Frame(60)).PcapRecord(2, 0, CaptureBytes.Frame(60)).ToArray();
        var path = _dir.File("cut.pcap", bytes[..^7]);
        var source = new FileSource(new FileTarget(path));
        var sink = new ListSink();

        await source.RunAsync(sink, CancellationToken.None);

        Assert.Single(sink.Frames);
        Assert.True(source.Truncated);
        Assert.Equal(1, source.Stats.Unreadable);
        Assert.Equal($"{path}: the last record is cut short (file truncated); 1 frames read", source.Warning);
    }

    [Fact]
    public async Task RunAsync_CorruptRecordMidFile_KeepsWhatCameBeforeAndSaysWhere()
    {
        var bytes = new CaptureBytes().PcapHeader().PcapRecord(1, 0, CaptureBytes.Frame(60)).U32(2).U32(0).U32(uint.MaxValue).U32(1).Raw(new byte[100]).ToArray();
        var path = _dir.File("bad.pcap", bytes);
        var source = new FileSource(new FileTarget(path));
        var sink = new ListSink();

        await source.RunAsync(sink, CancellationToken.None);

        Assert.Single(sink.Frames);
        Assert.True(source.Truncated);
        Assert.Equal(1, source.Stats.Unreadable);
        Assert.StartsWith($"{path}: corrupt record at byte 100 (caplen 4294967295", source.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SkippedBlocks_AreCountedAsUnreadable()
    {
        var path = _dir.File("s.pcapng", new CaptureBytes().Shb().Idb(1).Epb(7, 1, CaptureBytes.Frame(20)).Epb(0, 1, CaptureBytes.Frame(20)).ToArray());
        var source = new FileSource(new FileTarget(path));

        await source.RunAsync(new ListSink(), CancellationToken.None);

        Assert.Equal(new SourceStats(0, 1), source.Stats);
        Assert.False(source.Truncated);
    }

    public static TheoryData<string, byte[]?, string> BadFiles => new()
    {
        { "missing.pcap", null, "{0}: no such file" },
        { "empty.pcap", [], "{0}: empty file" },
        { "notes.txt", "not a capture\n"u8.ToArray(), "{0}: not a pcap or pcapng file" },
        { "v3.pcap", new CaptureBytes().PcapHeader(major: 3, minor: 0).ToArray(), "{0}: unsupported pcap version 3.0" },
        { "ten.pcap", new byte[10], "{0}: not a pcap or pcapng file" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task RunAsync_BadFile_FailsWithOneLineNamingTheFile(string name, byte[]? content, string expected)
    {
        var path = _dir.File(name, content);
        var source = new FileSource(new FileTarget(path));

        var error = await Assert.ThrowsAsync<CaptureSourceException>(() => source.RunAsync(new ListSink(), CancellationToken.None));

        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, path), error.Message);
    }

    [Fact]
    public async Task RunAsync_Directory_SaysItIsADirectory()
    {
        var source = new FileSource(new FileTarget(_dir.Path));

        var error = await Assert.ThrowsAsync<CaptureSourceException>(() => source.RunAsync(new ListSink(), CancellationToken.None));

        Assert.Equal($"{_dir.Path}: is a directory, not a capture file", error.Message);
    }

    [Fact]
    public void DescribeOpenFailure_PermissionDenied_SaysSo()
    {
        // Tests run as root in CI, where chmod 000 does not stop a read: check the mapping itself.
        Assert.Equal("/x/a.pcap: permission denied", FileSource.DescribeOpenFailure("/x/a.pcap", new UnauthorizedAccessException("Access to the path is denied.")));
        Assert.Equal("/x/a.pcap: no such file", FileSource.DescribeOpenFailure("/x/a.pcap", new DirectoryNotFoundException()));
        Assert.Equal("/x/a.pcap: cannot open (bad line one bad line two)", FileSource.DescribeOpenFailure("/x/a.pcap", new IOException("bad line one\nbad line two")));
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsQuietlyBeforeTheEnd()
    {
        var bytes = new CaptureBytes().PcapHeader();
        for (uint i = 0; i < 20_000; i++)
        {
            bytes.PcapRecord(i, 0, CaptureBytes.Frame(20));
        }

        var path = _dir.File("many.pcap", bytes.ToArray());
        using var cancel = new CancellationTokenSource();
        var sink = new CancellingSink(cancel, after: 100);

        await new FileSource(new FileTarget(path)).RunAsync(sink, cancel.Token);

        Assert.InRange(sink.Count, 100, 8192);
    }

    private sealed class CancellingSink(CancellationTokenSource cancel, int after) : IFrameSink
    {
        public int Count { get; private set; }

        public void Accept(in CapturedFrame frame)
        {
            if (++Count == after)
            {
                cancel.Cancel();
            }
        }
    }
}
