using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api.Patching;
using EbpfConsole.Lab.Api.Selectors;

namespace EbpfConsole.Lab.Api;

/// <summary>
/// The API server's objects: in memory, persisted to one JSON file after every mutation (atomic
/// rename), one resourceVersion counter for everything. Thread-safe (one lock). Every method returns deep
/// copies; callers may mutate what they get. Errors are <see cref="ApiException"/>. Dry runs validate and
/// answer fully but store nothing, emit nothing and hand out no resourceVersion.
/// </summary>
public sealed partial class ObjectStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ObjectKey, JsonObject> _objects = [];
    private readonly string? _persistPath;
    private readonly TimeProvider _time;
    private readonly Random _random = new();
    private long _resourceVersion;

    /// <param name="persistPath">The snapshot file (loaded when it exists; written after each mutation), or null for memory only.</param>
    /// <param name="time">Clock for creationTimestamp / deletionTimestamp.</param>
    public ObjectStore(string? persistPath, TimeProvider? time = null)
    {
        _persistPath = persistPath;
        _time = time ?? TimeProvider.System;
        if (persistPath is not null && File.Exists(persistPath))
        {
            Load(persistPath);
        }

        _historyStart = _resourceVersion;
    }

    /// <summary>The newest resourceVersion handed out.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>Raised after each committed (not dry-run) mutation, outside the store's lock, with a copy of the object.</summary>
    public event Action<StoreChange>? Changed;

    public JsonObject Get(ResourceType resource, string? ns, string name) =>
        TryGet(resource, ns, name) ?? throw ApiException.NotFound(resource, name);

    /// <summary>Null instead of 404.</summary>
    public JsonObject? TryGet(ResourceType resource, string? ns, string name)
    {
        lock (_lock)
        {
            return _objects.TryGetValue(ObjectKey.Of(resource, ns, name), out var obj) ? Copy(obj) : null;
        }
    }

    /// <summary>A list object (kind XList, metadata.resourceVersion) of the matching items; <paramref name="ns"/> null = all namespaces.</summary>
    public JsonObject List(ResourceType resource, string? ns, ListOptions options)
    {
        var labels = LabelSelector.Parse(options.LabelSelector);
        var fields = FieldSelector.Parse(options.FieldSelector);
        lock (_lock)
        {
            var items = Matching(resource, ns, labels, fields).Select(o => (JsonNode)Copy(o));
            return ListObject(resource, items, _resourceVersion);
        }
    }

    public JsonObject Create(ResourceType resource, string? ns, JsonObject obj, bool dryRun = false) =>
        Mutate(changes => CreateLocked(resource, ns, Copy(obj), dryRun, changes));

    /// <summary>PUT: a resourceVersion in the body must match the stored one (409 Conflict otherwise).</summary>
    public JsonObject Update(ResourceType resource, string? ns, string name, JsonObject obj, bool dryRun = false) =>
        Mutate(changes => UpdateLocked(resource, ns, name, Copy(obj), dryRun, statusOnly: false, changes));

    /// <summary>PUT of the status subresource: only .status is taken from <paramref name="obj"/>.</summary>
    public JsonObject UpdateStatus(ResourceType resource, string? ns, string name, JsonObject obj) =>
        UpdateStatus(resource, ns, name, obj, dryRun: false);

    /// <summary>PUT of the status subresource, optionally as a dry run.</summary>
    public JsonObject UpdateStatus(ResourceType resource, string? ns, string name, JsonObject obj, bool dryRun) =>
        Mutate(changes => UpdateLocked(resource, ns, name, Copy(obj), dryRun, statusOnly: true, changes));

    public JsonObject Patch(ResourceType resource, string? ns, string name, PatchType type, string body, bool dryRun = false) =>
        PatchCore(resource, ns, name, type, body, dryRun, statusOnly: false);

    /// <summary>PATCH of the status subresource: only .status of the patched object is kept.</summary>
    public JsonObject PatchStatus(ResourceType resource, string? ns, string name, PatchType type, string body, bool dryRun = false) =>
        PatchCore(resource, ns, name, type, body, dryRun, statusOnly: true);

    /// <summary>Deletes and returns the object as it was (namespaces: everything in them goes too).</summary>
    public JsonObject Delete(ResourceType resource, string? ns, string name, bool dryRun = false, string? preconditionResourceVersion = null) =>
        Mutate(changes => DeleteLocked(resource, ns, name, dryRun, preconditionResourceVersion, changes));

    /// <summary>Deletes every match; returns the list object of what was deleted.</summary>
    public JsonObject DeleteCollection(ResourceType resource, string? ns, ListOptions options, bool dryRun = false)
    {
        var labels = LabelSelector.Parse(options.LabelSelector);
        var fields = FieldSelector.Parse(options.FieldSelector);
        return Mutate(changes =>
        {
            var deleted = Matching(resource, ns, labels, fields).ToList()
                .Select(o => (JsonNode)DeleteLocked(resource, JsonTree.Str(o, "metadata.namespace"), JsonTree.Str(o, "metadata.name")!, dryRun, null, changes))
                .ToList();
            return ListObject(resource, deleted, _resourceVersion);
        });
    }

    private JsonObject PatchCore(ResourceType resource, string? ns, string name, PatchType type, string body, bool dryRun, bool statusOnly)
    {
        if (type == PatchType.StrategicMerge && !ObjectRules.IsBuiltIn(resource))
        {
            throw new ApiException(415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        }

        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest("error decoding patch: " + FirstLine(e.Message));
        }

        return Mutate(changes =>
        {
            var current = _objects.TryGetValue(ObjectKey.Of(resource, ns, name), out var stored) ? stored : throw ApiException.NotFound(resource, name);
            JsonNode? patched = type switch
            {
                PatchType.Json => JsonPatch.Apply(current, patch as JsonArray ?? throw ApiException.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch")),
                PatchType.Merge => MergePatch.Apply(current, patch as JsonObject ?? throw ApiException.BadRequest("error decoding patch: a merge patch must be a JSON object")),
                _ => StrategicMergePatch.Apply(current, patch as JsonObject ?? throw ApiException.BadRequest("error decoding patch: a strategic merge patch must be a JSON object")),
            };
            if (patched is not JsonObject result)
            {
                throw ApiException.BadRequest("the patched object is not a JSON object");
            }

            return UpdateLocked(resource, ns, name, result, dryRun, statusOnly, changes);
        });
    }

    private JsonObject CreateLocked(ResourceType resource, string? urlNs, JsonObject obj, bool dryRun, List<Pending> changes)
    {
        ObjectRules.CheckTypeMeta(resource, obj);
        var meta = JsonTree.Ensure(obj, "metadata");
        var ns = ObjectRules.ResolveNamespace(resource, urlNs, meta);
        var name = JsonTree.Str(meta, "name");
        if (string.IsNullOrEmpty(name))
        {
            var prefix = JsonTree.Str(meta, "generateName");
            if (string.IsNullOrEmpty(prefix))
            {
                throw ApiException.Invalid(resource, string.Empty, ("metadata.name", "Required value: name or generateName is required"));
            }

            do
            {
                name = ObjectRules.GenerateName(prefix, _random);
            }
            while (_objects.ContainsKey(ObjectKey.Of(resource, ns, name)));
            meta["name"] = name;
        }

        ObjectRules.ValidateName(resource, name);
        if (resource.Namespaced && !_objects.ContainsKey(ObjectKey.Of(ResourceCatalog.Namespaces, null, ns)))
        {
            throw ApiException.NotFound(ResourceCatalog.Namespaces, ns);
        }

        var key = ObjectKey.Of(resource, ns, name);
        if (_objects.ContainsKey(key))
        {
            throw ApiException.AlreadyExists(resource, name);
        }

        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = JsonTree.Timestamp(_time.GetUtcNow());
        meta.Remove("resourceVersion");
        meta.Remove("deletionTimestamp");
        if (ObjectRules.TracksGeneration(resource))
        {
            meta["generation"] = 1;
        }

        ObjectRules.ApplyCreateDefaults(resource, obj);
        if (resource == ResourceCatalog.Services)
        {
            ServiceAddresses.Apply(obj, null, OtherServices(key), _random);
        }

        if (dryRun)
        {
            return obj;
        }

        meta["resourceVersion"] = NextResourceVersion();
        Commit(resource, "ADDED", key, null, obj, changes);
        return Copy(obj);
    }

    private JsonObject UpdateLocked(ResourceType resource, string? urlNs, string name, JsonObject obj, bool dryRun, bool statusOnly, List<Pending> changes)
    {
        var key = ObjectKey.Of(resource, urlNs, name);
        var stored = _objects.TryGetValue(key, out var found) ? found : throw ApiException.NotFound(resource, name);
        ObjectRules.CheckTypeMeta(resource, obj);
        var meta = JsonTree.Ensure(obj, "metadata");
        var bodyName = JsonTree.Str(meta, "name");
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        ObjectRules.ResolveNamespace(resource, key.Namespace, meta);
        var storedVersion = JsonTree.Str(stored, "metadata.resourceVersion");
        var bodyVersion = JsonTree.Str(meta, "resourceVersion");
        if (!string.IsNullOrEmpty(bodyVersion) && bodyVersion != storedVersion)
        {
            throw ApiException.Conflict(resource, name);
        }

        var storedUid = JsonTree.Str(stored, "metadata.uid");
        var bodyUid = JsonTree.Str(meta, "uid");
        if (!string.IsNullOrEmpty(bodyUid) && bodyUid != storedUid)
        {
            throw ApiException.Invalid(resource, name, ("metadata.uid", $"Invalid value: \"{bodyUid}\": field is immutable"));
        }

        JsonObject candidate;
        if (statusOnly)
        {
            candidate = Copy(stored);
            SetOrRemove(candidate, "status", obj["status"]);
        }
        else
        {
            candidate = obj;
            if (ObjectRules.HasStatusSubresource(resource))
            {
                SetOrRemove(candidate, "status", stored["status"]);
            }

            meta["name"] = name;
            meta["uid"] = storedUid;
            SetOrRemove(meta, "creationTimestamp", stored["metadata"]?["creationTimestamp"]);
            SetOrRemove(meta, "generation", stored["metadata"]?["generation"]);
            meta.Remove("deletionTimestamp");
            if (resource == ResourceCatalog.Namespaces)
            {
                JsonTree.Ensure(candidate, "spec")["finalizers"] ??= new JsonArray("kubernetes");
            }
            else if (resource == ResourceCatalog.Services)
            {
                ServiceAddresses.Apply(candidate, stored, OtherServices(key), _random);
            }

            if (ObjectRules.TracksGeneration(resource) && ObjectRules.SpecChanged(stored, candidate))
            {
                meta["generation"] = (JsonTree.Number(stored, "metadata.generation") ?? 0) + 1;
            }
        }

        JsonTree.Ensure(candidate, "metadata")["resourceVersion"] = storedVersion;
        if (JsonNode.DeepEquals(Copy(candidate), stored) || dryRun)
        {
            return Copy(candidate);
        }

        candidate["metadata"]!["resourceVersion"] = NextResourceVersion();
        Commit(resource, "MODIFIED", key, stored, candidate, changes);
        return Copy(candidate);
    }

    private JsonObject DeleteLocked(ResourceType resource, string? ns, string name, bool dryRun, string? precondition, List<Pending> changes)
    {
        var key = ObjectKey.Of(resource, ns, name);
        var stored = _objects.TryGetValue(key, out var found) ? found : throw ApiException.NotFound(resource, name);
        var storedVersion = JsonTree.Str(stored, "metadata.resourceVersion");
        if (!string.IsNullOrEmpty(precondition) && precondition != storedVersion)
        {
            throw new ApiException(409, "Conflict",
                $"Operation cannot be fulfilled on {resource.QualifiedName} \"{name}\": the ResourceVersion in the precondition ({precondition}) does not match the ResourceVersion in record ({storedVersion}). The object might have been modified",
                resource, name);
        }

        if (resource == ResourceCatalog.Namespaces && name is "default" or "kube-system" or "kube-public")
        {
            throw new ApiException(403, "Forbidden", $"namespaces \"{name}\" is forbidden: this namespace may not be deleted", resource, name);
        }

        if (dryRun)
        {
            return Copy(stored);
        }

        if (resource == ResourceCatalog.Namespaces)
        {
            foreach (var inside in _objects.Where(o => o.Key.Namespace == name).OrderBy(o => o.Key.Resource, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal).ToList())
            {
                RemoveLocked(ResourceFor(inside.Value), inside.Key, inside.Value, changes);
            }
        }

        return RemoveLocked(resource, key, stored, changes);
    }

    private JsonObject RemoveLocked(ResourceType resource, ObjectKey key, JsonObject stored, List<Pending> changes)
    {
        var gone = Copy(stored);
        gone["metadata"]!["resourceVersion"] = NextResourceVersion();
        Commit(resource, "DELETED", key, stored, gone, changes);
        return Copy(gone);
    }

    private IEnumerable<JsonObject> Matching(ResourceType resource, string? ns, LabelSelector labels, FieldSelector fields) =>
        _objects
            .Where(o => o.Key.Resource == resource.QualifiedName && (ns is null || !resource.Namespaced || o.Key.Namespace == ns))
            .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal)
            .Select(o => o.Value)
            .Where(o => labels.Matches(o) && fields.Matches(o));

    private IEnumerable<JsonObject> OtherServices(ObjectKey self) =>
        _objects.Where(o => o.Key.Resource == ResourceCatalog.Services.QualifiedName && o.Key != self).Select(o => o.Value);

    private static JsonObject ListObject(ResourceType resource, IEnumerable<JsonNode> items, long resourceVersion) => new()
    {
        ["kind"] = resource.ListKind,
        ["apiVersion"] = resource.ApiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
        ["items"] = new JsonArray(items.ToArray()),
    };

    private static ResourceType ResourceFor(JsonObject obj) =>
        ResourceCatalog.FindByKind(JsonTree.Str(obj, "apiVersion"), JsonTree.Str(obj, "kind"))
        ?? throw new ApiException($"no resource for {JsonTree.Str(obj, "apiVersion")} {JsonTree.Str(obj, "kind")}");

    private string NextResourceVersion() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private static void SetOrRemove(JsonObject target, string name, JsonNode? value)
    {
        if (value is null)
        {
            target.Remove(name);
        }
        else
        {
            target[name] = value.DeepClone();
        }
    }

    /// <summary>A deep copy whose values are all parsed JSON (so GetValue&lt;long&gt; works on any number).</summary>
    internal static JsonObject Copy(JsonObject obj) => (JsonObject)JsonNode.Parse(obj.ToJsonString())!;

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    /// <summary>(resource, namespace, name); cluster-scoped objects have namespace "".</summary>
    private readonly record struct ObjectKey(string Resource, string Namespace, string Name)
    {
        public static ObjectKey Of(ResourceType resource, string? ns, string name) =>
            new(resource.QualifiedName, resource.Namespaced ? ns ?? "default" : string.Empty, name);
    }
}
