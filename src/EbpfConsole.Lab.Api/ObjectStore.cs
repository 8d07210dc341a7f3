using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace EbpfConsole.Lab.Api;

/// <summary>
/// CONTRACT STUB (helper A replaces the bodies; signatures are fixed, others code against them).
/// The API server's objects: in memory, persisted to one JSON file after every mutation (atomic
/// rename), one resourceVersion counter for everything. Thread-safe. Every method returns deep
/// copies; callers may mutate what they get. Errors are <see cref="ApiException"/>.
/// </summary>
public sealed class ObjectStore
{
    /// <param name="persistPath">The snapshot file (loaded when it exists; written after each mutation), or null for memory only.</param>
    /// <param name="time">Clock for creationTimestamp / deletionTimestamp.</param>
    public ObjectStore(string? persistPath, TimeProvider? time = null) => throw new NotImplementedException();

    /// <summary>The newest resourceVersion handed out.</summary>
    public long ResourceVersion => throw new NotImplementedException();

    /// <summary>Raised after each committed (not dry-run) mutation, outside the store's lock.</summary>
    #pragma warning disable CS0067 // stub
    public event Action<StoreChange>? Changed;
#pragma warning restore CS0067

    public JsonObject Get(ResourceType resource, string? ns, string name) => throw new NotImplementedException();

    /// <summary>Null instead of 404.</summary>
    public JsonObject? TryGet(ResourceType resource, string? ns, string name) => throw new NotImplementedException();

    /// <summary>A list object (kind XList, metadata.resourceVersion) of the matching items; <paramref name="ns"/> null = all namespaces.</summary>
    public JsonObject List(ResourceType resource, string? ns, ListOptions options) => throw new NotImplementedException();

    public JsonObject Create(ResourceType resource, string? ns, JsonObject obj, bool dryRun = false) => throw new NotImplementedException();

    /// <summary>PUT: a resourceVersion in the body must match the stored one (409 Conflict otherwise).</summary>
    public JsonObject Update(ResourceType resource, string? ns, string name, JsonObject obj, bool dryRun = false) => throw new NotImplementedException();

    /// <summary>PUT of the status subresource: only .status is taken from <paramref name="obj"/>.</summary>
    public JsonObject UpdateStatus(ResourceType resource, string? ns, string name, JsonObject obj) => throw new NotImplementedException();

    public JsonObject Patch(ResourceType resource, string? ns, string name, PatchType type, string body, bool dryRun = false) => throw new NotImplementedException();

    /// <summary>Deletes and returns the object as it was (namespaces: everything in them goes too).</summary>
    public JsonObject Delete(ResourceType resource, string? ns, string name, bool dryRun = false, string? preconditionResourceVersion = null) => throw new NotImplementedException();

    /// <summary>Deletes every match; returns the list object of what was deleted.</summary>
    public JsonObject DeleteCollection(ResourceType resource, string? ns, ListOptions options, bool dryRun = false) => throw new NotImplementedException();

    /// <summary>
    /// Events after <see cref="ListOptions.ResourceVersion"/> (replayed from a bounded history; older than
    /// the history → 410 Expired), or, without one, ADDED for every current match first. Completes when
    /// <paramref name="ct"/> is cancelled.
    /// </summary>
    public ChannelReader<WatchEvent> Watch(ResourceType resource, string? ns, ListOptions options, CancellationToken ct) => throw new NotImplementedException();
}
