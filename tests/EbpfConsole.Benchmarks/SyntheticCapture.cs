using System.Net;
using System.Net.NetworkInformation;
using EbpfConsole.Core.Capture;
using PacketDotNet;

namespace EbpfConsole.Benchmarks;

/// <summary>
/// NodePort traffic shaped like the lab's captures (assets/captures): connections in turn through
/// iptables (MASQUERADE), eBPF with the reply through the ingress node (VXLAN both ways) and eBPF DSR,
/// each seen at node-1:eth0, node-2:eth0 and the pod's cali interface, with an HTTP request and reply.
/// Built with PacketDotNet; deterministic for a seed.
/// </summary>
public static class SyntheticCapture
{
    public static readonly CapturePoint[] Points =
        [new("node-1", "eth0"), new("node-2", "eth0"), new("node-2", "calic440f455693")];

    private const string Node1 = "10.99.0.11";
    private const string Node2 = "10.99.0.12";
    private const string Pod = "10.244.2.5";
    private const int NodePort = 30604;
    private static readonly PhysicalAddress MacA = PhysicalAddress.Parse("8A-27-2C-72-AD-11");
    private static readonly PhysicalAddress MacB = PhysicalAddress.Parse("3E-81-9A-10-40-58");

    /// <summary>Frames in time order until <paramref name="packets"/> were produced.</summary>
    public static IEnumerable<CapturedFrame> Generate(long packets, int seed = 42)
    {
        var random = new Random(seed);
        var produced = 0L;
        var ns = 1_795_774_182_000_000_000L;
        for (var i = 0; produced < packets; i++)
        {
            var client = $"10.99.{1 + i / 250 % 200}.{1 + i % 250}";
            var port = 32768 + i % 28000;
            var isn = (uint)random.NextInt64(0, uint.MaxValue);
            var serverIsn = (uint)random.NextInt64(0, uint.MaxValue);
            foreach (var (point, data) in Connection(i % 3, client, port, isn, serverIsn, 20000 + i % 40000))
            {
                ns += 2_000;
                yield return new CapturedFrame(ns, Points[point], LinkType.Ethernet, data, data.Length);
                if (++produced == packets)
                {
                    yield break;
                }
            }
        }
    }

    private static IEnumerable<(int Point, byte[] Data)> Connection(int mode, string client, int port, uint isn, uint serverIsn, int snatPort)
    {
        // (direction, flags, seq offset, ack offset, payload): client → server is "c", server → client "s"
        (char Dir, string Flags, uint Seq, uint Ack, int Payload)[] segments =
        [
            ('c', "S", 0, 0, 0), ('s', "S.", 0, 1, 0), ('c', ".", 1, 1, 0), ('c', "P.", 1, 1, 80),
            ('s', ".", 1, 81, 0), ('s', "P.", 1, 81, 166), ('c', ".", 81, 167, 0), ('c', "F.", 81, 167, 0),
            ('s', "F.", 167, 82, 0), ('c', ".", 82, 168, 0),
        ];
        foreach (var (dir, flags, seqOffset, ackOffset, payload) in segments)
        {
            var fromClient = dir == 'c';
            var seq = (fromClient ? isn : serverIsn) + seqOffset;
            var ack = flags == "S" ? 0 : (fromClient ? serverIsn : isn) + ackOffset;
            byte[] Seg(string src, int sp, string dst, int dp) => Tcp(src, sp, dst, dp, flags, seq, ack, payload);
            if (mode == 0)
            {
                var outside = fromClient ? Seg(client, port, Node1, NodePort) : Seg(Node1, NodePort, client, port);
                var inside = fromClient ? Seg(Node1, snatPort, Pod, 80) : Seg(Pod, 80, Node1, snatPort);
                if (fromClient)
                {
                    yield return (0, outside);
                    yield return (0, inside);
                    yield return (1, inside);
                    yield return (2, inside);
                }
                else
                {
                    yield return (2, inside);
                    yield return (1, inside);
                    yield return (0, inside);
                    yield return (0, outside);
                }

                continue;
            }

            var original = fromClient ? Seg(client, port, Node1, NodePort) : Seg(Node1, NodePort, client, port);
            var atPod = fromClient ? Seg(client, port, Pod, 80) : Seg(Pod, 80, client, port);
            if (fromClient)
            {
                var tunnelled = Vxlan(Node1, Node2, original);
                yield return (0, original);
                yield return (0, tunnelled);
                yield return (1, tunnelled);
                yield return (2, atPod);
            }
            else if (mode == 1)
            {
                var tunnelled = Vxlan(Node2, Node1, original);
                yield return (2, atPod);
                yield return (1, tunnelled);
                yield return (0, tunnelled);
                yield return (0, original);
            }
            else
            {
                yield return (2, atPod);
                yield return (1, original);
            }
        }
    }

    public static byte[] Tcp(string source, int sourcePort, string destination, int destinationPort, string flags, uint seq, uint ack, int payload)
    {
        var tcp = new TcpPacket((ushort)sourcePort, (ushort)destinationPort)
        {
            SequenceNumber = seq,
            AcknowledgmentNumber = ack,
            Synchronize = flags.Contains('S', StringComparison.Ordinal),
            Acknowledgment = flags.Contains('.', StringComparison.Ordinal),
            Push = flags.Contains('P', StringComparison.Ordinal),
            Finished = flags.Contains('F', StringComparison.Ordinal),
            WindowSize = 64240,
        };
        if (payload > 0)
        {
            tcp.PayloadData = new byte[payload];
        }

        return Ethernet(new IPv4Packet(IPAddress.Parse(source), IPAddress.Parse(destination)) { TimeToLive = 64, PayloadPacket = tcp });
    }

    public static byte[] Vxlan(string outerSource, string outerDestination, byte[] inner)
    {
        var payload = new byte[8 + inner.Length];
        payload[0] = 0x08;
        payload[4] = 0xca;
        payload[5] = 0x11;
        payload[6] = 0xc0;
        inner.CopyTo(payload, 8);
        var udp = new UdpPacket(40000, 4789) { PayloadData = payload };
        return Ethernet(new IPv4Packet(IPAddress.Parse(outerSource), IPAddress.Parse(outerDestination)) { TimeToLive = 64, PayloadPacket = udp });
    }

    private static byte[] Ethernet(IPv4Packet ip)
    {
        var ethernet = new EthernetPacket(MacA, MacB, EthernetType.IPv4) { PayloadPacket = ip };
        ethernet.UpdateCalculatedValues();
        return ethernet.Bytes;
    }
}
