using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Api;

// CONTRACT STUBS (helper A replaces the bodies, keeps the signatures; may split into files).

/// <summary>Discovery documents derived from <see cref="ResourceCatalog"/>: what kubectl reads first.</summary>
public static class Discovery
{
    /// <summary>GET /version (gitVersion e.g. "v1.32.4").</summary>
    public static JsonObject Version(string gitVersion) => throw new NotImplementedException();

    /// <summary>GET /api: APIVersions {versions:["v1"], serverAddressByClientCIDRs}.</summary>
    public static JsonObject CoreVersions(string serverAddress) => throw new NotImplementedException();

    /// <summary>GET /apis: APIGroupList of every non-core group.</summary>
    public static JsonObject GroupList() => throw new NotImplementedException();

    /// <summary>GET /apis/GROUP: APIGroup, or null when the group is not served.</summary>
    public static JsonObject? Group(string group) => throw new NotImplementedException();

    /// <summary>GET /api/v1 or /apis/GROUP/VERSION: APIResourceList (with subresources such as pods/log), or null.</summary>
    public static JsonObject? ResourceList(string group, string version) => throw new NotImplementedException();
}

/// <summary>OpenAPI v3 documents enough for kubectl apply/edit with server-side field validation (DESIGN.md facts).</summary>
public static class OpenApi
{
    /// <summary>GET /openapi/v3: {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=…"}, "apis/apps/v1": …}}.</summary>
    public static JsonObject Index() => throw new NotImplementedException();

    /// <summary>GET /openapi/v3/api/v1 or /openapi/v3/apis/GROUP/VERSION, or null.</summary>
    public static JsonObject? GroupVersion(string group, string version) => throw new NotImplementedException();
}

/// <summary>Server-side printing: meta.k8s.io/v1 Table objects with the columns kubectl shows (priority 1 = -o wide only).</summary>
public static class Tables
{
    /// <summary>A Table of <paramref name="items"/>; rows carry PartialObjectMetadata (or the full object when <paramref name="includeObject"/> is "Object", nothing for "None").</summary>
    public static JsonObject ToTable(ResourceType resource, IReadOnlyList<JsonObject> items, string resourceVersion, DateTimeOffset now, string includeObject = "Metadata") => throw new NotImplementedException();
}
