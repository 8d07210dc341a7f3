namespace EbpfConsole.Core.Capture.Analysis;

/// <summary>
/// Decodes frames from any number of capture points and follows each NodePort connection across
/// them by the client's SYN sequence number (NAT rewrites addresses and ports, not sequence numbers;
/// VXLAN carries the original packet). Memory grows with connections, not packets. Single-threaded:
/// the caller serialises calls (a capture session's merge loop, or the CLI reading files).
/// </summary>
public sealed partial class CaptureAnalyzer : IFrameSink
{
    private readonly AnalysisOptions _options;
    private readonly long _windowNs;
    private readonly List<PointState> _points = [];
    private readonly Dictionary<CapturePoint, int> _pointIndex = [];
    private readonly Dictionary<uint, TrackedConnection> _byIsn = [];
    private readonly Dictionary<FlowKey, FlowRef> _flows = [];
    private readonly Queue<TrackedConnection> _pending = new();
    private readonly List<TrackedConnection> _confirmed = [];
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

    public CaptureAnalyzer(AnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _windowNs = (long)options.MatchWindow.TotalMilliseconds * 1_000_000L;
        _evaluator = new ConnectionEvaluator(options.Nodes, _points, _text);
    }

    public long FramesAccepted { get; private set; }

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
            if (!_flows.TryGetValue(FlowKey.Create(point, in packet), out var flow))
            {
                _otherTcp++;
                return;
            }

            connection = flow.Connection;
            leg = connection.Legs[flow.Leg];
            reverse = packet.Source != leg.InitiatorIp || packet.SourcePort != leg.InitiatorPort;
            if (!reverse && (flags & TcpFlags.Ack) != 0 && !leg.Forward.FirstAck.Seen)
            {
                leg.Forward.FirstAck = Mark(in packet, ns, frameNumber);
            }
        }

        Count(connection, leg, reverse, in packet, ns, frameNumber);
    }

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
            var direction = reverse ? leg.Reverse : leg.Forward;
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

        MarkDirty(connection);
    }

    private static PacketMark Mark(in DecodedPacket packet, long ns, long frameNumber) =>
        new(ns, frameNumber, packet.Flags, packet.Sequence, packet.Acknowledgement);

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

    private TrackedConnection Create(uint isn, long ns)
    {
        SweepPending(ns);
        var connection = new TrackedConnection(isn, ns);
        _byIsn[isn] = connection;
        _pending.Enqueue(connection);
        return connection;
    }

    private ConnectionLeg? LegOf(TrackedConnection connection, int point, in DecodedPacket packet, bool sourceIsInitiator)
    {
        var key = FlowKey.Create(point, in packet);
        if (_flows.TryGetValue(key, out var flow) && ReferenceEquals(flow.Connection, connection))
        {
            return connection.Legs[flow.Leg];
        }

        if (connection.Legs.Count >= TrackedConnection.MaxLegs)
        {
            return null;
        }

        var leg = new ConnectionLeg(point, packet.Encapsulated, key)
        {
            InitiatorIp = sourceIsInitiator ? packet.Source : packet.Destination,
            InitiatorPort = sourceIsInitiator ? packet.SourcePort : packet.DestinationPort,
            ResponderIp = sourceIsInitiator ? packet.Destination : packet.Source,
            ResponderPort = sourceIsInitiator ? packet.DestinationPort : packet.SourcePort,
        };
        connection.Legs.Add(leg);
        _flows[key] = new FlowRef(connection, connection.Legs.Count - 1);
        return leg;
    }

    private void Confirm(TrackedConnection connection, IpKey clientIp, ushort clientPort, IpKey serviceIp, ushort servicePort)
    {
        connection.Id = ++_nextId;
        connection.ClientIp = clientIp;
        connection.ClientPort = clientPort;
        connection.ServiceIp = serviceIp;
        connection.ServicePort = servicePort;
        _confirmed.Add(connection);
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

    /// <summary>Drops connections never confirmed within the match window (SYNs of other traffic).</summary>
    private void SweepPending(long ns)
    {
        var cap = Math.Max(1, _options.MaxConnections);
        while (_pending.TryPeek(out var head))
        {
            if (head.Confirmed || head.Removed)
            {
                _pending.Dequeue();
            }
            else if (head.LastSeenNs + _windowNs < Math.Max(ns, _lastNs) || _pending.Count > cap)
            {
                _pending.Dequeue();
                Forget(head);
            }
            else
            {
                break;
            }
        }
    }

    private void Forget(TrackedConnection connection)
    {
        connection.Removed = true;
        foreach (var leg in connection.Legs)
        {
            if (_flows.TryGetValue(leg.Key, out var flow) && ReferenceEquals(flow.Connection, connection))
            {
                _flows.Remove(leg.Key);
            }
        }

        if (_byIsn.TryGetValue(connection.Isn, out var indexed) && ReferenceEquals(indexed, connection))
        {
            _byIsn.Remove(connection.Isn);
        }

        if (connection.View is not null)
        {
            Uncount(connection);
        }
    }

    private readonly record struct FlowRef(TrackedConnection Connection, int Leg);
}
