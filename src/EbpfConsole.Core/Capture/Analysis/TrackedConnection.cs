namespace EbpfConsole.Core.Capture.Analysis;

/// <summary>
/// What the analyzer keeps about one connection (all packets sharing the client's SYN sequence
/// number): its legs (one per point, plain or tunnelled, and rewritten address pair) and a bounded
/// list of compact packet records. Evaluated into a <see cref="ConnectionView"/> only when it changed.
/// Once idle (or closed), it is retired: the view is kept, legs and packet records are dropped.
/// </summary>
internal sealed class TrackedConnection(uint isn, long timestampNs)
{
    public const int MaxLegs = 24;

    private static readonly List<ConnectionLeg> NoLegs = new(0);

    public uint Isn { get; } = isn;

    /// <summary>0 until a SYN to (or SYN-ACK from) the NodePort confirms it; then 1, 2, ….</summary>
    public int Id { get; set; }

    public bool Confirmed => Id != 0;

    public bool Removed { get; set; }

    /// <summary>Its view is final: legs, packet records and lookups were dropped (idle or closed).</summary>
    public bool Retired { get; set; }

    /// <summary>A FIN was seen from the initiator / from the responder, or a RST: what "closed" is made of.</summary>
    public CloseSeen Closed { get; set; }

    public long FirstSeenNs { get; set; } = timestampNs;

    public long LastSeenNs { get; set; } = timestampNs;

    public IpKey ClientIp { get; set; }

    public ushort ClientPort { get; set; }

    public IpKey ServiceIp { get; set; }

    public ushort ServicePort { get; set; }

    public List<ConnectionLeg> Legs { get; private set; } = new(4);

    public long PacketCount { get; set; }

    public PacketRecord[]? Packets { get; set; }

    public int PacketsKept { get; set; }

    public bool Dirty { get; set; }

    public ConnectionView? View { get; set; }

    public AssumptionKinds ViewAssumptions { get; set; }

    public bool IsClosed => (Closed & CloseSeen.Reset) != 0 || (Closed & CloseSeen.BothFins) == CloseSeen.BothFins;

    /// <summary>Keeps only the view: called once the view is final.</summary>
    public void Retire()
    {
        Retired = true;
        Legs = NoLegs;
        Packets = null;
        PacketsKept = 0;
    }

    public void Keep(in PacketRecord record, int max)
    {
        if (PacketsKept >= max)
        {
            return;
        }

        if (Packets is null || PacketsKept == Packets.Length)
        {
            var grown = new PacketRecord[Math.Min(max, Math.Max(8, PacketsKept * 2))];
            Packets?.AsSpan(0, PacketsKept).CopyTo(grown);
            Packets = grown;
        }

        Packets[PacketsKept++] = record;
    }
}

/// <summary>
/// One flow of a connection at one point: initiator (the side that sent the SYN) and responder as seen
/// there, whether it travelled in VXLAN, and the first packets of each direction that verdicts cite.
/// The directions are fields (not objects): a connection has four or five legs and there may be
/// hundreds of thousands of connections.
/// </summary>
internal sealed class ConnectionLeg(int point, bool encapsulated)
{
    private Direction _forward;
    private Direction _reverse;

    public int Point { get; } = point;

    public bool Encapsulated { get; } = encapsulated;

    public IpKey InitiatorIp { get; init; }

    public ushort InitiatorPort { get; init; }

    public IpKey ResponderIp { get; init; }

    public ushort ResponderPort { get; init; }

    /// <summary>Initiator to responder.</summary>
    public ref Direction Forward => ref _forward;

    /// <summary>Responder to initiator.</summary>
    public ref Direction Reverse => ref _reverse;

    /// <summary>SYNs from the initiator seen on this leg (more than one: retransmits).</summary>
    public int SynCount { get; set; }

    public bool SynAckSeen { get; set; }

    public uint ServerIsn { get; set; }

    /// <summary>The key of this leg's flow (what the analyzer's flow table holds).</summary>
    public FlowKey Key => FlowKey.Create(Point, Encapsulated, InitiatorIp, InitiatorPort, ResponderIp, ResponderPort);
}

/// <summary>Counters and the first packets of one direction of a leg.</summary>
internal struct Direction
{
    public long Packets;

    public PacketMark First;

    /// <summary>First SYN (forward) or SYN-ACK (reverse).</summary>
    public PacketMark Handshake;

    /// <summary>First segment with ACK set and SYN clear.</summary>
    public PacketMark FirstAck;

    public IpKey OuterSource;

    public IpKey OuterDestination;

    public uint Vni;
}

/// <summary>A packet a verdict can cite: when, which frame, flags and numbers.</summary>
internal readonly record struct PacketMark(long TimestampNs, long Frame, uint Sequence, uint Acknowledgement, TcpFlags Flags)
{
    public bool Seen => Frame != 0;
}

/// <summary>A kept packet: 32 bytes, addresses come from its leg.</summary>
internal readonly record struct PacketRecord(long TimestampNs, long Frame, uint Sequence, uint Acknowledgement, int PayloadLength, byte Leg, bool Reverse, TcpFlags Flags);

/// <summary>What of a connection's end was seen.</summary>
[Flags]
internal enum CloseSeen : byte
{
    None = 0,
    InitiatorFin = 1,
    ResponderFin = 2,
    BothFins = InitiatorFin | ResponderFin,
    Reset = 4,
}

/// <summary>What a verdict had to assume, counted for the session's assumptions.</summary>
[Flags]
internal enum AssumptionKinds
{
    None = 0,
    PodSawFromTunnel = 1,
    ReplyInferredFromAck = 2,
}
