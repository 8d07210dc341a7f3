using System.Buffers.Binary;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;

namespace EbpfConsole.Core.Tests.Capture;

/// <summary>The captures recorded on the lab (assets/captures, tcpdump's classic pcap) give each mode's verdict.</summary>
public sealed class LabCaptureFileTests
{
    [Theory]
    [InlineData("iptables", DatapathVerdict.IptablesSnat, PodSawKind.Snat, ReplyPathKind.ViaIngress)]
    [InlineData("ebpf-tunnel", DatapathVerdict.EbpfTunnel, PodSawKind.ClientIp, ReplyPathKind.ViaIngress)]
    [InlineData("ebpf-dsr", DatapathVerdict.EbpfDsr, PodSawKind.ClientIp, ReplyPathKind.DirectFromBackend)]
    public void Analyze_LabCaptureOfMode_GivesThatMode(string mode, DatapathVerdict verdict, PodSawKind podSaw, ReplyPathKind reply)
    {
        var analyzer = new CaptureAnalyzer(LabShapes.Options());
        var frames = Directory.GetFiles(Path.Combine(AssetsDirectory(), mode), "*.pcap").SelectMany(ReadPcap).OrderBy(f => f.TimestampNs).ToList();
        foreach (var frame in frames)
        {
            analyzer.Accept(frame);
        }

        var snapshot = analyzer.Snapshot();

        Assert.Equal(verdict, snapshot.Classification.Verdict);
        var connection = Assert.Single(snapshot.Connections);
        Assert.Equal(podSaw, connection.PodSaw.Kind);
        Assert.Equal(reply, connection.ReplyPath.Kind);
        Assert.Equal(3, connection.Points.Count);
        Assert.Equal(frames.Count, connection.PacketCount);
        Assert.Equal(0, snapshot.Malformed);
    }

    private static string AssetsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "assets", "captures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("assets/captures not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Classic pcap, microsecond or nanosecond, either byte order; the point is the file name (node-2-calic440f455693.pcap).</summary>
    private static IEnumerable<CapturedFrame> ReadPcap(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var dash = name.LastIndexOf('-');
        var point = new CapturePoint(name[..dash], name[(dash + 1)..]);
        var bytes = File.ReadAllBytes(path);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        var little = magic is 0xa1b2c3d4 or 0xa1b23c4d;
        var nano = magic is 0xa1b23c4d or 0x4d3cb2a1;
        uint U32(int offset) => little ? BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)) : BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset));
        var linkType = (LinkType)(U32(20) & 0xFFFF);
        for (var offset = 24; offset + 16 <= bytes.Length;)
        {
            var ns = U32(offset) * 1_000_000_000L + U32(offset + 4) * (nano ? 1L : 1000L);
            var captured = (int)U32(offset + 8);
            var original = (int)U32(offset + 12);
            yield return new CapturedFrame(ns, point, linkType, bytes.AsSpan(offset + 16, captured).ToArray(), original);
            offset += 16 + captured;
        }
    }
}
