using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Api;

/// <summary>
/// OpenAPI v3 documents enough for kubectl apply/edit with server-side field validation (DESIGN.md facts):
/// each operation carries <c>x-kubernetes-action</c>, <c>x-kubernetes-group-version-kind</c> and, for writes,
/// a <c>fieldValidation</c> query parameter (cli-runtime's QueryParamVerifierV3 looks for it on the PATCH operation).
/// <para>
/// Patch metadata, decided by reading kubectl's pkg/cmd/apply/patcher.go (patchSimple, gvkSupportsPatchOpenAPIV3):
/// kubectl builds the apply patch from the OpenAPI v3 schema only when the PATCH operation's requestBody lists
/// <c>application/strategic-merge-patch+json</c>; otherwise it tries OpenAPI v2 (not served here, so skipped) and then
/// uses its compiled-in Go types for built-in kinds (strategic merge with the real patchMergeKey tags) and a JSON merge
/// patch for anything else (custom resources). So the requestBody here never lists strategic merge, and the schemas
/// carry no properties: kubectl's own types are the best patch metadata there is.
/// </para>
/// </summary>
public static class OpenApi
{
    private static readonly Lazy<Dictionary<string, JsonObject>> Documents = new(BuildAll);

    /// <summary>GET /openapi/v3: {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=…"}, "apis/apps/v1": …}}.</summary>
    public static JsonObject Index()
    {
        var paths = new JsonObject();
        foreach (var (path, doc) in Documents.Value)
        {
            var hash = Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(doc.ToJsonString())));
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={hash}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>GET /openapi/v3/api/v1 or /openapi/v3/apis/GROUP/VERSION, or null.</summary>
    public static JsonObject? GroupVersion(string group, string version) =>
        Documents.Value.TryGetValue(GroupVersionPath(group, version), out var doc) ? (JsonObject)doc.DeepClone() : null;

    /// <summary>The components.schemas name of a kind, as the real server names it ("io.k8s.api.core.v1.Pod", "org.projectcalico.crd.v1.FelixConfiguration").</summary>
    public static string SchemaName(ResourceType r) => r.Group switch
    {
        "" => $"io.k8s.api.core.v1.{r.Kind}",
        "apps" => $"io.k8s.api.apps.{r.Version}.{r.Kind}",
        _ when r.Group.EndsWith(".k8s.io", StringComparison.Ordinal) => $"io.k8s.api.{r.Group[..r.Group.IndexOf('.', StringComparison.Ordinal)]}.{r.Version}.{r.Kind}",
        _ => $"{string.Join('.', r.Group.Split('.').Reverse())}.{r.Version}.{r.Kind}",
    };

