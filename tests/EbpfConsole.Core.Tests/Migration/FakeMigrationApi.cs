using System.Globalization;
using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Core.Tests.Migration;

/// <summary>
/// An in-memory Kubernetes API for migration tests: objects by <see cref="ObjectRef.Path"/>, a resourceVersion counter,
/// 409 on a stale metadata.resourceVersion, server-side dry run that stores nothing, List by equality label selector,
/// pod logs by name, <see cref="FailNext"/> to make the next call throw, and <see cref="Calls"/> recording every call.
/// Patches (merge and strategic) are applied with <see cref="MergePatch"/> (the migration only patches maps).
/// </summary>
internal sealed class FakeMigrationApi : IMigrationApi
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (ObjectRef Ref, JsonObject Json)> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _logs = new(StringComparer.Ordinal);
    private readonly Queue<MigrationApiException> _failures = new();
    private long _version = 100;
    private int _uid;

    public FakeMigrationApi(TimeProvider? time = null) => Time = time ?? TimeProvider.System;

    /// <summary>The clock that stamps creationTimestamp.</summary>
    public TimeProvider Time { get; }

    /// <summary>"GET /api/v1/…", "LIST v1 pods kube-system k8s-app=kube-proxy", "PATCH merge …", "CREATE …", "DELETE …", "LOG ns/pod" (dry run: "+dryRun").</summary>
    public List<string> Calls { get; } = [];

    /// <summary>Runs before every call (after it is recorded): lets a test change the cluster as time goes by.</summary>
    public Action<FakeMigrationApi, string>? BeforeCall { get; set; }

    /// <summary>The next call throws <paramref name="error"/> (queued: several calls fail in turn).</summary>
    public void FailNext(MigrationApiException error)
    {
        lock (_gate)
        {
            _failures.Enqueue(error);
        }
    }

    /// <summary>Stores <paramref name="json"/> as is (name/namespace from <paramref name="target"/>), with a new resourceVersion; creationTimestamp kept when given.</summary>
    public JsonObject Put(ObjectRef target, JsonObject json)
    {
        lock (_gate)
        {
            var copy = (JsonObject)json.DeepClone();
            var meta = copy["metadata"] as JsonObject ?? new JsonObject();
            copy["metadata"] = meta;
            meta["name"] = target.Name;
            if (target.Namespace is not null)
            {
                meta["namespace"] = target.Namespace;
            }

            copy["apiVersion"] ??= target.ApiVersion;
            copy["kind"] ??= target.Kind;
            meta["uid"] ??= $"uid-{++_uid}";
            meta["creationTimestamp"] ??= Stamp(Time.GetUtcNow());
            meta["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
            _objects[target.Path] = (target, copy);
            return (JsonObject)copy.DeepClone();
        }
    }

    /// <summary>Removes an object directly (a controller deleting it).</summary>
    public void Remove(ObjectRef target)
    {
        lock (_gate)
        {
            _objects.Remove(target.Path);
        }
    }

    /// <summary>The stored object (a copy), or null.</summary>
    public JsonObject? Peek(ObjectRef target)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(target.Path, out var o) ? (JsonObject)o.Json.DeepClone() : null;
        }
    }

    /// <summary>Changes the stored object in place (as another writer would) and bumps its resourceVersion.</summary>
    public void Mutate(ObjectRef target, Action<JsonObject> change)
    {
        lock (_gate)
        {
            var current = _objects[target.Path].Json;
            change(current);
            current["metadata"]!["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
        }
    }

    public static ObjectRef PodRef(string ns, string name) => new("v1", "pods", ns, name, "Pod");

    /// <summary>A pod with labels, on a node, Running and Ready (or not, with <paramref name="notReady"/> as the Ready condition's message).</summary>
    public JsonObject AddPod(string ns, string name, string labels, string node, DateTimeOffset? created = null, string? notReady = null, string? log = null, bool running = true)
    {
        var labelMap = new JsonObject();
        foreach (var pair in labels.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            labelMap[kv[0].Trim()] = kv[1].Trim();
        }

        var ready = new JsonObject { ["type"] = "Ready", ["status"] = notReady is null && running ? "True" : "False" };
        if (notReady is not null)
        {
            ready["reason"] = "ContainersNotReady";
            ready["message"] = notReady;
        }

        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["labels"] = labelMap,
                ["creationTimestamp"] = Stamp(created ?? Time.GetUtcNow()),
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node,
                ["containers"] = new JsonArray(new JsonObject { ["name"] = labelMap["k8s-app"]?.GetValue<string>() ?? name }),
            },
            ["status"] = new JsonObject
            {
                ["phase"] = running ? "Running" : "Pending",
                ["conditions"] = new JsonArray(ready),
            },
        };
        if (log is not null)
        {
            SetLog(ns, name, log);
        }

        return Put(PodRef(ns, name), pod);
    }

    public void SetLog(string ns, string pod, string log)
    {
        lock (_gate)
        {
            _logs[$"{ns}/{pod}"] = log;
        }
    }

    public void AppendLog(string ns, string pod, string line)
    {
        lock (_gate)
        {
            _logs[$"{ns}/{pod}"] = _logs.GetValueOrDefault($"{ns}/{pod}", "") + line + "\n";
        }
    }

    /// <summary>All stored objects of a kind (apiVersion + resource), any namespace.</summary>
    public IReadOnlyList<(ObjectRef Ref, JsonObject Json)> All(string apiVersion, string resource)
    {
        lock (_gate)
        {
            return _objects.Values.Where(o => o.Ref.ApiVersion == apiVersion && o.Ref.Resource == resource)
                .Select(o => (o.Ref, (JsonObject)o.Json.DeepClone())).ToList();
        }
    }

    public Task<JsonObject?> GetAsync(ObjectRef target, CancellationToken cancellationToken)
    {
        Enter($"GET {target.Path}");
        lock (_gate)
        {
            return Task.FromResult(_objects.TryGetValue(target.Path, out var o) ? (JsonObject?)o.Json.DeepClone() : null);
        }
    }

    public Task<IReadOnlyList<JsonObject>> ListAsync(string apiVersion, string resource, string? ns, string? labelSelector, CancellationToken cancellationToken)
    {
        Enter($"LIST {apiVersion} {resource} {ns ?? "(all)"} {labelSelector ?? ""}".TrimEnd());
        var wanted = Selector(labelSelector);
        lock (_gate)
        {
            IReadOnlyList<JsonObject> items = _objects.Values
                .Where(o => o.Ref.ApiVersion == apiVersion && o.Ref.Resource == resource && (ns is null || o.Ref.Namespace == ns))
                .Where(o => wanted.All(w => (o.Json["metadata"]?["labels"]?[w.Key]?.GetValue<string>()) == w.Value))
                .OrderBy(o => o.Ref.Path, StringComparer.Ordinal)
                .Select(o => (JsonObject)o.Json.DeepClone())
                .ToList();
            return Task.FromResult(items);
        }
    }

    public Task<JsonObject> PatchAsync(ObjectRef target, PatchKind kind, JsonObject patch, bool dryRun, CancellationToken cancellationToken)
    {
        Enter($"PATCH {(kind == PatchKind.Strategic ? "strategic" : "merge")} {target.Path}{(dryRun ? " +dryRun" : "")}");
        lock (_gate)
        {
            if (!_objects.TryGetValue(target.Path, out var current))
            {
                throw new MigrationApiException(ApiErrorKind.NotFound, 404, $"{target.Display} not found");
            }

            Precondition(target, current.Json, patch["metadata"]?["resourceVersion"]?.GetValue<string>());
            var result = MergePatch.Apply(current.Json, patch);
            return Task.FromResult(Store(target, result, dryRun));
        }
    }

    public Task<JsonObject> CreateAsync(ObjectRef target, JsonObject body, bool dryRun, CancellationToken cancellationToken)
    {
        Enter($"CREATE {target.Path}{(dryRun ? " +dryRun" : "")}");
        lock (_gate)
        {
            if (_objects.ContainsKey(target.Path))
            {
                throw new MigrationApiException(ApiErrorKind.Conflict, 409, $"{target.Display} already exists");
            }

            var copy = (JsonObject)body.DeepClone();
            var meta = copy["metadata"] as JsonObject ?? new JsonObject();
            copy["metadata"] = meta;
            meta["uid"] = $"uid-{++_uid}";
            meta["creationTimestamp"] = Stamp(Time.GetUtcNow());
            return Task.FromResult(Store(target, copy, dryRun));
        }
    }

    public Task<JsonObject> ReplaceAsync(ObjectRef target, JsonObject body, bool dryRun, CancellationToken cancellationToken)
    {
        Enter($"REPLACE {target.Path}{(dryRun ? " +dryRun" : "")}");
        lock (_gate)
        {
            if (!_objects.TryGetValue(target.Path, out var current))
            {
                throw new MigrationApiException(ApiErrorKind.NotFound, 404, $"{target.Display} not found");
            }

            Precondition(target, current.Json, body["metadata"]?["resourceVersion"]?.GetValue<string>());
            return Task.FromResult(Store(target, (JsonObject)body.DeepClone(), dryRun));
        }
    }

    public Task DeleteAsync(ObjectRef target, string? resourceVersion, bool dryRun, CancellationToken cancellationToken)
    {
        Enter($"DELETE {target.Path}{(dryRun ? " +dryRun" : "")}");
        lock (_gate)
        {
            if (_objects.TryGetValue(target.Path, out var current))
            {
                Precondition(target, current.Json, resourceVersion);
                if (!dryRun)
                {
                    _objects.Remove(target.Path);
                    _logs.Remove($"{target.Namespace}/{target.Name}");
                }
            }

            return Task.CompletedTask;
        }
    }

    public Task<string> ReadLogAsync(string ns, string pod, string? container, int? tailLines, CancellationToken cancellationToken)
    {
        Enter($"LOG {ns}/{pod}");
        lock (_gate)
        {
            if (!_objects.ContainsKey(PodRef(ns, pod).Path))
            {
                throw new MigrationApiException(ApiErrorKind.NotFound, 404, $"pods {ns}/{pod} not found");
            }

            var log = _logs.GetValueOrDefault($"{ns}/{pod}", "");
            if (tailLines is { } n)
            {
                log = string.Join('\n', log.Split('\n').TakeLast(n + 1));
            }

            return Task.FromResult(log);
        }
    }

    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private void Enter(string call)
    {
        MigrationApiException? failure = null;
        lock (_gate)
        {
            Calls.Add(call);
            if (_failures.Count > 0)
            {
                failure = _failures.Dequeue();
            }
        }

        if (failure is not null)
        {
            throw failure;
        }

        BeforeCall?.Invoke(this, call);
    }

    private static void Precondition(ObjectRef target, JsonObject current, string? resourceVersion)
    {
        var now = current["metadata"]?["resourceVersion"]?.GetValue<string>();
        if (resourceVersion is not null && resourceVersion != now)
        {
            throw new MigrationApiException(ApiErrorKind.Conflict, 409,
                $"{target.Display}: the object has been modified (resourceVersion {resourceVersion}, now {now}); please apply your changes to the latest version");
        }
    }

    private JsonObject Store(ObjectRef target, JsonObject obj, bool dryRun)
    {
        var meta = (JsonObject)obj["metadata"]!;
        meta["name"] = target.Name;
        if (target.Namespace is not null)
        {
            meta["namespace"] = target.Namespace;
        }

        meta["resourceVersion"] = (dryRun ? _version + 1 : ++_version).ToString(CultureInfo.InvariantCulture);
        if (!dryRun)
        {
            _objects[target.Path] = (target, (JsonObject)obj.DeepClone());
        }

        return obj;
    }

    private static List<KeyValuePair<string, string>> Selector(string? selector) =>
        (selector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Replace("==", "=", StringComparison.Ordinal).Split('=', 2))
            .Select(kv => new KeyValuePair<string, string>(kv[0].Trim(), kv.Length > 1 ? kv[1].Trim() : ""))
            .ToList();
}
