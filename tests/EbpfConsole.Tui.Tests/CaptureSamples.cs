using EbpfConsole.Core.Capture;

namespace EbpfConsole.Tui.Tests;

/// <summary>Snapshots like the analysis engine makes them, for each datapath, built by hand.</summary>
internal static class CaptureSamples
{
    public static readonly CapturePoint Node1 = new("node-1", "eth0");
    public static readonly CapturePoint Node2 = new("node-2", "eth0");
    public static readonly CapturePoint Pod = new("node-2", "cali1a2b3c4d5e6");

    public static IReadOnlyList<CapturePoint> LabPoints { get; } = [Node1, Node2, Pod];

    /// <summary>12:00:00 UTC on the test day, in nanoseconds since the epoch.</summary>
    public static readonly long T0Ns = FakeActions.T0.ToUnixTimeMilliseconds() * 1_000_000;

    public static readonly Endpoint Service = new("10.99.0.11", 30604);

    public static ConnectionView Connection(int id, DatapathVerdict verdict, int clientPort = 60100, string client = "10.99.0.100", long offsetMs = 0)
    {
        var (podSaw, reply, tunnel, reason) = verdict switch
        {
            DatapathVerdict.IptablesSnat => (new PodSaw(PodSawKind.Snat, new Endpoint("10.99.0.11", 41000 + id), "node-1"),
                new ReplyPath(ReplyPathKind.ViaIngress, "node-1"), true, "the pod saw node-1's address 10.99.0.11 (node-2:cali1a2b3c4d5e6 #3)"),
            DatapathVerdict.EbpfTunnel => (new PodSaw(PodSawKind.ClientIp, new Endpoint(client, clientPort), null),
                new ReplyPath(ReplyPathKind.ViaIngress, "node-1"), true, "client IP kept; the SYN-ACK left node-1:eth0 to the client"),
            DatapathVerdict.EbpfDsr => (new PodSaw(PodSawKind.ClientIp, new Endpoint(client, clientPort), null),
                new ReplyPath(ReplyPathKind.DirectFromBackend, "node-2"), true, "client IP kept; the SYN-ACK left node-2:eth0 straight to the client"),
            _ => (PodSaw.NotSeen, ReplyPath.NotSeen, false, "no packet towards the pod was captured"),
        };
        var start = T0Ns + offsetMs * 1_000_000;
        var client1 = new Endpoint(client, clientPort);
        PacketView[] packets =
        [
            new(start, Node1, client1, Service, "S", 1000u + (uint)id, 0, 0, null, 1),
            new(start + 150_000, Node2, new Endpoint("10.99.0.11", 41000 + id), new Endpoint("10.244.1.5", 80), "S", 1000u + (uint)id, 0, 0,
                "10.99.0.11 → 10.99.0.12 vni 0xca11c0", 1),
            new(start + 90_000, Node1, Service, client1, "S.", 7000, 1001u + (uint)id, 0, null, 2),
        ];
        return new ConnectionView(id, start, client1, Service, 1000u + (uint)id, podSaw, reply, tunnel, verdict, reason,
            [Node1, Node2], 10, 0, packets);
    }

    public static CaptureSnapshot Snapshot(IReadOnlyList<ConnectionView> connections, DatapathVerdict classification, string evidence,
        IReadOnlyList<PointStats>? points = null) =>
        new(null, T0Ns, T0Ns + 5_000_000_000, points ?? Stats(),
            connections, new SessionClassification(classification, evidence,
                connections.GroupBy(c => c.Verdict).ToDictionary(g => g.Key, g => g.Count())), []);

    public static IReadOnlyList<PointStats> Stats(long dropped = 0, string? failure = null) =>
    [
        new(Node1, 1200, 0, 0, dropped),
        new(Node2, 800, 2, 0, 0),
        new(Pod, failure is null ? 400 : 0, 0, 0, 0, failure),
    ];

    /// <summary>One connection of each verdict (SNAT, tunnel, DSR, unknown): a mixed capture.</summary>
    public static CaptureSnapshot Mixed() => Snapshot(
        [
            Connection(1, DatapathVerdict.IptablesSnat, 60100, offsetMs: 0),
            Connection(2, DatapathVerdict.EbpfTunnel, 60101, offsetMs: 1000),
            Connection(3, DatapathVerdict.EbpfDsr, 60102, "10.99.0.101", offsetMs: 2000),
            Connection(4, DatapathVerdict.Unknown, 60103, offsetMs: 3000),
        ],
        DatapathVerdict.Mixed, "connections disagree: #1 SNAT at node-2:cali1a2b3c4d5e6, #3 DSR at node-2:eth0");

    public static CaptureSnapshot Mode(DatapathVerdict verdict, int count = 3) => Snapshot(
        [.. Enumerable.Range(1, count).Select(i => Connection(i, verdict, 60100 + i, offsetMs: i * 500))],
        verdict, verdict switch
        {
            DatapathVerdict.IptablesSnat => "the pod saw 10.99.0.11 (node-1) as the source: packet #3 at node-2:cali1a2b3c4d5e6",
            DatapathVerdict.EbpfTunnel => "the pod saw the client 10.99.0.100 and the SYN-ACK reached it from node-1:eth0",
            _ => "the pod saw the client 10.99.0.100 and the SYN-ACK left node-2:eth0 straight to it",
        });

    /// <summary>A large capture: <paramref name="count"/> connections from <paramref name="firstId"/> on.</summary>
    public static IReadOnlyList<ConnectionView> Many(int count, int firstId = 1) =>
        [.. Enumerable.Range(firstId, count).Select(i => Connection(i, (DatapathVerdict)(1 + i % 3), 1024 + i % 60000, offsetMs: i))];
}