    private static string GroupVersionPath(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    private static Dictionary<string, JsonObject> BuildAll() =>
        ResourceCatalog.GroupVersions.ToDictionary(gv => GroupVersionPath(gv.Group, gv.Version), gv => Build(gv.Group, gv.Version), StringComparer.Ordinal);

    private static JsonObject Build(string group, string version)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject
        {
            ["io.k8s.apimachinery.pkg.apis.meta.v1.Patch"] = new JsonObject { ["type"] = "object", ["description"] = "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body." },
            ["io.k8s.apimachinery.pkg.apis.meta.v1.Status"] = new JsonObject { ["type"] = "object", ["description"] = "Status is a return value for calls that don't return other objects." },
        };
        foreach (var r in ResourceCatalog.All.Where(r => r.Group == group && r.Version == version))
        {
            AddResource(paths, r);
            var gvk = new JsonArray(Gvk(r));
            schemas[SchemaName(r)] = new JsonObject { ["type"] = "object", ["description"] = $"{r.Kind} ({r.ApiVersion}).", ["x-kubernetes-group-version-kind"] = gvk };
            schemas[SchemaName(r) + "List"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = $"{r.ListKind} is a list of {r.Kind}.",
                ["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = r.Group, ["version"] = r.Version, ["kind"] = r.ListKind }),
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.4" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static void AddResource(JsonObject paths, ResourceType r)
    {
        var prefix = r.Group.Length == 0 ? $"/api/{r.Version}" : $"/apis/{r.Group}/{r.Version}";
        var collection = r.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{r.Plural}" : $"{prefix}/{r.Plural}";
        var item = collection + "/{name}";
        var scopeParams = r.Namespaced ? new[] { "namespace" } : [];
        var itemParams = scopeParams.Append("name").ToArray();
        var schema = SchemaName(r);
        if (!r.Stored)
        {
            // A review (SelfSubjectAccessReview): POST to the collection is all there is.
            paths[collection] = PathItem(scopeParams,
                ("post", Operation(r, "post", "create", schema, write: true, body: ["application/json", "application/yaml"])));
            return;
        }

        paths[collection] = PathItem(scopeParams,
            ("get", Operation(r, "list", "list", schema + "List", write: false)),
            ("post", Operation(r, "post", "create", schema, write: true, body: ["application/json", "application/yaml"])),
            ("delete", Operation(r, "deletecollection", "deleteCollection", "io.k8s.apimachinery.pkg.apis.meta.v1.Status", write: false)));
        paths[item] = PathItem(itemParams,
            ("get", Operation(r, "get", "read", schema, write: false)),
            ("put", Operation(r, "put", "replace", schema, write: true, body: ["application/json", "application/yaml"])),
            ("patch", PatchOperation(r, "patch", schema)),
            ("delete", Operation(r, "delete", "delete", schema, write: false)));
        if (r.Namespaced)
        {
            paths[$"{prefix}/{r.Plural}"] = PathItem([], ("get", Operation(r, "list", "listForAllNamespaces", schema + "List", write: false)));
        }

        foreach (var sub in Discovery.Subresources(r))
        {
            paths[$"{item}/{sub}"] = sub == "log"
                ? PathItem(itemParams, ("get", Operation(r, "connect", "readLog", schema, write: false)))
                : PathItem(itemParams,
                    ("get", Operation(r, "get", "readStatus", schema, write: false)),
                    ("put", Operation(r, "put", "replaceStatus", schema, write: true, body: ["application/json", "application/yaml"])),
                    ("patch", PatchOperation(r, "patchStatus", schema)));
        }
    }

    private static JsonObject PathItem(string[] pathParameters, params (string Method, JsonObject Operation)[] operations)
    {
        var item = new JsonObject();
        foreach (var (method, operation) in operations)
        {
            item[method] = operation;
        }

        item["parameters"] = new JsonArray(pathParameters.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p,
            ["in"] = "path",
            ["description"] = p == "name" ? $"name of the resource" : "object name and auth scope, such as for teams and projects",
            ["required"] = true,
            ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
        }).ToArray());
        return item;
    }

    private static JsonObject PatchOperation(ResourceType r, string verb, string schema) =>
        Operation(r, "patch", verb, schema, write: true, body: ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"], bodySchema: "io.k8s.apimachinery.pkg.apis.meta.v1.Patch");

    private static JsonObject Operation(ResourceType r, string action, string verb, string responseSchema, bool write, string[]? body = null, string? bodySchema = null)
    {
        var parameters = new JsonArray();
        if (write)
        {
            parameters.Add(Query("dryRun", "When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed"));
            parameters.Add(Query("fieldManager", "fieldManager is a name associated with the actor or entity that is making these changes."));
            parameters.Add(Query("fieldValidation", "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict"));
        }
        else if (action is "list" or "deletecollection")
        {
            parameters.Add(Query("labelSelector", "A selector to restrict the list of returned objects by their labels. Defaults to everything."));
            parameters.Add(Query("fieldSelector", "A selector to restrict the list of returned objects by their fields. Defaults to everything."));
            parameters.Add(Query("resourceVersion", "resourceVersion sets a constraint on what resource versions a request may be served from."));
            if (action == "list")
            {
                parameters.Add(Query("watch", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications."));
            }
        }

        var op = new JsonObject
        {
            ["description"] = $"{verb} the specified {r.Kind}",
            ["operationId"] = $"{verb}{OperationGroup(r)}{(r.Namespaced && verb != "listForAllNamespaces" ? "Namespaced" : string.Empty)}{r.Kind}",
            ["tags"] = new JsonArray(OperationGroup(r).ToLowerInvariant()),
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(responseSchema) } },
                },
                ["401"] = new JsonObject { ["description"] = "Unauthorized" },
            },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = Gvk(r),
        };
        if (body is not null)
        {
            var content = new JsonObject();
            foreach (var type in body)
            {
                content[type] = new JsonObject { ["schema"] = Ref(bodySchema ?? responseSchema) };
            }

            op["requestBody"] = new JsonObject { ["content"] = content, ["required"] = true };
        }

        return op;
    }

    private static JsonObject Query(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    private static JsonObject Ref(string schema) => new() { ["$ref"] = $"#/components/schemas/{schema}" };

    private static JsonObject Gvk(ResourceType r) => new() { ["group"] = r.Group, ["version"] = r.Version, ["kind"] = r.Kind };

    private static string OperationGroup(ResourceType r) => r.Group switch
    {
        "" => "CoreV1",
        _ => string.Concat(r.Group.Split('.')[0].Select((c, i) => i == 0 ? char.ToUpperInvariant(c) : c)) + "V1",
    };
}
