using System.Globalization;
using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Lab.Cluster;

/// <summary>
/// v1 Events the lab's components report (Scheduled, Pulled, Created, Started, Killing, SuccessfulCreate,
/// SuccessfulDelete, Warning events for the conflicts). A repeat of the same event on the same object bumps its
/// count, as kubelet's event correlator does; the total is bounded, the oldest go first.
/// </summary>
internal sealed class LabEvents(ObjectStore store, TimeProvider time)
{
    public const int DefaultLimit = 300;

    private readonly Dictionary<(string Uid, string Reason, string Message), (string Ns, string Name)> _seen = [];

    public int Limit { get; init; } = DefaultLimit;

    public void Normal(JsonObject involved, string reason, string message, string component, string? host = null) =>
        Record(involved, "Normal", reason, message, component, host);

    public void Warning(JsonObject involved, string reason, string message, string component, string? host = null) =>
        Record(involved, "Warning", reason, message, component, host);

    public void Record(JsonObject involved, string type, string reason, string message, string component, string? host)
    {
        ArgumentNullException.ThrowIfNull(involved);
        var ns = ClusterJson.Namespace(involved) ?? "default";
        var now = time.GetUtcNow();
        var key = (ClusterJson.Uid(involved), reason, message);
        if (_seen.TryGetValue(key, out var existing) && store.TryGet(ResourceCatalog.Events, existing.Ns, existing.Name) is { } previous)
        {
            var count = (ClusterJson.Int(previous, "count") ?? 1) + 1;
            var patch = new JsonObject { ["count"] = count, ["lastTimestamp"] = PodBuilder.Stamp(now) };
            store.Patch(ResourceCatalog.Events, existing.Ns, existing.Name, PatchType.Merge, patch.ToJsonString());
            return;
        }

        var name = $"{ClusterJson.Name(involved)}.{now.UtcTicks.ToString("x", CultureInfo.InvariantCulture)}{Random.Shared.Next(0x1000):x3}";
        var source = new JsonObject { ["component"] = component };
        if (host is not null)
        {
            source["host"] = host;
        }

        var ev = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = ClusterJson.Str(involved, "apiVersion"),
                ["kind"] = ClusterJson.Kind(involved),
                ["name"] = ClusterJson.Name(involved),
                ["namespace"] = ClusterJson.Namespace(involved),
                ["uid"] = ClusterJson.Uid(involved),
                ["resourceVersion"] = ClusterJson.Str(involved, "metadata", "resourceVersion"),
            },
            ["type"] = type,
            ["reason"] = reason,
            ["message"] = message,
            ["source"] = source,
            ["reportingComponent"] = component,
            ["reportingInstance"] = host ?? string.Empty,
            ["firstTimestamp"] = PodBuilder.Stamp(now),
            ["lastTimestamp"] = PodBuilder.Stamp(now),
            ["count"] = 1,
        };
        try
        {
            store.Create(ResourceCatalog.Events, ns, ev);
            _seen[key] = (ns, name);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            // The namespace went away meanwhile: nothing to report into.
        }
    }

    /// <summary>Deletes the oldest events beyond <see cref="Limit"/>.</summary>
    public void Trim()
    {
        var events = ClusterJson.Objects(ClusterJson.Arr(store.List(ResourceCatalog.Events, null, ListOptions.None), "items")).ToList();
        if (events.Count <= Limit)
        {
            return;
        }

        foreach (var old in events.OrderBy(e => ClusterJson.Str(e, "lastTimestamp"), StringComparer.Ordinal)
                     .ThenBy(e => long.Parse(ClusterJson.Str(e, "metadata", "resourceVersion") ?? "0", CultureInfo.InvariantCulture))
                     .Take(events.Count - Limit))
        {
            try
            {
                store.Delete(ResourceCatalog.Events, ClusterJson.Namespace(old), ClusterJson.Name(old));
            }
            catch (ApiException ex) when (ex.Code == 404)
            {
                // Deleted by someone else meanwhile.
            }
        }

        var live = store.List(ResourceCatalog.Events, null, ListOptions.None);
        var names = ClusterJson.Objects(ClusterJson.Arr(live, "items")).Select(e => (ClusterJson.Namespace(e) ?? string.Empty, ClusterJson.Name(e))).ToHashSet();
        foreach (var stale in _seen.Where(p => !names.Contains(p.Value)).Select(p => p.Key).ToList())
        {
            _seen.Remove(stale);
        }
    }
}
