using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;
using EbpfConsole.Lab.Api.Protobuf;
using Microsoft.AspNetCore.Http;

namespace EbpfConsole.Lab.ApiServer;

/// <summary>Reads what a request says: query options (validated like the real server) and bodies (JSON, block-style YAML, Kubernetes protobuf, patches).</summary>
internal static class RequestReader
{
    /// <summary>Bodies larger than this are refused (the real server's limit is 3 MiB).</summary>
    public const int MaxBodyBytes = 3 * 1024 * 1024;

    private static readonly string[] FieldValidationValues = ["Strict", "Warn", "Ignore"];

    public static ListOptions ListOptions(HttpRequest request) => new(
        Single(request, "labelSelector"),
        Single(request, "fieldSelector"),
        Single(request, "resourceVersion"));

    /// <summary>dryRun=All (query, or a DeleteOptions body's dryRun); any other value is a 400.</summary>
    public static bool DryRun(HttpRequest request, JsonObject? deleteOptions = null)
    {
        var values = request.Query["dryRun"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
        if (deleteOptions?["dryRun"] is JsonArray fromBody)
        {
            values.AddRange(fromBody.Select(v => v?.ToString() ?? string.Empty));
        }

        foreach (var value in values)
        {
            if (value != "All")
            {
                throw ApiException.BadRequest($"Invalid dryRun value \"{value}\": the only supported value is \"All\"");
            }
        }

        return values.Count > 0;
    }

    /// <summary>Accepts fieldValidation Strict, Warn or Ignore (the lab has no schema to validate against); anything else is a 400.</summary>
    public static void CheckFieldValidation(HttpRequest request)
    {
        var value = Single(request, "fieldValidation");
        if (value is not null && !FieldValidationValues.Contains(value, StringComparer.Ordinal))
        {
            throw ApiException.BadRequest($"fieldValidation must be one of \"Ignore\", \"Warn\", \"Strict\" (got \"{value}\")");
        }
    }

    public static bool Flag(HttpRequest request, string name)
    {
        var value = Single(request, name);
        return value switch
        {
            null or "" or "false" or "0" => false,
            "true" or "1" => true,
            _ => throw ApiException.BadRequest($"{name}: invalid value \"{value}\": expected true or false"),
        };
    }

    public static long? Integer(HttpRequest request, string name)
    {
        var value = Single(request, name);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= 0
            ? number
            : throw ApiException.BadRequest($"{name}: invalid value \"{value}\": expected a non-negative integer");
    }

    public static string? Single(HttpRequest request, string name)
    {
        var values = request.Query[name];
        return values.Count == 0 ? null : values[^1];
    }

    /// <summary>The media type of Content-Type without parameters, lower case ("" when absent).</summary>
    public static string MediaType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return string.Empty;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? contentType : contentType[..semicolon]).Trim().ToLowerInvariant();
    }

    /// <summary>The body as text (UTF-8), refusing oversized ones.</summary>
    public static async Task<string> TextAsync(HttpRequest request, CancellationToken ct)
    {
        var body = await BytesAsync(request, ct).ConfigureAwait(false);
        return Encoding.UTF8.GetString(body.Span);
    }

    /// <summary>The body's bytes, refusing oversized ones.</summary>
    public static async Task<ReadOnlyMemory<byte>> BytesAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new ApiException(413, "RequestEntityTooLarge", $"the request body is larger than {MaxBodyBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// <summary>An object body (create, update): application/json, application/yaml or Kubernetes protobuf (kubectl create's typed bodies); anything else is a 415.</summary>
    public static async Task<JsonObject> ObjectAsync(HttpRequest request, CancellationToken ct)
    {
        // client-go's scale client PUTs its Scale without a Content-Type (kubectl scale --current-replicas): JSON then.
        var media = MediaType(request.ContentType);
        if (media == KubeProtobuf.MediaType)
        {
            var body = await BytesAsync(request, ct).ConfigureAwait(false);
            return KubeProtobuf.Decode(body.Span);
        }

        if (media is not ("application/json" or "application/yaml" or ""))
        {
            throw ApiException.UnsupportedMediaType(request.ContentType ?? string.Empty);
        }

        var text = await TextAsync(request, ct).ConfigureAwait(false);
        return media == "application/yaml" ? ParseYamlObject(text) : ParseJsonObject(text);
    }

    /// <summary>A DeleteOptions body, or null when there is none.</summary>
    public static async Task<JsonObject?> DeleteOptionsAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && string.IsNullOrEmpty(request.ContentType)))
        {
            return null;
        }

        var body = await BytesAsync(request, ct).ConfigureAwait(false);
        if (MediaType(request.ContentType) == KubeProtobuf.MediaType)
        {
            return body.IsEmpty ? null : KubeProtobuf.Decode(body.Span);
        }

        var text = Encoding.UTF8.GetString(body.Span);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return MediaType(request.ContentType) switch
        {
            "application/json" or "" => ParseJsonObject(text),
            "application/yaml" => ParseYamlObject(text),
            _ => throw ApiException.UnsupportedMediaType(request.ContentType ?? string.Empty),
        };
    }

    /// <summary>The patch type of a PATCH request's Content-Type; server-side apply and unknown types are a 415.</summary>
    public static PatchType PatchTypeOf(string? contentType) => MediaType(contentType) switch
    {
        "application/json-patch+json" => PatchType.Json,
        "application/merge-patch+json" => PatchType.Merge,
        "application/strategic-merge-patch+json" => PatchType.StrategicMerge,
        "application/apply-patch+yaml" or "application/apply-patch+cbor" => throw new ApiException(415, "UnsupportedMediaType",
            "server-side apply is not supported by the lab's API server; use kubectl apply without --server-side (client-side apply works)"),
        _ => throw new ApiException(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got \"{contentType}\")"),
    };

    public static JsonObject ParseJsonObject(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest($"the request body is not valid JSON: {OneLine(ex.Message)}");
        }

        return node as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");
    }

    private static JsonObject ParseYamlObject(string text)
    {
        try
        {
            return YamlBody.Parse(text) as JsonObject ?? throw ApiException.BadRequest("the request body must be a YAML mapping");
        }
        catch (FormatException ex)
        {
            throw ApiException.BadRequest($"the request body is not valid YAML: {OneLine(ex.Message)}");
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
