using System.Diagnostics;
using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;
using EbpfConsole.Lab.Api.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EbpfConsole.Lab.ApiServer;

/// <summary>
/// The one request handler: authenticates the client certificate, authorizes the request (<see cref="LabAuthorizer"/>:
/// the admin may do everything, the viewer only read), routes discovery, OpenAPI and health URLs, hands resource
/// URLs to <see cref="ResourceHandler"/>, and turns every <see cref="ApiException"/>
/// into a Status answer (unexpected failures: a one-line 500 Status, details in the log).
/// </summary>
internal sealed class ApiHandler
{
    private static readonly string[] AnonymousPaths = ["/healthz", "/livez", "/readyz", "/version"];

    private readonly ClientCertificateGate _gate;
    private readonly string _gitVersion;
    private readonly ResourceHandler _resources;
    private readonly ILogger _logger;

    public ApiHandler(ObjectStore store, IPodLogSource podLogs, ClientCertificateGate gate, string gitVersion, TimeProvider time, ILogger logger, CancellationToken stopping)
    {
        _gate = gate;
        _gitVersion = gitVersion;
        _logger = logger;
        _resources = new ResourceHandler(store, podLogs, time, stopping);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var path = context.Request.Path.Value ?? "/";
            var identity = AnonymousPaths.Contains(path.TrimEnd('/'), StringComparer.Ordinal)
                ? Anonymous
                : _gate.Identify(await context.Connection.GetClientCertificateAsync(context.RequestAborted).ConfigureAwait(false))
                    ?? throw ApiResponses.Unauthorized();

            await RouteAsync(context, path, identity).ConfigureAwait(false);
        }
        catch (ApiException ex) when (!context.Response.HasStarted)
        {
            await ApiResponses.WriteStatusAsync(context, ex).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !context.Response.HasStarted)
        {
            Log.RequestFailed(_logger, ex, context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Request.QueryString.Value ?? string.Empty);
            var message = $"internal error: {ex.Message}".ReplaceLineEndings(" ");
            await ApiResponses.WriteStatusAsync(context, new ApiException(500, "InternalError", message)).ConfigureAwait(false);
        }
        finally
        {
            var method = context.Request.Method;
            var path = context.Request.Path.Value ?? string.Empty;
            var query = context.Request.QueryString.Value ?? string.Empty;
            var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Log.Request(_logger, method, path, query, context.Response.StatusCode, elapsed);
        }
    }

    /// <summary>Health and version URLs need no certificate (system:public-info-viewer); they are only ever read.</summary>
    private static readonly LabIdentity Anonymous = new("system:anonymous", ["system:unauthenticated"]);

    private async Task RouteAsync(HttpContext context, string path, LabIdentity identity)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var document = Document(context, segments, out var isDocumentPath);
        if (isDocumentPath)
        {
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                throw ApiResponses.MethodNotAllowed(context.Request.Method, path);
            }

            switch (document)
            {
                case null:
                    throw ApiResponses.NotServed();
                case JsonValue text:
                    await ApiResponses.WriteTextAsync(context, 200, text.ToString()).ConfigureAwait(false);
                    return;
                default:
                    await ApiResponses.WriteJsonAsync(context, 200, document).ConfigureAwait(false);
                    return;
            }
        }

        var resource = ResourcePath.Parse(segments) ?? throw ApiResponses.NotServed();
        var verb = AccessRequest.VerbOf(context.Request.Method, resource.Name is not null, RequestReader.Flag(context.Request, "watch"));
        var request = AccessRequest.For(resource.Resource, verb, resource.Namespace, resource.Name, resource.Subresource);
        if (!LabAuthorizer.Decide(identity, request).Allowed)
        {
            throw LabAuthorizer.Forbidden(identity, request, resource.Resource);
        }

        await _resources.HandleAsync(context, resource, identity).ConfigureAwait(false);
    }

    /// <summary>The discovery, OpenAPI or health document at <paramref name="segments"/> (null = not served there).</summary>
    private JsonNode? Document(HttpContext context, string[] segments, out bool isDocumentPath)
    {
        isDocumentPath = true;
        switch (segments)
        {
            case ["healthz"] or ["livez"] or ["readyz"]:
                return JsonValue.Create("ok");
            case ["version"]:
                return Discovery.Version(_gitVersion);
            case ["api"]:
                var local = context.Connection.LocalIpAddress;
                return Discovery.CoreVersions($"{local}:{context.Connection.LocalPort}");
            case ["api", var version]:
                return Discovery.ResourceList(string.Empty, version);
            case ["apis"]:
                return Discovery.GroupList();
            case ["apis", var group]:
                return Discovery.Group(group);
            case ["apis", var group, var version]:
                return Discovery.ResourceList(group, version);
            case ["openapi", "v3"]:
                return OpenApi.Index();
            case ["openapi", "v3", "api", var version]:
                return OpenApi.GroupVersion(string.Empty, version);
            case ["openapi", "v3", "apis", var group, var version]:
                return OpenApi.GroupVersion(group, version);
            case ["openapi", ..]:
                return null;
            case ["api" or "apis", ..]:
                isDocumentPath = false;
                return null;
            default:
                return null;
        }
    }
}
