using System.Text.Json.Nodes;

namespace EbpfConsole.Cluster.Api;

/// <summary>Why an API request did not give a usable answer.</summary>
internal enum ApiFailureKind
{
    /// <summary>Connection refused, unreachable, name not resolved.</summary>
    Unreachable,

    /// <summary>No answer within the request timeout.</summary>
    TimedOut,

    /// <summary>The TLS handshake failed (certificate not trusted, name mismatch, …).</summary>
    Tls,

    /// <summary>401: the credentials were refused.</summary>
    Unauthorized,

    /// <summary>The exec credential plugin failed while refreshing.</summary>
    Credentials,

    /// <summary>403.</summary>
    Forbidden,

    /// <summary>404 (also: a group/version the server does not serve).</summary>
    NotFound,

    /// <summary>Any other HTTP error status.</summary>
    Http,

    /// <summary>A 2xx answer that is not a JSON object.</summary>
    BadResponse,
}

/// <summary>A failed request: what kind, and one line for the user; for HTTP errors also the status, the Status reason and the server's message.</summary>
internal sealed record ApiFailure(ApiFailureKind Kind, string Message)
{
    /// <summary>The HTTP status, when the server answered.</summary>
    public int? Status { get; init; }

    /// <summary>The <c>reason</c> of the server's Status body (Conflict, AlreadyExists, Invalid…), when there was one.</summary>
    public string? Reason { get; init; }

    /// <summary>The server's message (Status <c>message</c>, else the body's first line), when there was one.</summary>
    public string? ServerMessage { get; init; }

    /// <summary>True when the API cannot be used at all (nothing else will work either).</summary>
    public bool IsFatal => Kind is ApiFailureKind.Unreachable or ApiFailureKind.Tls or ApiFailureKind.Unauthorized or ApiFailureKind.Credentials;
}

/// <summary>One request's outcome: the JSON object as served, or the failure.</summary>
internal sealed record ApiResponse(JsonObject? Json, ApiFailure? Failure)
{
    public bool Ok => Json is not null;

    public bool NotFound => Failure?.Kind == ApiFailureKind.NotFound;
}

/// <summary>One text request's outcome (pods/log): the body as served, or the failure.</summary>
internal sealed record ApiTextResponse(string? Text, ApiFailure? Failure);
