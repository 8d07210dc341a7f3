using EbpfConsole.Cluster.Api;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Cluster.Migration;

/// <summary>
/// A failed request of the migration as a <see cref="MigrationApiException"/>: the kind the engine acts on (a 409 stops
/// the step and offers a fresh preview; Unavailable leaves the journal as it is) and one line for the user,
/// "cannot VERB WHAT: cause", naming the object and, when the server could not be used, the server.
/// </summary>
internal static class MigrationApiErrors
{
    /// <param name="failure">What RawApi reported.</param>
    /// <param name="verb">"get", "list", "patch", "create", "replace", "delete", "read the log of".</param>
    /// <param name="what">The object (<see cref="ObjectRef.Display"/>) or collection.</param>
    /// <param name="server">The API server URL, named when the failure does not name it already.</param>
    public static MigrationApiException From(ApiFailure failure, string verb, string what, string server)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var prefix = $"cannot {verb} {what}: ";
        switch (failure.Kind)
        {
            case ApiFailureKind.Unreachable or ApiFailureKind.TimedOut:
                return new(ApiErrorKind.Unavailable, failure.Status, prefix + Server("could not be reached", failure.Message, server));
            case ApiFailureKind.Tls or ApiFailureKind.Unauthorized or ApiFailureKind.Credentials:
                return new(ApiErrorKind.Unavailable, failure.Status, prefix + Server("could not be used", failure.Message, server));
            case ApiFailureKind.BadResponse:
                return new(ApiErrorKind.Other, failure.Status, prefix + failure.Message);
        }

        var status = failure.Status;
        var said = failure.ServerMessage is null ? string.Empty : $": {failure.ServerMessage}";
        return status switch
        {
            409 when failure.Reason == "AlreadyExists" => new(ApiErrorKind.Conflict, status, $"{prefix}it already exists (409 Conflict){said}"),
            409 => new(ApiErrorKind.Conflict, status, $"{prefix}it changed since it was read (409 Conflict){said}"),
            404 => new(ApiErrorKind.NotFound, status, $"{prefix}not found (404 Not Found){said}"),
            403 => new(ApiErrorKind.Forbidden, status, $"{prefix}forbidden (403 Forbidden){said}"),
            400 => new(ApiErrorKind.Invalid, status, $"{prefix}the API server refused the request as invalid (400 Bad Request){said}"),
            422 => new(ApiErrorKind.Invalid, status, $"{prefix}the API server refused it as invalid (422 Unprocessable Entity){said}"),
            _ => new(ApiErrorKind.Other, status, prefix + failure.Message),
        };
    }

    /// <summary>"the API server could not be reached: connection refused by https://…", naming the server when the detail does not.</summary>
    private static string Server(string what, string detail, string server) =>
        detail.Contains(server, StringComparison.Ordinal)
            ? $"the API server {what}: {detail}"
            : $"the API server {server} {what}: {detail}";
}
