using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Lab.Api.Tests;

/// <summary>Objects and stores the tests build on.</summary>
internal static class TestObjects
{
    public static JsonObject Json(string text) => (JsonObject)JsonNode.Parse(text)!;

    /// <summary>A memory-only store with the namespaces default and kube-system.</summary>
    public static ObjectStore Store(string? path = null, TimeProvider? time = null)
    {
        var store = new ObjectStore(path, time ?? new ManualTime(new DateTimeOffset(2025, 5, 1, 12, 0, 0, TimeSpan.Zero)));
        if (store.TryGet(ResourceCatalog.Namespaces, null, "default") is null)
        {
            store.Create(ResourceCatalog.Namespaces, null, Namespace("default"));
            store.Create(ResourceCatalog.Namespaces, null, Namespace("kube-system"));
        }

        return store;
    }

    public static JsonObject Namespace(string name) => Json("""{"metadata":{"name":"NAME"}}""".Replace("NAME", name, StringComparison.Ordinal));

    public static JsonObject ConfigMap(string name, string? labels = null) =>
        Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"NAME","labels":LABELS},"data":{"k":"v"}}"""
            .Replace("NAME", name, StringComparison.Ordinal).Replace("LABELS", labels ?? "{}", StringComparison.Ordinal));

    public static JsonObject Pod(string name, string node = "node-1", string app = "nginx") => Json("""
        {"metadata":{"name":"NAME","labels":{"app":"APP"}},
         "spec":{"nodeName":"NODE","containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}]}]},
         "status":{"phase":"Running"}}
        """.Replace("NAME", name, StringComparison.Ordinal).Replace("APP", app, StringComparison.Ordinal).Replace("NODE", node, StringComparison.Ordinal));

    public static JsonObject Deployment(string name) => Json("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME"},
         "spec":{"selector":{"matchLabels":{"app":"NAME"}},"template":{"metadata":{"labels":{"app":"NAME"}},
           "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]}}}}
        """.Replace("NAME", name, StringComparison.Ordinal));

    public static JsonObject NodePortService(string name, int? nodePort = null) => Json("""
        {"metadata":{"name":"NAME"},"spec":{"type":"NodePort","selector":{"app":"nginx"},"ports":[{"port":80NODEPORT}]}}
        """.Replace("NAME", name, StringComparison.Ordinal).Replace("NODEPORT", nodePort is null ? string.Empty : $",\"nodePort\":{nodePort}", StringComparison.Ordinal));

    public static string Rv(JsonObject obj) => obj["metadata"]!["resourceVersion"]!.GetValue<string>();
}

/// <summary>A clock the test moves.</summary>
internal sealed class ManualTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
