using System.Runtime.CompilerServices;

namespace EbpfConsole.Core.Capture.Analysis;

/// <summary>
/// Decodes frames from any number of capture points and follows each NodePort connection across
/// them by the client's SYN sequence number (NAT rewrites addresses and ports, not sequence numbers;
/// VXLAN carries the original packet). Memory grows with connections, not packets: a connection idle
/// for twice <see cref="AnalysisOptions.MatchWindow"/> (or closed and idle for
/// <see cref="AnalysisOptions.ClosedLinger"/>) keeps only its view. Single-threaded: the caller
/// serialises calls (a capture session's merge loop, or the CLI reading files).
/// </summary>
/// <remarks>
/// The per-packet methods are compiled fully optimised at once (<see cref="MethodImplOptions.AggressiveOptimization"/>):
/// a file of a few million packets is read in about a second, before tiered compilation would have
/// promoted them, and a core shared with other work delays that promotion further.
/// </remarks>
public sealed partial class CaptureAnalyzer : IFrameSink
{
    private readonly AnalysisOptions _options;
    private readonly long _windowNs;
    private readonly long _idleNs;
    private readonly long _closedLingerNs;
    private readonly List<PointState> _points = [];
    private readonly Dictionary<CapturePoint, int> _pointIndex = [];
    private readonly Dictionary<uint, TrackedConnection> _byIsn = [];
    private readonly FlowTable _flows = new();
    private readonly Queue<TrackedConnection> _pending = new();
    private readonly List<TrackedConnection> _confirmed = [];
    private readonly List<TrackedConnection> _active = [];
    private readonly List<TrackedConnection> _dirty = [];
    private readonly SortedSet<int> _autoPorts = [];
    private CapturePoint? _lastPoint;
    private int _lastPointIndex;
    private int _confirmedHead;
    private int _nextId;
    private long _firstNs = long.MaxValue;
    private long _lastNs = long.MinValue;
    private long _version;
    private long _notIp;
    private long _otherTcp;
    private long _udp;
    private long _icmp;
    private long _otherIp;
    private long _tunnelled;
    private long _forgotten;
    private long _nextRetireNs = long.MinValue;

    public CaptureAnalyzer(AnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _windowNs = (long)options.MatchWindow.TotalMilliseconds * 1_000_000L;
        _idleNs = 2 * _windowNs;
        _closedLingerNs = (long)options.ClosedLinger.TotalMilliseconds * 1_000_000L;
        _evaluator = new ConnectionEvaluator(options.Nodes, _points, _text);
    }

    public long FramesAccepted { get; private set; }

    /// <summary>Connections whose tracking state was dropped (idle or closed); their views are kept.</summary>
    public long ConnectionsRetired { get; private set; }

    /// <summary>Connections still tracked in full (confirmed, not retired).</summary>
    public int ActiveConnections => _active.Count;

    /// <summary>Makes a point appear in the snapshot before (or without) any packet from it.</summary>
    public void DeclarePoint(CapturePoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        PointIndexOf(point);
        _version++;
    }

    public void ReportDrops(CapturePoint point, long droppedByUs, long droppedByKernel)
    {
        ArgumentNullException.ThrowIfNull(point);
        var state = _points[PointIndexOf(point)];
        state.DroppedByUs = droppedByUs;
        state.DroppedByKernel = droppedByKernel;
        _version++;
    }

