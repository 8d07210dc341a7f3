using System.Runtime.CompilerServices;

namespace EbpfConsole.Core.Capture.Analysis;

/// <summary>The snapshot side of the analyzer: views of changed connections, counters, classification.</summary>
public sealed partial class CaptureAnalyzer
{
    private const int MaxNotices = 20;
    private readonly CaptureText _text = new();
    private readonly ConnectionEvaluator _evaluator;
    private readonly int[] _verdictCounts = new int[5];
    /// <summary>The lowest connection id per verdict (the one a classification cites); 0 when it must be looked up again.</summary>
    private readonly int[] _minIdByVerdict = new int[5];
    private readonly List<string> _notices = [];
    private readonly HashSet<(int Point, IpKey Source, IpKey Destination, int Mtu)> _mtuSeen = [];
    private long _mtuNotices;
    private int _podSawAssumed;
    private int _replyAssumed;
    private CaptureSnapshot? _snapshot;
    private long _snapshotVersion = -1;

    /// <summary>
    /// An immutable picture of the analysis so far. Only connections that changed since the last call
    /// are evaluated again; with nothing new, the previous snapshot is returned.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public CaptureSnapshot Snapshot(string? name = null)
    {
        if (_snapshot is not null && _snapshotVersion == _version)
        {
            return _snapshot.Name == name ? _snapshot : _snapshot with { Name = name };
        }

        foreach (var connection in _dirty)
        {
            if (!connection.Dirty || connection.Removed || connection.Retired)
            {
                continue;
            }

            connection.Dirty = false;
            Evaluate(connection);
        }

        _dirty.Clear();
        var views = new ConnectionView[_confirmed.Count - _confirmedHead];
        for (var i = 0; i < views.Length; i++)
        {
            views[i] = _confirmed[_confirmedHead + i].View!;
        }

        _snapshot = new CaptureSnapshot(
            name,
            _firstNs == long.MaxValue ? null : _firstNs,
            _lastNs == long.MinValue ? null : _lastNs,
            _points.Select(p => p.ToStats()).ToArray(),
            views,
            Classify(),
            Assumptions())
        {
            Notices = Notices(),
            Traffic = new TrafficCounters(_notIp, _otherTcp, _udp, _icmp, _otherIp, _tunnelled, _forgotten),
        };
        _snapshotVersion = _version;
        return _snapshot;
    }

