namespace EbpfConsole.Core.Migration.Api;

/// <summary>Why an API call of the migration failed.</summary>
public enum ApiErrorKind
{
    /// <summary>409: the object changed (resourceVersion moved) or already exists.</summary>
    Conflict,

    /// <summary>404 on a write.</summary>
    NotFound,

    /// <summary>403.</summary>
    Forbidden,

    /// <summary>400/422: the server refused the request as invalid.</summary>
    Invalid,

    /// <summary>The API cannot be reached or used: refused, unreachable, timed out, TLS, 401, credentials.</summary>
    Unavailable,

    /// <summary>Anything else (5xx, a body that is not JSON…).</summary>
    Other,
}

/// <summary>An API call of the migration failed; <see cref="Exception.Message"/> is one line for the user naming the object and the cause.</summary>
public sealed class MigrationApiException : Exception
{
    public MigrationApiException()
    {
    }

    public MigrationApiException(string message)
        : base(message)
    {
    }

    public MigrationApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MigrationApiException(ApiErrorKind kind, int? status, string message)
        : base(message)
    {
        Kind = kind;
        Status = status;
    }

    public ApiErrorKind Kind { get; } = ApiErrorKind.Other;

    /// <summary>The HTTP status, when there was one.</summary>
    public int? Status { get; }
}
