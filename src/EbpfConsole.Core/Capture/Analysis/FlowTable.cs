using System.Runtime.CompilerServices;

namespace EbpfConsole.Core.Capture.Analysis;

/// <summary>
/// The analyzer's flow lookup (<see cref="FlowKey"/> to connection and leg): open addressing with linear
/// probing over one array of structs, so a lookup is one hash and a few compares, with no per-entry
/// object. Compiled optimised at once, unlike a generic dictionary over a struct key, whose methods
/// would run unoptimised until tiered compilation promotes them. Single-threaded.
/// </summary>
internal sealed class FlowTable
{
    private const int MinCapacity = 1024;
    private const byte Empty = 0;
    private const byte Full = 1;
    private const byte Deleted = 2;
    private Entry[] _entries = new Entry[MinCapacity];
    private int _used;
    private int _deleted;

    public int Count => _used;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetValue(in FlowKey key, out TrackedConnection? connection, out int leg)
    {
        var entries = _entries;
        var mask = entries.Length - 1;
        for (var i = key.GetHashCode() & mask; ; i = (i + 1) & mask)
        {
            ref var entry = ref entries[i];
            if (entry.State == Empty)
            {
                connection = null;
                leg = 0;
                return false;
            }

            if (entry.State == Full && entry.Key.Equals(key))
            {
                connection = entry.Connection;
                leg = entry.Leg;
                return true;
            }
        }
    }

    /// <summary>Adds or replaces the entry of <paramref name="key"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Set(in FlowKey key, TrackedConnection connection, int leg)
    {
        if ((_used + _deleted + 1) * 2 > _entries.Length)
        {
            Resize(_used * 4 > _entries.Length ? _entries.Length * 2 : _entries.Length);
        }

        var mask = _entries.Length - 1;
        var free = -1;
        for (var i = key.GetHashCode() & mask; ; i = (i + 1) & mask)
        {
            ref var entry = ref _entries[i];
            if (entry.State == Full && entry.Key.Equals(key))
            {
                entry.Connection = connection;
                entry.Leg = leg;
                return;
            }

            if (entry.State == Deleted && free < 0)
            {
                free = i;
            }

            if (entry.State == Empty)
            {
                if (free >= 0)
                {
                    _deleted--;
                }
                else
                {
                    free = i;
                }

                _entries[free] = new Entry { Key = key, Connection = connection, Leg = leg, State = Full };
                _used++;
                return;
            }
        }
    }

    /// <summary>Removes the entry of <paramref name="key"/> when it points at <paramref name="connection"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Remove(in FlowKey key, TrackedConnection connection)
    {
        var mask = _entries.Length - 1;
        for (var i = key.GetHashCode() & mask; ; i = (i + 1) & mask)
        {
            ref var entry = ref _entries[i];
            if (entry.State == Empty)
            {
                return;
            }

            if (entry.State == Full && entry.Key.Equals(key))
            {
                if (ReferenceEquals(entry.Connection, connection))
                {
                    entry = new Entry { State = Deleted };
                    _used--;
                    _deleted++;
                }

                return;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Resize(int capacity)
    {
        var old = _entries;
        _entries = new Entry[Math.Max(MinCapacity, capacity)];
        _used = 0;
        _deleted = 0;
        var mask = _entries.Length - 1;
        foreach (ref readonly var entry in old.AsSpan())
        {
            if (entry.State != Full)
            {
                continue;
            }

            var i = entry.Key.GetHashCode() & mask;
            while (_entries[i].State != Empty)
            {
                i = (i + 1) & mask;
            }

            _entries[i] = entry;
            _used++;
        }
    }

    private struct Entry
    {
        public FlowKey Key;
        public TrackedConnection? Connection;
        public int Leg;
        public byte State;
    }
}
