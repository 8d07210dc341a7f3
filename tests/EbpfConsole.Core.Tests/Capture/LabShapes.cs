using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;
using static EbpfConsole.Core.Tests.Capture.PacketBuilder;

namespace EbpfConsole.Core.Tests.Capture;

/// <summary>
/// Frames shaped like the lab captures in assets/captures (node-1 ingress 10.99.0.11, NodePort 30604,
/// pod 10.244.2.5:80 on node-2 behind calic440f455693), for one connection in each datapath.
/// </summary>
internal static class LabShapes
{
    public const string Client = "10.99.0.100";
    public const string Client2 = "10.99.0.101";
    public const string Node1 = "10.99.0.11";
    public const string Node2 = "10.99.0.12";
    public const string Pod = "10.244.2.5";
    public const int NodePort = 30604;
    public const long Start = 1_795_774_182_208_625_000; // 2026-11-27 10:09:42.208625 UTC

    public static readonly CapturePoint Node1Eth0 = new("node-1", "eth0");
    public static readonly CapturePoint Node2Eth0 = new("node-2", "eth0");
    public static readonly CapturePoint PodCali = new("node-2", "calic440f455693");
    public static readonly CapturePoint[] AllPoints = [Node1Eth0, Node2Eth0, PodCali];

    public static NodeDirectory Nodes { get; } = new([("node-1", Node1), ("node-2", Node2)]);

    public static AnalysisOptions Options(NodeDirectory? nodes = null, int? nodePort = NodePort) => new(nodes ?? Nodes, nodePort);

    /// <summary>One connection as kube-proxy iptables handles it: MASQUERADE to node-1 with a new port, routed to node-2.</summary>
    public static List<CapturedFrame> Iptables(string client = Client, int clientPort = 60100, uint isn = 3812172783, uint serverIsn = 1516336144,
        int snatPort = 18327, long start = Start, params CapturePoint[] points)
    {
        var frames = new Builder(start, points);
        frames.At(Node1Eth0, 0, Tcp(client, clientPort, Node1, NodePort, "S", isn));
        frames.At(Node1Eth0, 1, Tcp(Node1, snatPort, Pod, 80, "S", isn));
        frames.At(Node2Eth0, 2, Tcp(Node1, snatPort, Pod, 80, "S", isn));
        frames.At(PodCali, 3, Tcp(Node1, snatPort, Pod, 80, "S", isn));
        frames.At(PodCali, 10, Tcp(Pod, 80, Node1, snatPort, "S.", serverIsn, isn + 1));
        frames.At(Node2Eth0, 11, Tcp(Pod, 80, Node1, snatPort, "S.", serverIsn, isn + 1));
        frames.At(Node1Eth0, 12, Tcp(Pod, 80, Node1, snatPort, "S.", serverIsn, isn + 1));
        frames.At(Node1Eth0, 13, Tcp(Node1, NodePort, client, clientPort, "S.", serverIsn, isn + 1));
        frames.At(Node1Eth0, 20, Tcp(client, clientPort, Node1, NodePort, ".", isn + 1, serverIsn + 1));
        frames.At(Node1Eth0, 21, Tcp(Node1, snatPort, Pod, 80, ".", isn + 1, serverIsn + 1));
        frames.At(Node2Eth0, 22, Tcp(Node1, snatPort, Pod, 80, ".", isn + 1, serverIsn + 1));
        frames.At(PodCali, 23, Tcp(Node1, snatPort, Pod, 80, ".", isn + 1, serverIsn + 1));
        return frames.Frames;
    }

    /// <summary>Calico eBPF with the reply through the ingress node: the original SYN in VXLAN to node-2, the reply back in VXLAN.</summary>
    public static List<CapturedFrame> EbpfTunnel(string client = Client, int clientPort = 60116, uint isn = 3852301490, uint serverIsn = 3764926675,
        long start = Start, params CapturePoint[] points)
    {
        var frames = new Builder(start, points);
        Inbound(frames, client, clientPort, isn);
        frames.At(PodCali, 10, Tcp(Pod, 80, client, clientPort, "S.", serverIsn, isn + 1));
        var synAck = Tcp(Node1, NodePort, client, clientPort, "S.", serverIsn, isn + 1);
        frames.At(Node2Eth0, 11, Vxlan(Node2, Node1, synAck));
        frames.At(Node1Eth0, 12, Vxlan(Node2, Node1, synAck));
        frames.At(Node1Eth0, 13, synAck);
        Ack(frames, client, clientPort, isn, serverIsn);
        return frames.Frames;
    }

    /// <summary>Calico eBPF DSR: inbound as the tunnel, the reply leaves node-2's eth0 straight to the client from 10.99.0.11:30604.</summary>
    public static List<CapturedFrame> EbpfDsr(string client = Client, int clientPort = 60128, uint isn = 2152535200, uint serverIsn = 2784640799,
        long start = Start, params CapturePoint[] points)
    {
        var frames = new Builder(start, points);
        Inbound(frames, client, clientPort, isn);
        frames.At(PodCali, 10, Tcp(Pod, 80, client, clientPort, "S.", serverIsn, isn + 1));
        frames.At(Node2Eth0, 11, Tcp(Node1, NodePort, client, clientPort, "S.", serverIsn, isn + 1));
        Ack(frames, client, clientPort, isn, serverIsn);
        frames.At(PodCali, 30, Tcp(Pod, 80, client, clientPort, "P.", serverIsn + 1, isn + 1, 166));
        frames.At(Node2Eth0, 31, Tcp(Node1, NodePort, client, clientPort, "P.", serverIsn + 1, isn + 1, 166));
        return frames.Frames;
    }

    public static CaptureSnapshot Analyze(IEnumerable<CapturedFrame> frames, AnalysisOptions? options = null)
    {
        var analyzer = new CaptureAnalyzer(options ?? Options());
        foreach (var frame in frames.OrderBy(f => f.TimestampNs))
        {
            analyzer.Accept(frame);
        }

        return analyzer.Snapshot();
    }

    private static void Inbound(Builder frames, string client, int clientPort, uint isn)
    {
        var syn = Tcp(client, clientPort, Node1, NodePort, "S", isn);
        frames.At(Node1Eth0, 0, syn);
        frames.At(Node1Eth0, 1, Vxlan(Node1, Node2, syn));
        frames.At(Node2Eth0, 2, Vxlan(Node1, Node2, syn));
        frames.At(PodCali, 3, Tcp(client, clientPort, Pod, 80, "S", isn));
    }

    private static void Ack(Builder frames, string client, int clientPort, uint isn, uint serverIsn)
    {
        var ack = Tcp(client, clientPort, Node1, NodePort, ".", isn + 1, serverIsn + 1);
        frames.At(Node1Eth0, 20, ack);
        frames.At(Node1Eth0, 21, Vxlan(Node1, Node2, ack));
        frames.At(Node2Eth0, 22, Vxlan(Node1, Node2, ack));
        frames.At(PodCali, 23, Tcp(client, clientPort, Pod, 80, ".", isn + 1, serverIsn + 1));
    }

    /// <summary>Collects frames at the chosen points (all three when none are named), 10 µs per step.</summary>
    private sealed class Builder(long start, CapturePoint[] points)
    {
        public List<CapturedFrame> Frames { get; } = [];

        public void At(CapturePoint point, int step, byte[] data)
        {
            if (points.Length == 0 || points.Contains(point))
            {
                Frames.Add(Frame(start + step * 10_000L, point, data));
            }
        }
    }
}
