using System.Runtime.CompilerServices;

namespace EbpfConsole.Core.Capture.Analysis;

/// <summary>The end of a connection's tracking: pending SYNs swept, idle or closed connections retired, the oldest forgotten.</summary>
public sealed partial class CaptureAnalyzer
{
    /// <summary>Drops connections never confirmed within the match window (SYNs of other traffic).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>
    /// Every second of capture time: connections idle for twice the match window, or closed (FIN both
    /// ways, or RST) and idle for the linger time, get their final view and drop legs, packet records
    /// and lookups. Later packets of such a connection count as other TCP; a SYN with its ISN starts a new one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RetireIdle(long now)
    {
        _nextRetireNs = now + 1_000_000_000L;
        var kept = 0;
        for (var i = 0; i < _active.Count; i++)
        {
            var connection = _active[i];
            if (connection.Removed)
            {
                continue;
            }

            var idle = now - connection.LastSeenNs;
            if (idle >= _idleNs || (connection.IsClosed && idle >= _closedLingerNs))
            {
                Retire(connection);
                continue;
            }

            _active[kept++] = connection;
        }

        _active.RemoveRange(kept, _active.Count - kept);
    }

    private void Retire(TrackedConnection connection)
    {
        if (connection.Dirty || connection.View is null)
        {
            connection.Dirty = false;
            Evaluate(connection);
        }

        Unlink(connection);
        connection.Retire();
        ConnectionsRetired++;
    }

    private void Forget(TrackedConnection connection)
    {
        connection.Removed = true;
        Unlink(connection);
        if (connection.View is not null)
        {
            Uncount(connection);
        }
    }

    private void Unlink(TrackedConnection connection)
    {
        foreach (var leg in connection.Legs)
        {
            _flows.Remove(leg.Key, connection);
        }

        if (_byIsn.TryGetValue(connection.Isn, out var indexed) && ReferenceEquals(indexed, connection))
        {
            _byIsn.Remove(connection.Isn);
        }
    }
}
