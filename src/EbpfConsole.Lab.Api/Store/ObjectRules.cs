using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EbpfConsole.Lab.Api;

/// <summary>What the real API server checks and defaults on every write, per resource (no store access).</summary>
internal static partial class ObjectRules
{
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>Resources whose metadata.generation counts spec changes (apps and custom resources).</summary>
    public static bool TracksGeneration(ResourceType resource) =>
        resource.Group.Length > 0;

    /// <summary>Resources whose status is only written through the status subresource (as in a real cluster).</summary>
    public static bool HasStatusSubresource(ResourceType resource) =>
        resource.Subresources.Contains("status") || resource == ResourceCatalog.Nodes || resource == ResourceCatalog.Namespaces || resource == ResourceCatalog.Services;

    /// <summary>Built-in types accept strategic merge patches; custom resources do not.</summary>
    public static bool IsBuiltIn(ResourceType resource) => resource.Group is "" or "apps";

    /// <summary>apiVersion/kind must name <paramref name="resource"/> (absent → filled in).</summary>
    public static void CheckTypeMeta(ResourceType resource, JsonObject obj)
    {
        var apiVersion = JsonTree.Str(obj, "apiVersion");
        var kind = JsonTree.Str(obj, "kind");
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != resource.ApiVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({resource.ApiVersion})");
        }

        if (!string.IsNullOrEmpty(kind) && kind != resource.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({resource.Kind})");
        }

        if (obj["metadata"] is not (null or JsonObject))
        {
            throw ApiException.BadRequest("metadata: must be an object");
        }

        obj["apiVersion"] = resource.ApiVersion;
        obj["kind"] = resource.Kind;
    }

    /// <summary>The namespace the object lives in ("" for cluster-scoped), after checking the body against the URL.</summary>
    public static string ResolveNamespace(ResourceType resource, string? urlNamespace, JsonObject metadata)
    {
        if (!resource.Namespaced)
        {
            metadata.Remove("namespace");
            return string.Empty;
        }

        var bodyNamespace = JsonTree.Str(metadata, "namespace");
        var ns = string.IsNullOrEmpty(urlNamespace) ? (string.IsNullOrEmpty(bodyNamespace) ? "default" : bodyNamespace) : urlNamespace;
        if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        metadata["namespace"] = ns;
        return ns;
    }

    /// <summary>Throws 422 Invalid (cause metadata.name) unless <paramref name="name"/> is valid for the resource.</summary>
    public static void ValidateName(ResourceType resource, string name)
    {
        string? problem = null;
        if (resource == ResourceCatalog.Namespaces)
        {
            if (name.Length > 63 || !Dns1123Label().IsMatch(name))
            {
                problem = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
            }
        }
        else if (resource == ResourceCatalog.Services)
        {
            if (name.Length > 63 || !Dns1035Label().IsMatch(name))
            {
                problem = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
            }
        }
        else if (name.Length > 253 || !Dns1123Subdomain().IsMatch(name))
        {
            problem = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
        }

        if (problem is not null)
        {
            throw ApiException.Invalid(resource, name, ("metadata.name", $"Invalid value: \"{name}\": {problem}"));
        }
    }

    /// <summary>generateName plus five random characters from the alphabet the real server uses.</summary>
    public static string GenerateName(string prefix, Random random) =>
        prefix + new string(Enumerable.Range(0, 5).Select(_ => GenerateNameAlphabet[random.Next(GenerateNameAlphabet.Length)]).ToArray());

    /// <summary>Defaults the real server fills in on create (besides metadata and service addresses).</summary>
    public static void ApplyCreateDefaults(ResourceType resource, JsonObject obj)
    {
        if (resource == ResourceCatalog.Namespaces)
        {
            var spec = JsonTree.Ensure(obj, "spec");
            spec["finalizers"] ??= new JsonArray("kubernetes");
            JsonTree.Ensure(obj, "status")["phase"] = "Active";
        }
        else if (resource == ResourceCatalog.Deployments || resource == ResourceCatalog.ReplicaSets)
        {
            JsonTree.Ensure(obj, "spec")["replicas"] ??= 1;
        }
    }

    /// <summary>Everything but metadata and status: what a generation counts.</summary>
    public static bool SpecChanged(JsonObject before, JsonObject after)
    {
        static JsonObject Strip(JsonObject o)
        {
            var copy = ObjectStore.Copy(o);
            copy.Remove("metadata");
            copy.Remove("status");
            return copy;
        }

        return !JsonNode.DeepEquals(Strip(before), Strip(after));
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();
}