    public void ReportError(CapturePoint point, string error)
    {
        ArgumentNullException.ThrowIfNull(point);
        _points[PointIndexOf(point)].Error = error;
        _version++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Accept(in CapturedFrame frame)
    {
        var frameNumber = ++FramesAccepted;
        _version++;
        var pointIndex = ReferenceEquals(frame.Point, _lastPoint) ? _lastPointIndex : PointIndexOf(frame.Point);
        var point = _points[pointIndex];
        point.Packets++;
        var ns = frame.TimestampNs;
        if (ns < _firstNs)
        {
            _firstNs = ns;
        }

        if (ns > _lastNs)
        {
            _lastNs = ns;
            if (ns >= _nextRetireNs)
            {
                RetireIdle(ns);
            }
        }

        var status = FrameDecoder.Decode(frame.Data, frame.LinkType, out var packet);
        if (status != DecodeStatus.Ip)
        {
            if (status == DecodeStatus.NotIp)
            {
                _notIp++;
            }
            else
            {
                point.Malformed++;
            }

            return;
        }

        if (packet.Encapsulated)
        {
            _tunnelled++;
        }

        if (packet.IsTcp)
        {
            Track(in packet, pointIndex, ns, frameNumber);
            return;
        }

        switch (packet.Protocol)
        {
            case IpProtocols.Udp:
                _udp++;
                break;
            case IpProtocols.Icmp or IpProtocols.IcmpV6:
                _icmp++;
                if (packet.Mtu > 0)
                {
                    NoteMtu(in packet, pointIndex, ns);
                }

                break;
            default:
                _otherIp++;
                break;
        }
    }

    private int PointIndexOf(CapturePoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        for (var i = 0; i < _points.Count; i++)
        {
            if (ReferenceEquals(_points[i].Point, point))
            {
                _lastPoint = point;
                _lastPointIndex = i;
                return i;
            }
        }

        if (!_pointIndex.TryGetValue(point, out var index))
        {
            index = _points.Count;
            _points.Add(new PointState(point));
            _pointIndex[point] = index;
        }

        _lastPoint = point;
        _lastPointIndex = index;
        return index;
    }

    private bool IsNodePort(ushort port)
    {
        if (_options.NodePort is { } nodePort)
        {
            return port == nodePort;
        }

        return port is >= AnalysisOptions.NodePortRangeStart and <= AnalysisOptions.NodePortRangeEnd;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Track(in DecodedPacket packet, int point, long ns, long frameNumber)
    {
        var flags = packet.Flags;
        TrackedConnection? connection;
        ConnectionLeg? leg;
        bool reverse;
        if ((flags & (TcpFlags.Syn | TcpFlags.Ack)) == TcpFlags.Syn)
        {
            var nodePortSyn = IsNodePort(packet.DestinationPort);
            connection = FindByIsn(packet.Sequence, ns);
            if (connection is { Confirmed: true } && nodePortSyn
                && (connection.ClientIp != packet.Source || connection.ClientPort != packet.SourcePort))
            {
                connection = null; // another client's connection that happens to use the same ISN
            }

            connection ??= Create(packet.Sequence, ns);
            leg = LegOf(connection, point, in packet, sourceIsInitiator: true);
            reverse = false;
            if (leg is not null)
            {
                leg.SynCount++;
                if (!leg.Forward.Handshake.Seen)
                {
                    leg.Forward.Handshake = Mark(in packet, ns, frameNumber);
                }
            }

            if (nodePortSyn && !connection.Confirmed)
            {
                Confirm(connection, packet.Source, packet.SourcePort, packet.Destination, packet.DestinationPort);
            }
        }
        else if ((flags & (TcpFlags.Syn | TcpFlags.Ack)) == (TcpFlags.Syn | TcpFlags.Ack))
        {
            var isn = packet.Acknowledgement - 1;
            connection = FindByIsn(isn, ns) ?? Create(isn, ns);
            leg = LegOf(connection, point, in packet, sourceIsInitiator: false);
            reverse = true;
            if (leg is not null && !leg.SynAckSeen)
            {
                leg.SynAckSeen = true;
                leg.ServerIsn = packet.Sequence;
                leg.Reverse.Handshake = Mark(in packet, ns, frameNumber);
            }

            if (IsNodePort(packet.SourcePort) && !connection.Confirmed)
            {
                Confirm(connection, packet.Destination, packet.DestinationPort, packet.Source, packet.SourcePort);
            }
        }
        else
        {
            if (!_flows.TryGetValue(FlowKey.Create(point, in packet), out connection, out var legIndex))
            {
                _otherTcp++;
                return;
            }

            leg = connection!.Legs[legIndex];
            reverse = packet.Source != leg.InitiatorIp || packet.SourcePort != leg.InitiatorPort;
            if (!reverse && (flags & TcpFlags.Ack) != 0 && !leg.Forward.FirstAck.Seen)
            {
                leg.Forward.FirstAck = Mark(in packet, ns, frameNumber);
            }
        }

        Count(connection, leg, reverse, in packet, ns, frameNumber);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Count(TrackedConnection connection, ConnectionLeg? leg, bool reverse, in DecodedPacket packet, long ns, long frameNumber)
    {
        connection.PacketCount++;
        if (ns > connection.LastSeenNs)
        {
            connection.LastSeenNs = ns;
        }
        else if (ns < connection.FirstSeenNs)
        {
            connection.FirstSeenNs = ns;
        }

        if (leg is not null)
        {
            ref var direction = ref reverse ? ref leg.Reverse : ref leg.Forward;
            if (direction.Packets++ == 0)
            {
                direction.First = Mark(in packet, ns, frameNumber);
                if (packet.Encapsulated)
                {
                    direction.OuterSource = packet.OuterSource;
                    direction.OuterDestination = packet.OuterDestination;
                    direction.Vni = packet.Vni;
                }
            }

            if (_options.MaxPacketsPerConnection > 0)
            {
                var legIndex = (byte)connection.Legs.IndexOf(leg);
                connection.Keep(
                    new PacketRecord(ns, frameNumber, packet.Sequence, packet.Acknowledgement, packet.PayloadLength, legIndex, reverse, packet.Flags),
                    _options.MaxPacketsPerConnection);
            }
        }

        if ((packet.Flags & (TcpFlags.Fin | TcpFlags.Rst)) != 0)
        {
            connection.Closed |= (packet.Flags & TcpFlags.Rst) != 0 ? CloseSeen.Reset : reverse ? CloseSeen.ResponderFin : CloseSeen.InitiatorFin;
        }

        MarkDirty(connection);
    }

    private static PacketMark Mark(in DecodedPacket packet, long ns, long frameNumber) =>
        new(ns, frameNumber, packet.Sequence, packet.Acknowledgement, packet.Flags);

    private void MarkDirty(TrackedConnection connection)
    {
        if (connection.Confirmed && !connection.Dirty)
        {
            connection.Dirty = true;
            _dirty.Add(connection);
        }
    }

    private TrackedConnection? FindByIsn(uint isn, long ns) =>
        _byIsn.TryGetValue(isn, out var connection)
        && ns <= connection.LastSeenNs + _windowNs && ns >= connection.FirstSeenNs - _windowNs
            ? connection
            : null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private TrackedConnection Create(uint isn, long ns)
    {
        SweepPending(ns);
        var connection = new TrackedConnection(isn, ns);
        _byIsn[isn] = connection;
        _pending.Enqueue(connection);
        return connection;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ConnectionLeg? LegOf(TrackedConnection connection, int point, in DecodedPacket packet, bool sourceIsInitiator)
    {
        var key = FlowKey.Create(point, in packet);
        if (_flows.TryGetValue(key, out var owner, out var legIndex) && ReferenceEquals(owner, connection))
        {
            return connection.Legs[legIndex];
        }

        if (connection.Legs.Count >= TrackedConnection.MaxLegs)
        {
            return null;
        }

        var leg = new ConnectionLeg(point, packet.Encapsulated)
        {
            InitiatorIp = sourceIsInitiator ? packet.Source : packet.Destination,
            InitiatorPort = sourceIsInitiator ? packet.SourcePort : packet.DestinationPort,
            ResponderIp = sourceIsInitiator ? packet.Destination : packet.Source,
            ResponderPort = sourceIsInitiator ? packet.DestinationPort : packet.SourcePort,
        };
        connection.Legs.Add(leg);
        _flows.Set(key, connection, connection.Legs.Count - 1);
        return leg;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Confirm(TrackedConnection connection, IpKey clientIp, ushort clientPort, IpKey serviceIp, ushort servicePort)
    {
        connection.Id = ++_nextId;
        connection.ClientIp = clientIp;
        connection.ClientPort = clientPort;
        connection.ServiceIp = serviceIp;
        connection.ServicePort = servicePort;
        _confirmed.Add(connection);
        _active.Add(connection);
        if (_options.NodePort is null && _autoPorts.Count < 16)
        {
            _autoPorts.Add(servicePort);
        }

        if (_confirmed.Count - _confirmedHead > Math.Max(1, _options.MaxConnections))
        {
            Forget(_confirmed[_confirmedHead++]);
            _forgotten++;
            if (_confirmedHead > 1024 && _confirmedHead > _confirmed.Count / 2)
            {
                _confirmed.RemoveRange(0, _confirmedHead);
                _confirmedHead = 0;
            }
        }
    }
}
