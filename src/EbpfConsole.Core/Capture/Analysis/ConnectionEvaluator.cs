using System.Runtime.CompilerServices;

namespace EbpfConsole.Core.Capture.Analysis;

/// <summary>
/// Turns what was tracked about one connection into its verdict: the source the pod saw, the way the
/// reply travelled, whether a tunnel was seen, and one sentence citing the packet that proves it.
/// Keeps the node addresses it had to infer (the ingress node of a service address) for the session's
/// assumptions.
/// </summary>
internal sealed class ConnectionEvaluator(NodeDirectory nodes, IReadOnlyList<PointState> points, CaptureText text)
{
    private readonly Dictionary<IpKey, string> _inferredNodes = [];
    private readonly List<string> _inferences = [];
    private readonly Dictionary<ulong, CapturePoint[]> _pointSets = [];
    private readonly Dictionary<(ReplyPathKind, string?), ReplyPath> _replyPaths = [];

    /// <summary>"assumed node-1 is 10.99.0.11: …", one per inferred address.</summary>
    public IReadOnlyList<string> Inferences => _inferences;

    public string? NodeOf(IpKey address) => nodes.NodeOf(address) ?? _inferredNodes.GetValueOrDefault(address);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (ConnectionView View, AssumptionKinds Assumptions) Evaluate(TrackedConnection c, int maxPackets)
    {
        var client = text.Endpoint(c.ClientIp, c.ClientPort);
        var service = text.Endpoint(c.ServiceIp, c.ServicePort);
        var ingress = IngressOf(c);
        var assumptions = AssumptionKinds.None;
        var tunnelSeen = false;
        var tunnelledOriginal = false;
        foreach (var leg in c.Legs)
        {
            tunnelSeen |= leg.Encapsulated;
            tunnelledOriginal |= leg.Encapsulated && IsClientFacing(c, leg) && leg.SynCount > 0;
        }

        var (podSaw, podText) = PodSawOf(c, ingress, ref assumptions);
        var (reply, replyText) = ReplyOf(c, ingress, client, service, ref assumptions);
        var (verdict, reason) = Decide(c, podSaw, podText, reply, replyText, ingress, tunnelledOriginal);
        var retransmits = 0;
        foreach (var leg in c.Legs)
        {
            retransmits = Math.Max(retransmits, leg.SynCount - 1);
        }

        var view = new ConnectionView(
            c.Id, c.FirstSeenNs, client, service, c.Isn, podSaw, Shared(reply), tunnelSeen, verdict, reason,
            PointsOf(c), c.PacketCount, retransmits, Packets(c, maxPackets))
        {
            IngressNode = ingress,
            Assumptions = Describe(assumptions),
        };
        return (view, assumptions);
    }

    /// <summary>The points of a connection's legs in point order; the arrays are shared (most connections cross the same points).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private CapturePoint[] PointsOf(TrackedConnection c)
    {
        var mask = 0UL;
        foreach (var leg in c.Legs)
        {
            if (leg.Point >= 64)
            {
                return c.Legs.Select(l => l.Point).Distinct().Order().Select(i => points[i].Point).ToArray();
            }

            mask |= 1UL << leg.Point;
        }

        if (!_pointSets.TryGetValue(mask, out var set))
        {
            var list = new List<CapturePoint>();
            for (var i = 0; i < 64; i++)
            {
                if ((mask & (1UL << i)) != 0)
                {
                    list.Add(points[i].Point);
                }
            }

            set = [.. list];
            _pointSets[mask] = set;
        }

        return set;
    }

    private ReplyPath Shared(ReplyPath reply)
    {
        if (!_replyPaths.TryGetValue((reply.Kind, reply.Node), out var shared))
        {
            shared = reply;
            _replyPaths[(reply.Kind, reply.Node)] = reply;
        }

        return shared;
    }

    private static bool IsClientFacing(TrackedConnection c, ConnectionLeg leg) =>
        leg.InitiatorIp == c.ClientIp && leg.InitiatorPort == c.ClientPort
        && leg.ResponderIp == c.ServiceIp && leg.ResponderPort == c.ServicePort;

