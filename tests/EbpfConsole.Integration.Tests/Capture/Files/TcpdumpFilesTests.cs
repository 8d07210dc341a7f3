using System.Diagnostics;
using EbpfConsole.Capture.Files;
using EbpfConsole.Core.Capture;
using EbpfConsole.Integration.Tests.Support;

namespace EbpfConsole.Integration.Tests.Capture.Files;

/// <summary>Files and streams written by real tcpdump and dumpcap on the loopback of a namespace of our own.</summary>
public sealed class TcpdumpFilesTests : IDisposable
{
    private readonly NetnsTcpdump _netns = new();
    private readonly FileScratch _scratch = new();

    public void Dispose()
    {
        _netns.Dispose();
        _scratch.Dispose();
    }

    [Fact]
    public async Task Read_TcpdumpEthernetCapture_MatchesTshark()
    {
        var path = _scratch.File("lo.pcap");
        await _netns.CaptureAsync("tcpdump", 2, "-Z", "root", "-U", "-n", "-i", "lo", "-c", "4", "-w", path);

        var frames = await FileScratch.AssertReadsLikeTsharkAsync(path, atLeast: 4);

        Assert.All(frames, f => Assert.Equal(LinkType.Ethernet, f.LinkType));
        Assert.All(frames, f => Assert.Equal(0, f.TimestampNs % 1000));
        Assert.All(frames, f => Assert.Equal("lo:file", f.Point.Name));
    }

    [Fact]
    public async Task Read_TcpdumpNanosecondCapture_KeepsNanoseconds()
    {
        var path = _scratch.File("nano.pcap");
        await _netns.CaptureAsync("tcpdump", 2, "-Z", "root", "-U", "-n", "-i", "lo", "-c", "4", "--time-stamp-precision", "nano", "-w", path);

        var frames = await FileScratch.AssertReadsLikeTsharkAsync(path, atLeast: 4);

        Assert.Contains(frames, f => f.TimestampNs % 1000 != 0);
    }

    [Theory]
    [InlineData(null, LinkType.LinuxSll2)]
    [InlineData("LINUX_SLL", LinkType.LinuxSll)]
    public async Task Read_TcpdumpAnyInterfaceCapture_HasTheCookedLinkType(string? linkTypeName, LinkType expected)
    {
        var path = _scratch.File("any.pcap");
        string[] args = ["-Z", "root", "-U", "-n", "-i", "any", "-c", "4", "-w", path];
        await _netns.CaptureAsync("tcpdump", 4, linkTypeName is null ? args : [.. args, "-y", linkTypeName]);

        var frames = await FileScratch.AssertReadsLikeTsharkAsync(path, atLeast: 4);

        Assert.All(frames, f => Assert.Equal(expected, f.LinkType));
    }

    [Fact]
    public async Task Read_DumpcapPcapng_MatchesTshark()
    {
        var path = _scratch.File("dumpcap.pcapng");
        await _netns.CaptureAsync("dumpcap", 2, "-i", "lo", "-c", "4", "-w", path);

        var frames = await FileScratch.AssertReadsLikeTsharkAsync(path, atLeast: 4);

        Assert.All(frames, f => Assert.Equal("dumpcap:file", f.Point.Name));
    }

    [Fact]
    public async Task Read_TcpdumpStdoutThroughAPipe_ReturnsEachFrameWhileTcpdumpRuns()
    {
        var info = new ProcessStartInfo(Requirements.Tool("ip")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "netns", "exec", _netns.Name, Requirements.Tool("tcpdump"), "-U", "--immediate-mode", "-n", "-i", "lo", "-w", "-", "udp port 9" })
        {
            info.ArgumentList.Add(arg);
        }

        using var tcpdump = Process.Start(info)!;
        try
        {
            tcpdump.BeginErrorReadLine();
            using var reader = await Task.Run(() => new PcapReader(tcpdump.StandardOutput.BaseStream, "tcpdump", new CapturePoint("ns", "lo"))).WaitAsync(TimeSpan.FromSeconds(30));
            for (var i = 1; i <= 3; i++)
            {
                var sent = SendDatagram(i);
                var read = await Task.Run(() => (reader.TryRead(out var frame), frame)).WaitAsync(TimeSpan.FromSeconds(30));
                Assert.True(read.Item1, $"no frame {i} while tcpdump runs");
                Assert.EndsWith(sent, System.Text.Encoding.ASCII.GetString(read.frame.Data), StringComparison.Ordinal);
            }

            Assert.False(tcpdump.HasExited);
        }
        finally
        {
            tcpdump.Kill(entireProcessTree: true);
            await tcpdump.WaitForExitAsync();
        }
    }

    private string SendDatagram(int i)
    {
        var text = $"ectest-live-{i}\n";
        using var bash = Process.Start(Requirements.Tool("ip"), ["netns", "exec", _netns.Name, Requirements.Tool("bash"), "-c", $"echo ectest-live-{i} > /dev/udp/127.0.0.1/9"]);
        bash.WaitForExit();
        Assert.Equal(0, bash.ExitCode);
        return text;
    }
}
