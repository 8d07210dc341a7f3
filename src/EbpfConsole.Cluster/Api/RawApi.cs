using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EbpfConsole.Cluster.Config;
using k8s;

namespace EbpfConsole.Cluster.Api;

/// <summary>
/// GET/POST/PUT/PATCH/DELETE of raw JSON (and GET of text, for pod logs) through the KubernetesClient connection (its
/// handler, TLS and credentials), so objects reach the preflight rules and the migration exactly as served (camelCase,
/// unknown fields kept). Never throws for API or network failures: they come back as <see cref="ApiFailure"/> with
/// one line naming the URL (and, for HTTP errors, the status, the Status reason and the server's message).
/// </summary>
internal sealed class RawApi(Kubernetes client, ServerCertificateValidator tls, string server, string identity, TimeSpan timeout, string? tlsServerName)
{
    public string Server => server;

    public Task<ApiResponse> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<ApiResponse> PostAsync(string path, JsonObject body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    /// <summary>PUT (replace) of <paramref name="body"/>.</summary>
    public Task<ApiResponse> PutAsync(string path, JsonObject body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Put, path, body, cancellationToken);

    /// <summary>PATCH with <paramref name="contentType"/> (application/merge-patch+json, application/strategic-merge-patch+json, …), sent without a charset parameter.</summary>
    public Task<ApiResponse> PatchAsync(string path, string contentType, JsonObject patch, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, path, patch, cancellationToken, contentType);

    /// <summary>DELETE, with a DeleteOptions body when one is given.</summary>
    public Task<ApiResponse> DeleteAsync(string path, JsonObject? deleteOptions, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, deleteOptions, cancellationToken);

    /// <summary>GET of a text resource (pods/log): the body as text, or the failure.</summary>
    public async Task<ApiTextResponse> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        var (text, failure) = await ExchangeAsync(HttpMethod.Get, path, null, null, cancellationToken).ConfigureAwait(false);
        return new ApiTextResponse(failure is null ? text : null, failure);
    }

    private async Task<ApiResponse> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken, string contentType = "application/json")
    {
        var (text, failure) = await ExchangeAsync(method, path, body, contentType, cancellationToken).ConfigureAwait(false);
        return failure is null ? Parse(new Uri(client.BaseUri, path), text) : new ApiResponse(null, failure);
    }

    /// <summary>One request: the 2xx body as text, or the failure. <paramref name="contentType"/> null = the caller wants text (pod logs).</summary>
    private async Task<(string Text, ApiFailure? Failure)> ExchangeAsync(HttpMethod method, string path, JsonObject? body, string? contentType, CancellationToken cancellationToken)
    {
        var url = new Uri(client.BaseUri, path);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(method, url) { Version = HttpVersion.Version20 };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(contentType is null ? "*/*" : "application/json"));
            if (body is not null)
            {
                request.Content = contentType == "application/json"
                    ? new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json")
                    : new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue(contentType ?? "application/json"));
            }

            if (!string.IsNullOrWhiteSpace(tlsServerName))
            {
                request.Headers.Host = tlsServerName;
            }

            if (client.Credentials is { } credentials)
            {
                await credentials.ProcessHttpRequestAsync(request, limit.Token).ConfigureAwait(false);
            }

            using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, limit.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(limit.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? (text, null) : (text, FromStatus(response.StatusCode, text, url));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (string.Empty, new ApiFailure(ApiFailureKind.TimedOut, $"no answer from {url} within {Seconds(timeout)}"));
        }
        catch (ExecCredentialException ex)
        {
            return (string.Empty, new ApiFailure(ApiFailureKind.Credentials, ex.Message));
        }
        catch (HttpRequestException ex)
        {
            return (string.Empty, FromException(ex, url));
        }
    }

    private static ApiResponse Failed(ApiFailureKind kind, string message) => new(null, new ApiFailure(kind, message));

    private static ApiResponse Parse(Uri url, string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject json
                ? new ApiResponse(json, null)
                : Failed(ApiFailureKind.BadResponse, $"{url} answered with JSON that is not an object");
        }
        catch (JsonException ex)
        {
            return Failed(ApiFailureKind.BadResponse, $"{url} answered with something that is not JSON ({OneLine.Of(ex.Message)})");
        }
    }

    private ApiFailure FromStatus(HttpStatusCode code, string text, Uri url)
    {
        var message = StatusMessage(text);
        var status = $"{(int)code} {code}";
        ApiFailure failure = code switch
        {
            HttpStatusCode.Unauthorized => new(ApiFailureKind.Unauthorized,
                $"the API server {server} refused the credentials of user '{identity}' ({status}{(message is null ? string.Empty : $": {message}")})"),
            HttpStatusCode.Forbidden => new(ApiFailureKind.Forbidden, $"{status}: {message ?? url.PathAndQuery}"),
            HttpStatusCode.NotFound => new(ApiFailureKind.NotFound, $"{status}: {message ?? url.PathAndQuery}"),
            _ => new(ApiFailureKind.Http, $"{status} from {url.PathAndQuery}{(message is null ? string.Empty : $": {message}")}"),
        };
        return failure with { Status = (int)code, Reason = StatusReason(text), ServerMessage = message };
    }

    /// <summary>The machine reason of a Kubernetes Status body (Conflict, AlreadyExists, Invalid…), else null.</summary>
    internal static string? StatusReason(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject json && json["reason"] is JsonValue value && value.GetValueKind() == JsonValueKind.String
                ? value.GetValue<string>()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The message of a Kubernetes Status body, else the body's first line (short), else null.</summary>
    internal static string? StatusMessage(string text)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonObject json && json["message"] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                return OneLine.Of(value.GetValue<string>());
            }
        }
        catch (JsonException)
        {
            // Not a Status: fall back to the text.
        }

        var line = OneLine.Of(text, 200);
        return line.Length == 0 ? null : line;
    }

    private ApiFailure FromException(HttpRequestException ex, Uri url)
    {
        if (ex.InnerException is AuthenticationException || ex.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            var why = tls.LastRefusal ?? OneLine.Of(ex.InnerException?.Message ?? ex.Message);
            return new(ApiFailureKind.Tls, $"TLS handshake with {server} failed: {why}");
        }

        var socket = ex.InnerException as SocketException;
        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => new(ApiFailureKind.Unreachable,
                $"connection refused by {server} (is the API server running, and is this the right server in the kubeconfig?)"),
            SocketError.TimedOut => new(ApiFailureKind.Unreachable, $"connecting to {server} timed out"),
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => new(ApiFailureKind.Unreachable,
                $"cannot resolve the host name of {server} ({socket.Message})"),
            SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.HostDown => new(ApiFailureKind.Unreachable,
                $"{server} is unreachable ({socket.Message})"),
            _ when ex.HttpRequestError == HttpRequestError.NameResolutionError => new(ApiFailureKind.Unreachable,
                $"cannot resolve the host name of {server} ({OneLine.Of(ex.Message)})"),
            _ when ex.HttpRequestError == HttpRequestError.ConnectionError => new(ApiFailureKind.Unreachable,
                $"cannot connect to {server}: {OneLine.Of(ex.InnerException?.Message ?? ex.Message)}"),
            _ => new(ApiFailureKind.Http, $"request to {url} failed: {OneLine.Of(ex.InnerException?.Message ?? ex.Message)}"),
        };
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
