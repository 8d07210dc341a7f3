using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Api;

/// <summary>
/// A request the API refuses, as the real API server says it: an HTTP code, a machine reason
/// (NotFound, AlreadyExists, Conflict, Invalid, BadRequest, …) and a message, rendered as a
/// <c>Status</c> object by <see cref="ToStatus"/>.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, ResourceType? resource = null, string? name = null, IReadOnlyList<(string Field, string Message)>? causes = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Resource = resource;
        Name = name;
        Causes = causes ?? [];
    }

    public ApiException()
        : this(500, "InternalError", "internal error")
    {
    }

    public ApiException(string message)
        : this(500, "InternalError", message)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = 500;
        Reason = "InternalError";
        Causes = [];
    }

    public int Code { get; }

    public string Reason { get; }

    public ResourceType? Resource { get; }

    public string? Name { get; }

    public IReadOnlyList<(string Field, string Message)> Causes { get; }

    public static ApiException NotFound(ResourceType resource, string name) =>
        new(404, "NotFound", $"{resource.QualifiedName} \"{name}\" not found", resource, name);

    public static ApiException AlreadyExists(ResourceType resource, string name) =>
        new(409, "AlreadyExists", $"{resource.QualifiedName} \"{name}\" already exists", resource, name);

    public static ApiException Conflict(ResourceType resource, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {resource.QualifiedName} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            resource, name);

    public static ApiException Invalid(ResourceType resource, string name, params (string Field, string Message)[] causes) =>
        new(422, "Invalid",
            $"{resource.Kind} \"{name}\" is invalid: {string.Join(", ", causes.Select(c => $"{c.Field}: {c.Message}"))}",
            resource, name, causes);

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Gone(string message) => new(410, "Expired", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got \"{contentType}\")");

    /// <summary>The <c>Status</c> object the API returns with this error.</summary>
    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
            ["code"] = Code,
        };
        if (Resource is not null || Name is not null || Causes.Count > 0)
        {
            var details = new JsonObject();
            if (Name is not null)
            {
                details["name"] = Name;
            }

            if (Resource is not null)
            {
                if (Resource.Group.Length > 0)
                {
                    details["group"] = Resource.Group;
                }

                details["kind"] = Resource.Plural;
            }

            if (Causes.Count > 0)
            {
                details["causes"] = new JsonArray(Causes.Select(c => (JsonNode)new JsonObject
                {
                    ["reason"] = "FieldValueInvalid",
                    ["message"] = c.Message,
                    ["field"] = c.Field,
                }).ToArray());
            }

            status["details"] = details;
        }

        return status;
    }
}
