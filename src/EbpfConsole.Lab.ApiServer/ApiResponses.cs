using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;
using Microsoft.AspNetCore.Http;

namespace EbpfConsole.Lab.ApiServer;

/// <summary>Writes JSON answers and Status errors the way the real API server does (Content-Type application/json).</summary>
internal static class ApiResponses
{
    public const string Json = "application/json";

    public static async Task WriteJsonAsync(HttpContext context, int statusCode, JsonNode body)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = Json;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task WriteStatusAsync(HttpContext context, ApiException error) =>
        WriteJsonAsync(context, error.Code, error.ToStatus());

    public static async Task WriteTextAsync(HttpContext context, int statusCode, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The 404 the real server gives for a URL it does not serve.</summary>
    public static ApiException NotServed() => new(404, "NotFound", "the server could not find the requested resource");

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static ApiException MethodNotAllowed(string method, string what) =>
        ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource ({method} {what})");

    /// <summary>True when the Accept header asks for server-side printing (meta.k8s.io Table).</summary>
    public static bool WantsTable(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("as=Table", StringComparison.OrdinalIgnoreCase));
}