    private string NodeOfPoint(ConnectionLeg leg) => points[leg.Point].Point.Node;

    private string PointName(ConnectionLeg leg) => points[leg.Point].Point.Name;

    private bool IsClusterNode(string node) =>
        nodes.IsEmpty || nodes.Nodes.Contains(node) || _inferredNodes.ContainsValue(node);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string? IngressOf(TrackedConnection c)
    {
        var known = NodeOf(c.ServiceIp);
        if (known is not null)
        {
            return known;
        }

        var clientNode = nodes.NodeOf(c.ClientIp);
        ConnectionLeg? first = null;
        foreach (var leg in c.Legs)
        {
            if (!leg.Encapsulated && leg.SynCount > 0 && IsClientFacing(c, leg) && NodeOfPoint(leg) != clientNode
                && (first is null || leg.Forward.Handshake.TimestampNs < first.Forward.Handshake.TimestampNs))
            {
                first = leg;
            }
        }

        if (first is null)
        {
            return null;
        }

        var node = NodeOfPoint(first);
        _inferredNodes[c.ServiceIp] = node;
        _inferences.Add($"assumed {node} is {text.Address(c.ServiceIp)}: the client's SYN to {text.Endpoint(c.ServiceIp, c.ServicePort)} "
            + $"was seen at {PointName(first)} before any tunnel, and no node was given that address");
        return node;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (PodSaw PodSaw, string Text) PodSawOf(TrackedConnection c, string? ingress, ref AssumptionKinds assumptions)
    {
        ConnectionLeg? best = null;
        var bestRank = 0L;
        foreach (var leg in c.Legs)
        {
            if (IsServiceSide(c, leg) || (leg.SynCount == 0 && !leg.SynAckSeen))
            {
                continue;
            }

            // A SYN beats a SYN-ACK, a cali* point beats the others, a later packet beats an earlier one.
            var mark = leg.SynCount > 0 ? leg.Forward.Handshake : leg.Reverse.Handshake;
            var rank = (leg.SynCount > 0 ? 2L << 60 : 0) + (points[leg.Point].IsCali ? 1L << 60 : 0) + (mark.TimestampNs >> 4);
            if (best is null || rank > bestRank)
            {
                best = leg;
                bestRank = rank;
            }
        }

        if (best is not null)
        {
            var source = text.Endpoint(best.InitiatorIp, best.InitiatorPort);
            var mark = best.SynCount > 0 ? best.Forward.Handshake : best.Reverse.Handshake;
            var what = best.SynCount > 0
                ? $"the SYN (seq {c.Isn}) from {source} to {text.Endpoint(best.ResponderIp, best.ResponderPort)}"
                : $"the SYN-ACK from {text.Endpoint(best.ResponderIp, best.ResponderPort)} to {source}";
            var seen = $"{PointName(best)} saw {what}{(best.Encapsulated ? " inside VXLAN" : "")} at {CaptureText.Time(mark.TimestampNs)}";
            return best.InitiatorIp == c.ClientIp
                ? (new PodSaw(PodSawKind.ClientIp, source, null), seen)
                : (new PodSaw(PodSawKind.Snat, source, NodeOf(best.InitiatorIp)), seen);
        }

        foreach (var leg in c.Legs)
        {
            if (leg.Encapsulated && leg.SynCount > 0 && IsClientFacing(c, leg) && NodeOfPoint(leg) != ingress)
            {
                best = leg;
            }
        }

        best ??= c.Legs.LastOrDefault(leg => leg.Encapsulated && leg.SynCount > 0 && IsClientFacing(c, leg));
        if (best is null)
        {
            return (PodSaw.NotSeen, "");
        }

        assumptions |= AssumptionKinds.PodSawFromTunnel;
        return (new PodSaw(PodSawKind.ClientIp, text.Endpoint(c.ClientIp, c.ClientPort), null),
            $"{PointName(best)} saw the original SYN (seq {c.Isn}) from the client travel inside VXLAN "
            + $"({text.Address(best.Forward.OuterSource)} > {text.Address(best.Forward.OuterDestination)}) at {CaptureText.Time(best.Forward.Handshake.TimestampNs)}");
    }

    /// <summary>The client's own flow to the NodePort (before DNAT), in either direction.</summary>
    private static bool IsServiceSide(TrackedConnection c, ConnectionLeg leg) =>
        leg.ResponderIp == c.ServiceIp && leg.ResponderPort == c.ServicePort;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (ReplyPath Reply, string Text) ReplyOf(TrackedConnection c, string? ingress, Endpoint client, Endpoint service, ref AssumptionKinds assumptions)
    {
        if (ingress is null)
        {
            return (ReplyPath.NotSeen, "");
        }

        var clientNode = nodes.NodeOf(c.ClientIp);
        ConnectionLeg? viaIngress = null;
        ConnectionLeg? viaTunnel = null;
        ConnectionLeg? direct = null;
        ConnectionLeg? acked = null;
        foreach (var leg in c.Legs)
        {
            if (!IsClientFacing(c, leg))
            {
                continue;
            }

            var node = NodeOfPoint(leg);
            var replied = leg.Reverse.Packets > 0;
            if (replied && !leg.Encapsulated && node == ingress)
            {
                viaIngress ??= leg;
            }

            if (replied && leg.Encapsulated && (NodeOf(leg.Reverse.OuterDestination) == ingress || leg.Reverse.OuterDestination == c.ServiceIp)
                && (viaTunnel is null || NodeOfPoint(viaTunnel) == ingress))
            {
                viaTunnel = leg; // the backend's point, where the reply went into VXLAN, is the better proof
            }

            if (replied && !leg.Encapsulated && node != ingress && node != clientNode && IsClusterNode(node))
            {
                direct ??= leg;
            }

            if (!leg.Encapsulated && node == ingress && leg.Forward.FirstAck.Seen)
            {
                acked ??= leg;
            }
        }

        if (viaTunnel is not null)
        {
            var first = viaTunnel.Reverse.First;
            return (new ReplyPath(ReplyPathKind.ViaIngress, ingress),
                $"{PointName(viaTunnel)} saw the reply ({CaptureText.Packet(first.Flags)} seq {first.Sequence}) from {service} to {client} inside VXLAN "
                + $"({text.Address(viaTunnel.Reverse.OuterSource)} > {text.Address(viaTunnel.Reverse.OuterDestination)}) towards the ingress node {ingress} at {CaptureText.Time(first.TimestampNs)}");
        }

        if (viaIngress is not null)
        {
            var first = viaIngress.Reverse.First;
            return (new ReplyPath(ReplyPathKind.ViaIngress, ingress),
                $"{PointName(viaIngress)} saw the reply ({CaptureText.Packet(first.Flags)} seq {first.Sequence}) from {service} to {client} at {CaptureText.Time(first.TimestampNs)}, so it went back through the ingress node {ingress}");
        }

        if (direct is not null)
        {
            var first = direct.Reverse.First;
            var node = NodeOfPoint(direct);
            return (new ReplyPath(ReplyPathKind.DirectFromBackend, node),
                $"{PointName(direct)} saw the reply ({CaptureText.Packet(first.Flags)} seq {first.Sequence}) leave {node} from {service} straight to {client} at {CaptureText.Time(first.TimestampNs)}, bypassing the ingress node {ingress}");
        }

        if (acked is not null && !c.Legs.Any(leg => leg.Reverse.Packets > 0 && NodeOfPoint(leg) == ingress && IsClientFacing(c, leg)))
        {
            assumptions |= AssumptionKinds.ReplyInferredFromAck;
            var ack = acked.Forward.FirstAck;
            return (new ReplyPath(ReplyPathKind.DirectFromBackend, BackendNode(c, ingress)),
                $"{PointName(acked)} saw the client acknowledge the server (ack {ack.Acknowledgement}) at {CaptureText.Time(ack.TimestampNs)} while no reply crossed {ingress}, so the reply went direct from the backend");
        }

        return (ReplyPath.NotSeen, "");
    }

    private string? BackendNode(TrackedConnection c, string ingress) =>
        c.Legs.Where(leg => !IsServiceSide(c, leg) || leg.Encapsulated).Select(NodeOfPoint).FirstOrDefault(node => node != ingress);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (DatapathVerdict Verdict, string Reason) Decide(
        TrackedConnection c, PodSaw podSaw, string podText, ReplyPath reply, string replyText, string? ingress, bool tunnelledOriginal)
    {
        switch (podSaw.Kind)
        {
            case PodSawKind.Unknown:
                return (DatapathVerdict.Unknown,
                    "no packet after the NodePort DNAT was captured, so what the pod saw is unknown (capture on the backend node, for example its cali* interface)");
            case PodSawKind.Snat when podSaw.Node is null:
                return (DatapathVerdict.Unknown,
                    $"{podText}, but {podSaw.Source?.Address} is neither the client nor a known node address (give --node NAME=IP)");
            case PodSawKind.Snat when tunnelledOriginal:
                return (DatapathVerdict.Unknown,
                    $"{podText}, so the pod saw {podSaw.Node}'s address, yet the original SYN also travelled in VXLAN, which is no known datapath");
            case PodSawKind.Snat:
                return (DatapathVerdict.IptablesSnat,
                    $"{podText}: the pod saw {podSaw.Node}'s address instead of the client {text.Address(c.ClientIp)}, and no tunnel carried the original packet");
        }

        return reply.Kind switch
        {
            ReplyPathKind.ViaIngress => (DatapathVerdict.EbpfTunnel, $"{replyText}, and the pod saw the client address ({podText})"),
            ReplyPathKind.DirectFromBackend => (DatapathVerdict.EbpfDsr, $"{replyText}, and the pod saw the client address ({podText})"),
            _ when ingress is null => (DatapathVerdict.Unknown,
                $"the pod saw the client address ({podText}), but the ingress node of {text.Address(c.ServiceIp)} is unknown (give --node NAME=IP or capture on it)"),
            _ => (DatapathVerdict.Unknown,
                $"the pod saw the client address ({podText}), but no reply towards the client was captured at a node's point"),
        };
    }

    private static string[] Describe(AssumptionKinds kinds)
    {
        var list = new List<string>(2);
        if ((kinds & AssumptionKinds.PodSawFromTunnel) != 0)
        {
            list.Add("assumed the pod saw the client address: only the tunnelled original SYN reached the backend (no capture point after the DNAT)");
        }

        if ((kinds & AssumptionKinds.ReplyInferredFromAck) != 0)
        {
            list.Add("assumed the reply went direct from the backend: the client acknowledged the server at the ingress node while no reply crossed it");
        }

        return [.. list];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private PacketView[] Packets(TrackedConnection c, int maxPackets)
    {
        if (maxPackets <= 0 || c.Packets is null)
        {
            return [];
        }

        var records = c.Packets.AsSpan(0, c.PacketsKept).ToArray();
        Array.Sort(records, static (a, b) => a.TimestampNs != b.TimestampNs ? a.TimestampNs.CompareTo(b.TimestampNs) : a.Frame.CompareTo(b.Frame));
        var views = new PacketView[records.Length];
        for (var i = 0; i < records.Length; i++)
        {
            var r = records[i];
            var leg = c.Legs[r.Leg];
            var initiator = text.Endpoint(leg.InitiatorIp, leg.InitiatorPort);
            var responder = text.Endpoint(leg.ResponderIp, leg.ResponderPort);
            var direction = r.Reverse ? leg.Reverse : leg.Forward;
            var outer = leg.Encapsulated
                ? $"{text.Address(direction.OuterSource)} > {text.Address(direction.OuterDestination)} vxlan vni {direction.Vni}"
                : null;
            views[i] = new PacketView(r.TimestampNs, points[leg.Point].Point, r.Reverse ? responder : initiator, r.Reverse ? initiator : responder,
                CaptureText.Flags(r.Flags), r.Sequence, r.Acknowledgement, r.PayloadLength, outer, r.Frame);
        }

        return views;
    }
}
