using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace EbpfConsole.Lab.Api;

/// <summary>The patch bodies the API accepts, by their content types.</summary>
public enum PatchType
{
    /// <summary>application/json-patch+json (RFC 6902).</summary>
    Json,

    /// <summary>application/merge-patch+json (RFC 7386).</summary>
    Merge,

    /// <summary>application/strategic-merge-patch+json (built-in types only).</summary>
    StrategicMerge,
}

/// <summary>List/watch/deletecollection filters, as the query string gives them (null = not given).</summary>
public sealed record ListOptions(string? LabelSelector = null, string? FieldSelector = null, string? ResourceVersion = null)
{
    public static ListOptions None { get; } = new();
}

/// <summary>One watch event: ADDED, MODIFIED, DELETED (or ERROR with a Status object).</summary>
public sealed record WatchEvent(string Type, JsonObject Item);

/// <summary>A store mutation, for in-process observers (the lab controller): the object after (or, for DELETED, before) the change.</summary>
public sealed record StoreChange(ResourceType Resource, string Type, JsonObject Item);
