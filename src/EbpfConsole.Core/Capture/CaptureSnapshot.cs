namespace EbpfConsole.Core.Capture;

/// <summary>
/// Everything known about one capture at one moment: immutable, so the UI and the CLI read it while
/// the analyzer goes on. <see cref="Name"/> is set when the snapshot is pinned ("baseline", …).
/// </summary>
public sealed record CaptureSnapshot(
    string? Name,
    long? FirstPacketNs,
    long? LastPacketNs,
    IReadOnlyList<PointStats> Points,
    IReadOnlyList<ConnectionView> Connections,
    SessionClassification Classification,
    IReadOnlyList<string> Assumptions)
{
    public static CaptureSnapshot Empty { get; } =
        new(null, null, null, [], [], SessionClassification.Nothing, []);

    /// <summary>Frames received from every point.</summary>
    public long Packets => Points.Sum(p => p.Packets);

    /// <summary>Frames that could not be decoded (truncated, malformed, unknown link type).</summary>
    public long Malformed => Points.Sum(p => p.Malformed);

    /// <summary>Frames lost: by our bounded buffers and by the kernel (pcap stats).</summary>
    public long Dropped => Points.Sum(p => p.DroppedByUs + p.DroppedByKernel);

    /// <summary>Things worth knowing that are not verdicts: ICMP MTU messages, connections forgotten.</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>What the frames that are not NodePort connections were.</summary>
    public TrafficCounters Traffic { get; init; } = TrafficCounters.None;

    public CaptureSnapshot Pin(string name) => this with { Name = name };
}

/// <summary>
/// Counts of decoded traffic besides NodePort connections: frames without IP, TCP segments of no
/// tracked connection, UDP, ICMP, other IP protocols, packets seen inside VXLAN, connections forgotten
/// because more than the analyzer's bound were open.
/// </summary>
public sealed record TrafficCounters(long NotIp, long OtherTcp, long Udp, long Icmp, long OtherIp, long Tunnelled, long ConnectionsForgotten)
{
    public static TrafficCounters None { get; } = new(0, 0, 0, 0, 0, 0, 0);
}

/// <summary>Counters of one capture point; <see cref="Error"/> is set when its source failed.</summary>
public sealed record PointStats(
    CapturePoint Point,
    long Packets,
    long Malformed,
    long DroppedByUs,
    long DroppedByKernel,
    string? Error = null);

/// <summary>An address and port as seen on the wire, written 10.99.0.100:60100 or [fd00::1]:443.</summary>
public readonly record struct Endpoint(string Address, int Port)
{
    public override string ToString() => Address.Contains(':', StringComparison.Ordinal) ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}

/// <summary>The verdict on one connection (or, with <see cref="Mixed"/>, on a whole capture).</summary>
public enum DatapathVerdict
{
    /// <summary>Not enough was seen to tell (the reason says what is missing).</summary>
    Unknown,

    /// <summary>The pod saw a node's address: kube-proxy-style SNAT (MASQUERADE).</summary>
    IptablesSnat,

    /// <summary>The pod saw the client; the reply went back through the ingress node.</summary>
    EbpfTunnel,

    /// <summary>The pod saw the client; the reply left the backend node straight to the client.</summary>
    EbpfDsr,

    /// <summary>Capture level only: connections with different verdicts.</summary>
    Mixed,
}

/// <summary>The user-facing names: iptables-snat, ebpf-tunnel, ebpf-dsr, mixed, unknown.</summary>
public static class DatapathVerdicts
{
    public static string ToName(this DatapathVerdict verdict) => verdict switch
    {
        DatapathVerdict.IptablesSnat => "iptables-snat",
        DatapathVerdict.EbpfTunnel => "ebpf-tunnel",
        DatapathVerdict.EbpfDsr => "ebpf-dsr",
        DatapathVerdict.Mixed => "mixed",
        _ => "unknown",
    };
}

/// <summary>How the pod saw the connection's source.</summary>
public enum PodSawKind
{
    /// <summary>No packet at or towards the pod (after the NodePort DNAT) was captured.</summary>
    Unknown,

    /// <summary>The source was the client's own address.</summary>
    ClientIp,

    /// <summary>The source was rewritten (to a node's address, <see cref="PodSaw.Node"/>, when known).</summary>
    Snat,
}

/// <summary>The source the pod saw: kind, address:port, and the node that address belongs to (when known).</summary>
public sealed record PodSaw(PodSawKind Kind, Endpoint? Source, string? Node)
{
    public static PodSaw NotSeen { get; } = new(PodSawKind.Unknown, null, null);
}

/// <summary>Which way the reply to the client travelled.</summary>
public enum ReplyPathKind
{
    /// <summary>No reply towards the client was captured at a point whose node is known.</summary>
    Unknown,

    /// <summary>The reply reached the client from the ingress node (the node the client connected to).</summary>
    ViaIngress,

    /// <summary>The reply left another node (the backend) straight to the client: DSR.</summary>
    DirectFromBackend,
}

/// <summary>The reply path and the node that sent the reply to the client (when known).</summary>
public sealed record ReplyPath(ReplyPathKind Kind, string? Node)
{
    public static ReplyPath NotSeen { get; } = new(ReplyPathKind.Unknown, null);
}

/// <summary>
/// One NodePort connection followed across capture points (matched by the client's SYN sequence
/// number). <see cref="Packets"/> holds at most the first packets per connection (bounded);
/// <see cref="PacketCount"/> counts them all.
/// </summary>
public sealed record ConnectionView(
    int Id,
    long FirstSeenNs,
    Endpoint Client,
    Endpoint Service,
    uint ClientIsn,
    PodSaw PodSaw,
    ReplyPath ReplyPath,
    bool TunnelSeen,
    DatapathVerdict Verdict,
    string Reason,
    IReadOnlyList<CapturePoint> Points,
    long PacketCount,
    int SynRetransmits,
    IReadOnlyList<PacketView> Packets)
{
    /// <summary>The node the client connected to (from the node list, or inferred: see the snapshot's assumptions).</summary>
    public string? IngressNode { get; init; }

    /// <summary>What this connection's verdict had to assume (empty when everything was seen).</summary>
    public IReadOnlyList<string> Assumptions { get; init; } = [];
}

/// <summary>
/// One packet of a connection at one point, for the packet list: time, point, addresses as seen there
/// (inner addresses when it was VXLAN-encapsulated, with the outer pair in <see cref="Outer"/>),
/// TCP flags ("S", "S.", ".", "P.", "F.", "R"), sequence and acknowledgement numbers, payload length.
/// </summary>
public sealed record PacketView(
    long TimestampNs,
    CapturePoint Point,
    Endpoint Source,
    Endpoint Destination,
    string Flags,
    uint Sequence,
    uint Acknowledgement,
    int PayloadLength,
    string? Outer,
    long FrameNumber);

/// <summary>
/// The capture-level classification with the sentence that proves it (which packet at which point),
/// and how many connections got each verdict.
/// </summary>
public sealed record SessionClassification(
    DatapathVerdict Verdict,
    string Evidence,
    IReadOnlyDictionary<DatapathVerdict, int> Counts)
{
    public static SessionClassification Nothing { get; } =
        new(DatapathVerdict.Unknown, "no NodePort connection was captured", new Dictionary<DatapathVerdict, int>());
}