    /// <summary>One line about a connection, for pcapng comments and the CLI's text output.</summary>
    public static string Describe(ConnectionView connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var podSaw = connection.PodSaw switch
        {
            { Kind: PodSawKind.ClientIp } => $"pod saw the client {connection.PodSaw.Source}",
            { Kind: PodSawKind.Snat, Node: { } node } => $"pod saw SNAT {connection.PodSaw.Source} ({node})",
            { Kind: PodSawKind.Snat } => $"pod saw SNAT {connection.PodSaw.Source}",
            _ => "pod saw: unknown",
        };
        var reply = connection.ReplyPath switch
        {
            { Kind: ReplyPathKind.ViaIngress } => $"reply via ingress {connection.ReplyPath.Node}",
            { Kind: ReplyPathKind.DirectFromBackend } => $"reply direct from {connection.ReplyPath.Node ?? "the backend"} (DSR)",
            _ => "reply: not seen",
        };
        var retransmits = connection.SynRetransmits > 0 ? $"; {connection.SynRetransmits} SYN retransmit(s)" : "";
        return $"#{connection.Id} {connection.Client} -> {connection.Service} isn {connection.ClientIsn}: {podSaw}; {reply}; "
            + $"{(connection.TunnelSeen ? "VXLAN seen" : "no VXLAN")}{retransmits}; {connection.Verdict.ToName()}";
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Evaluate(TrackedConnection connection)
    {
        if (connection.View is not null)
        {
            Uncount(connection);
        }

        var (view, assumptions) = _evaluator.Evaluate(connection, _options.MaxPacketsPerConnection);
        connection.View = view;
        connection.ViewAssumptions = assumptions;
        CountView(connection);
    }

    private void CountView(TrackedConnection connection)
    {
        var verdict = (int)connection.View!.Verdict;
        if (_verdictCounts[verdict]++ == 0)
        {
            _minIdByVerdict[verdict] = connection.Id;
        }
        else if (_minIdByVerdict[verdict] != 0 && connection.Id < _minIdByVerdict[verdict])
        {
            _minIdByVerdict[verdict] = connection.Id;
        }

        _podSawAssumed += (connection.ViewAssumptions & AssumptionKinds.PodSawFromTunnel) != 0 ? 1 : 0;
        _replyAssumed += (connection.ViewAssumptions & AssumptionKinds.ReplyInferredFromAck) != 0 ? 1 : 0;
    }

    private void Uncount(TrackedConnection connection)
    {
        var verdict = (int)connection.View!.Verdict;
        _verdictCounts[verdict]--;
        if (_minIdByVerdict[verdict] == connection.Id)
        {
            _minIdByVerdict[verdict] = 0;
        }

        _podSawAssumed -= (connection.ViewAssumptions & AssumptionKinds.PodSawFromTunnel) != 0 ? 1 : 0;
        _replyAssumed -= (connection.ViewAssumptions & AssumptionKinds.ReplyInferredFromAck) != 0 ? 1 : 0;
    }

    private ConnectionView ViewOf(int id) => _confirmed[_confirmedHead + (id - _confirmed[_confirmedHead].Id)].View!;

    /// <summary>The first connection (lowest id) with <paramref name="verdict"/>; there is one when its count is not zero.</summary>
    private ConnectionView FirstWith(DatapathVerdict verdict)
    {
        var index = (int)verdict;
        if (_minIdByVerdict[index] == 0)
        {
            for (var i = _confirmedHead; i < _confirmed.Count; i++)
            {
                var connection = _confirmed[i];
                if (connection.View?.Verdict == verdict && !connection.Removed)
                {
                    _minIdByVerdict[index] = connection.Id;
                    break;
                }
            }
        }

        return ViewOf(_minIdByVerdict[index]);
    }

    private SessionClassification Classify()
    {
        var counts = new Dictionary<DatapathVerdict, int>();
        for (var i = 0; i < _verdictCounts.Length; i++)
        {
            if (_verdictCounts[i] > 0)
            {
                counts[(DatapathVerdict)i] = _verdictCounts[i];
            }
        }

        if (counts.Count == 0)
        {
            var ports = _options.NodePort is { } port ? $"port {port}" : "a port in 30000-32767";
            return new SessionClassification(DatapathVerdict.Unknown, $"no NodePort connection was captured (no SYN to {ports})", counts);
        }

        var decided = new[] { DatapathVerdict.IptablesSnat, DatapathVerdict.EbpfTunnel, DatapathVerdict.EbpfDsr }
            .Where(counts.ContainsKey)
            .OrderByDescending(v => counts[v])
            .ToArray();
        if (decided.Length == 0)
        {
            var first = FirstWith(DatapathVerdict.Unknown);
            return new SessionClassification(DatapathVerdict.Unknown,
                $"none of the {counts[DatapathVerdict.Unknown]} NodePort connection(s) could be decided: #{first.Id} {first.Reason}", counts);
        }

        if (decided.Length == 1)
        {
            var proof = FirstWith(decided[0]);
            return new SessionClassification(decided[0], $"connection #{proof.Id} ({proof.Client} -> {proof.Service}): {proof.Reason}", counts);
        }

        var summary = string.Join(", ", decided.Select(v => $"{counts[v]} {v.ToName()}"));
        var examples = string.Join("; while ", decided.Select(v => FirstWith(v))
            .Select(view => $"#{view.Id} is {view.Verdict.ToName()} because {view.Reason}"));
        return new SessionClassification(DatapathVerdict.Mixed, $"connections disagree ({summary}): {examples}", counts);
    }

    private string[] Assumptions()
    {
        var list = new List<string>();
        if (_options.NodePort is null)
        {
            var seen = _autoPorts.Count == 0 ? "none seen" : "seen: " + string.Join(", ", _autoPorts);
            list.Add($"no NodePort given: SYNs to ports {AnalysisOptions.NodePortRangeStart}-{AnalysisOptions.NodePortRangeEnd} were taken as NodePort connections ({seen})");
        }

        list.AddRange(_evaluator.Inferences);
        if (_podSawAssumed > 0)
        {
            list.Add($"{_podSawAssumed} connection(s): assumed the pod saw the client address because only the tunnelled original SYN reached the backend (no capture point after the DNAT)");
        }

        if (_replyAssumed > 0)
        {
            list.Add($"{_replyAssumed} connection(s): assumed the reply went direct from the backend because the client acknowledged the server at the ingress node while no reply crossed it");
        }

        return [.. list];
    }

    private string[] Notices()
    {
        var list = new List<string>(_notices);
        if (_mtuNotices > _notices.Count)
        {
            list.Add($"{_mtuNotices - _notices.Count} more ICMP MTU message(s) not listed");
        }

        if (_forgotten > 0)
        {
            list.Add($"{_forgotten} older connection(s) were forgotten (more than {_options.MaxConnections} are kept)");
        }

        return [.. list];
    }

    private void NoteMtu(in DecodedPacket packet, int point, long ns)
    {
        if (!_mtuSeen.Add((point, packet.Source, packet.Destination, packet.Mtu)))
        {
            return;
        }

        _mtuNotices++;
        if (_notices.Count < MaxNotices)
        {
            var what = packet.Protocol == IpProtocols.Icmp ? "ICMP fragmentation needed" : "ICMPv6 packet too big";
            _notices.Add($"{_points[point].Point} at {CaptureText.Time(ns)}: {what} from {_text.Address(packet.Source)} to {_text.Address(packet.Destination)}, MTU {packet.Mtu}");
        }
    }
}
