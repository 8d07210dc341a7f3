namespace EbpfConsole.Core.Capture.Analysis;

/// <summary>
/// What the analyzer keeps about one connection (all packets sharing the client's SYN sequence
/// number): its legs (one per point, plain or tunnelled, and rewritten address pair) and a bounded
/// list of compact packet records. Evaluated into a <see cref="ConnectionView"/> only when it changed.
/// </summary>
internal sealed class TrackedConnection(uint isn, long timestampNs)
{
    public const int MaxLegs = 24;

    public uint Isn { get; } = isn;

    /// <summary>0 until a SYN to (or SYN-ACK from) the NodePort confirms it; then 1, 2, ….</summary>
    public int Id { get; set; }

    public bool Confirmed => Id != 0;

    public bool Removed { get; set; }

    public long FirstSeenNs { get; set; } = timestampNs;

    public long LastSeenNs { get; set; } = timestampNs;

    public IpKey ClientIp { get; set; }

    public ushort ClientPort { get; set; }

    public IpKey ServiceIp { get; set; }

    public ushort ServicePort { get; set; }

    public List<ConnectionLeg> Legs { get; } = new(4);

    public long PacketCount { get; set; }

    public PacketRecord[]? Packets { get; set; }

    public int PacketsKept { get; set; }

    public bool Dirty { get; set; }

    public ConnectionView? View { get; set; }

    public AssumptionKinds ViewAssumptions { get; set; }

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
/// </summary>
internal sealed class ConnectionLeg(int point, bool encapsulated, FlowKey key)
{
    public int Point { get; } = point;

    public bool Encapsulated { get; } = encapsulated;

    public FlowKey Key { get; } = key;

    public IpKey InitiatorIp { get; init; }

    public ushort InitiatorPort { get; init; }

    public IpKey ResponderIp { get; init; }

    public ushort ResponderPort { get; init; }

    public Direction Forward { get; } = new();

    public Direction Reverse { get; } = new();

    /// <summary>SYNs from the initiator seen on this leg (more than one: retransmits).</summary>
    public int SynCount { get; set; }

    public bool SynAckSeen { get; set; }

    public uint ServerIsn { get; set; }
}

/// <summary>Counters and the first packets of one direction of a leg.</summary>
internal sealed class Direction
{
    public long Packets { get; set; }

    public PacketMark First { get; set; }

    /// <summary>First SYN (forward) or SYN-ACK (reverse).</summary>
    public PacketMark Handshake { get; set; }

    /// <summary>First segment with ACK set and SYN clear.</summary>
    public PacketMark FirstAck { get; set; }

    public IpKey OuterSource { get; set; }

    public IpKey OuterDestination { get; set; }

    public uint Vni { get; set; }
}

/// <summary>A packet a verdict can cite: when, which frame, flags and numbers.</summary>
internal readonly record struct PacketMark(long TimestampNs, long Frame, TcpFlags Flags, uint Sequence, uint Acknowledgement)
{
    public bool Seen => Frame != 0;
}

/// <summary>A kept packet: 32 bytes, addresses come from its leg.</summary>
internal readonly record struct PacketRecord(long TimestampNs, long Frame, uint Sequence, uint Acknowledgement, int PayloadLength, byte Leg, bool Reverse, TcpFlags Flags);

/// <summary>What a verdict had to assume, counted for the session's assumptions.</summary>
[Flags]
internal enum AssumptionKinds
{
    None = 0,
    PodSawFromTunnel = 1,
    ReplyInferredFromAck = 2,
}
