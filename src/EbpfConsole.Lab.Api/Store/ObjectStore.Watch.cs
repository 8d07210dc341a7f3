using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using EbpfConsole.Lab.Api.Selectors;

namespace EbpfConsole.Lab.Api;

/// <summary>Commits, the event history and watchers.</summary>
public sealed partial class ObjectStore
{
    /// <summary>How many events are kept for watches that start from a resourceVersion.</summary>
    public const int HistoryLimit = 2000;

    /// <summary>How many undelivered events a watcher may have before it is closed (the client re-lists).</summary>
    public const int WatcherBuffer = 1000;

    private readonly Queue<HistoryEntry> _history = new();
    private readonly List<Watcher> _watchers = [];
    private long _historyStart;

    /// <summary>
    /// Events after <see cref="ListOptions.ResourceVersion"/> (replayed from a bounded history; older than
    /// the history → 410 Expired), or, without one ("0" too), ADDED for every current match first. Selectors
    /// apply: an object that starts matching arrives as ADDED, one that stops matching as DELETED.
    /// Completes when <paramref name="ct"/> is cancelled, or when the watcher falls behind.
    /// </summary>
    public ChannelReader<WatchEvent> Watch(ResourceType resource, string? ns, ListOptions options, CancellationToken ct)
    {
        var labels = LabelSelector.Parse(options.LabelSelector);
        var fields = FieldSelector.Parse(options.FieldSelector);
        long? from = null;
        if (!string.IsNullOrEmpty(options.ResourceVersion) && options.ResourceVersion != "0")
        {
            from = long.TryParse(options.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
                ? rv
                : throw ApiException.BadRequest($"resourceVersion: Invalid value: \"{options.ResourceVersion}\": must be a non-negative integer");
        }

        Watcher watcher;
        lock (_lock)
        {
            if (from < _historyStart)
            {
                throw ApiException.Gone($"too old resource version: {from} ({_historyStart + 1})");
            }

            var initial = new List<WatchEvent>();
            watcher = new Watcher(resource, resource.Namespaced ? ns : null, labels, fields);
            if (from is null)
            {
                initial.AddRange(Matching(resource, ns, labels, fields).Select(o => new WatchEvent("ADDED", Copy(o))));
            }
            else
            {
                foreach (var entry in _history.Where(h => h.ResourceVersion > from))
                {
                    if (watcher.Translate(entry.Resource, entry.Type, entry.Old, entry.Item) is { } e)
                    {
                        initial.Add(e);
                    }
                }
            }

            watcher.Channel = Channel.CreateBounded<WatchEvent>(new BoundedChannelOptions(WatcherBuffer + initial.Count) { SingleReader = true, SingleWriter = true });
            foreach (var e in initial)
            {
                watcher.Channel.Writer.TryWrite(e);
            }

            _watchers.Add(watcher);
        }

        ct.Register(() => CloseWatcher(watcher));
        return watcher.Channel.Reader;
    }

    private void CloseWatcher(Watcher watcher)
    {
        lock (_lock)
        {
            _watchers.Remove(watcher);
        }

        watcher.Channel.Writer.TryComplete();
    }

    /// <summary>Runs a mutation under the lock, then persists and raises <see cref="Changed"/> for what it committed (also when it failed half-way).</summary>
    private JsonObject Mutate(Func<List<Pending>, JsonObject> action)
    {
        var changes = new List<Pending>();
        try
        {
            lock (_lock)
            {
                try
                {
                    return action(changes);
                }
                finally
                {
                    if (changes.Count > 0)
                    {
                        Persist();
                    }
                }
            }
        }
        finally
        {
            foreach (var change in changes)
            {
                Changed?.Invoke(new StoreChange(change.Resource, change.Type, Copy(change.Item)));
            }
        }
    }

    /// <summary>Stores (or removes, for DELETED) the object, records the event and hands it to the watchers. Under the lock.</summary>
    private void Commit(ResourceType resource, string type, ObjectKey key, JsonObject? old, JsonObject item, List<Pending> changes)
    {
        item = Copy(item);
        if (type == "DELETED")
        {
            _objects.Remove(key);
        }
        else
        {
            _objects[key] = item;
        }

        var entry = new HistoryEntry(_resourceVersion, resource, type, old, item);
        _history.Enqueue(entry);
        while (_history.Count > HistoryLimit)
        {
            _historyStart = _history.Dequeue().ResourceVersion;
        }

        foreach (var watcher in _watchers.ToList())
        {
            if (watcher.Translate(resource, type, old, item) is { } e && !watcher.Channel.Writer.TryWrite(e))
            {
                _watchers.Remove(watcher);
                watcher.Channel.Writer.TryComplete();
            }
        }

        changes.Add(new Pending(resource, type, item));
    }

    private sealed record HistoryEntry(long ResourceVersion, ResourceType Resource, string Type, JsonObject? Old, JsonObject Item);

    private sealed record Pending(ResourceType Resource, string Type, JsonObject Item);

    private sealed class Watcher(ResourceType resource, string? ns, LabelSelector labels, FieldSelector fields)
    {
        /// <summary>Set once, before the watcher is registered.</summary>
        public Channel<WatchEvent> Channel { get; set; } = null!;

        /// <summary>The event this watcher sees for a change, or null (other resource/namespace, or no match before and after).</summary>
        public WatchEvent? Translate(ResourceType changed, string type, JsonObject? old, JsonObject item)
        {
            if (changed != resource || (ns is not null && JsonTree.Str(item, "metadata.namespace") != ns))
            {
                return null;
            }

            var nowMatches = type != "DELETED" && Matches(item);
            var matchedBefore = type == "DELETED" ? Matches(item) : old is not null && Matches(old);
            var seen = (matchedBefore, nowMatches) switch
            {
                (true, true) => "MODIFIED",
                (false, true) => "ADDED",
                (true, false) => "DELETED",
                _ => null,
            };
            return seen is null ? null : new WatchEvent(seen, Copy(item));
        }

        private bool Matches(JsonObject obj) => labels.Matches(obj) && fields.Matches(obj);
    }
}
