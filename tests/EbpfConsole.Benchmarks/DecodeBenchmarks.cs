using BenchmarkDotNet.Attributes;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;
using PacketDotNet;

namespace EbpfConsole.Benchmarks;

/// <summary>
/// Decoding one frame down to the TCP header: the hand-written Span decoder against PacketDotNet, on a
/// realistic mix (about three plain TCP frames to one VXLAN-encapsulated TCP frame).
/// </summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private const int Frames = 4096;
    private byte[][] _frames = [];

    [GlobalSetup]
    public void Setup() => _frames = SyntheticCapture.Generate(Frames).Select(f => f.Data).ToArray();

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames)]
    public long HandWritten()
    {
        var sum = 0L;
        foreach (var frame in _frames)
        {
            if (FrameDecoder.Decode(frame, LinkType.Ethernet, out var packet) == DecodeStatus.Ip)
            {
                sum += packet.Sequence + packet.DestinationPort;
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public long PacketDotNetParse()
    {
        var sum = 0L;
        foreach (var frame in _frames)
        {
            var packet = Packet.ParsePacket(LinkLayers.Ethernet, frame);
            if (packet.Extract<TcpPacket>() is { } tcp)
            {
                sum += tcp.SequenceNumber + tcp.DestinationPort;
            }
        }

        return sum;
    }
}
