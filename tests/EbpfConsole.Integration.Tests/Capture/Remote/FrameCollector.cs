using System.Collections.Concurrent;
using EbpfConsole.Core.Capture;
using PacketDotNet;

namespace EbpfConsole.Integration.Tests.Capture.Remote;

/// <summary>A non-blocking sink that keeps every frame, with helpers to wait for and decode them.</summary>
internal sealed class FrameCollector : IFrameSink
{
    private readonly ConcurrentQueue<CapturedFrame> _frames = new();

    public IReadOnlyList<CapturedFrame> Frames => [.. _frames];

    public void Accept(in CapturedFrame frame) => _frames.Enqueue(frame);

    /// <summary>The TCP segments among the frames (Ethernet link type on lo).</summary>
    public IReadOnlyList<TcpPacket> TcpSegments() =>
        [.. Frames.Select(f => Packet.ParsePacket((LinkLayers)(int)f.LinkType, f.Data).Extract<TcpPacket>()).OfType<TcpPacket>()];

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds}s waiting for {what()}");
            }

            await Task.Delay(20);
        }
    }
}
