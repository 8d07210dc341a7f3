using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Api;

/// <summary>
/// Discovery documents derived from <see cref="ResourceCatalog"/>: what kubectl reads first. kubectl asks for
/// aggregated discovery (apidiscovery.k8s.io/v2) and falls back to these plain documents when it gets JSON of
/// the legacy kinds (APIVersions, APIGroupList, APIResourceList).
/// </summary>
public static class Discovery
{
    /// <summary>GET /version (gitVersion e.g. "v1.32.4").</summary>
    public static JsonObject Version(string gitVersion)
    {
        var parts = gitVersion.TrimStart('v').Split('.', '-', '+');
        return new JsonObject
        {
            ["major"] = parts.Length > 0 ? parts[0] : "1",
            ["minor"] = parts.Length > 1 ? parts[1] : "0",
            ["gitVersion"] = gitVersion,
            ["gitCommit"] = "e1c0c1ab6e1c0c1ab6e1c0c1ab6e1c0c1ab6e1c0",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2025-04-22T15:55:01Z",
            ["goVersion"] = "go1.23.6",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    /// <summary>GET /api: APIVersions {versions:["v1"], serverAddressByClientCIDRs}.</summary>
    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    /// <summary>GET /apis: APIGroupList of every non-core group.</summary>
    public static JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(Groups().Select(g => (JsonNode)GroupBody(g)).ToArray()),
    };

    /// <summary>GET /apis/GROUP: APIGroup, or null when the group is not served.</summary>
    public static JsonObject? Group(string group)
    {
        if (group.Length == 0 || !Groups().Contains(group))
        {
            return null;
        }

        var body = GroupBody(group);
        var result = new JsonObject { ["kind"] = "APIGroup", ["apiVersion"] = "v1" };
        foreach (var (key, value) in body)
        {
            result[key] = value?.DeepClone();
        }

        return result;
    }

    /// <summary>GET /api/v1 or /apis/GROUP/VERSION: APIResourceList (with subresources such as pods/log), or null.</summary>
    public static JsonObject? ResourceList(string group, string version)
    {
        var resources = ResourceCatalog.All.Where(r => r.Group == group && r.Version == version).ToList();
        if (resources.Count == 0)
        {
            return null;
        }

        var entries = new List<JsonObject>();
        foreach (var r in resources)
        {
            var entry = new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray(r.AllowedVerbs.Select(v => (JsonNode)v).ToArray()),
            };
            if (r.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray(r.ShortNames.Select(s => (JsonNode)s).ToArray());
            }

            if (r.Categories.Count > 0)
            {
                entry["categories"] = new JsonArray(r.Categories.Select(s => (JsonNode)s).ToArray());
            }

            entry["storageVersionHash"] = StorageVersionHash(r);
            entries.Add(entry);
            foreach (var sub in Subresources(r))
            {
                var subEntry = new JsonObject
                {
                    ["name"] = $"{r.Plural}/{sub}",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = r.Namespaced,
                    ["kind"] = r.Kind,
                    ["verbs"] = sub == "log" ? new JsonArray("get") : new JsonArray("get", "patch", "update"),
                };
                if (sub == "scale")
                {
                    subEntry["group"] = "autoscaling";
                    subEntry["version"] = "v1";
                    subEntry["kind"] = "Scale";
                }

                entries.Add(subEntry);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = new JsonArray(entries.OrderBy(e => JsonTree.Str(e, "name"), StringComparer.Ordinal).Select(e => (JsonNode)e).ToArray()),
        };
    }

    /// <summary>The subresources served for a resource: the catalogue's, plus status where the store keeps one (nodes, namespaces, services).</summary>
    public static IReadOnlyList<string> Subresources(ResourceType resource) =>
        ObjectRules.HasStatusSubresource(resource) && !resource.Subresources.Contains("status")
            ? [.. resource.Subresources, "status"]
            : resource.Subresources;

    private static List<string> Groups() =>
        ResourceCatalog.GroupVersions.Select(gv => gv.Group).Where(g => g.Length > 0).Distinct().ToList();

    private static JsonObject GroupBody(string group)
    {
        var versions = ResourceCatalog.GroupVersions.Where(gv => gv.Group == group)
            .Select(gv => new JsonObject { ["groupVersion"] = $"{group}/{gv.Version}", ["version"] = gv.Version }).ToList();
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)v).ToArray()),
            ["preferredVersion"] = versions[0].DeepClone(),
        };
    }

    private static string StorageVersionHash(ResourceType r)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{r.Group}/{r.Version}/{r.Kind}"));
        return Convert.ToBase64String(hash, 0, 8);
    }
}
