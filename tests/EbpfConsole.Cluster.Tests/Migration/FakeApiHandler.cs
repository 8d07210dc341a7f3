using System.Net;
using System.Text;
using EbpfConsole.Cluster.Api;
using EbpfConsole.Cluster.Migration;
using k8s;

namespace EbpfConsole.Cluster.Tests.Migration;

/// <summary>What the fake server saw of one request.</summary>
internal sealed record SeenRequest(string Method, string PathAndQuery, string? ContentType, string? Body, string Accept);

/// <summary>
/// A handler in the KubernetesClient pipeline that answers every request itself (no network at all): the test sets the
/// answer (status + body) or the exception, and reads what was sent.
/// </summary>
internal sealed class FakeApiHandler : DelegatingHandler
{
    public const string Server = "https://127.0.0.1:6443";

    public List<SeenRequest> Seen { get; } = [];

    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

    public string Body { get; set; } = "{}";

    public string ContentType { get; set; } = "application/json";

    public Exception? Throw { get; set; }

    public TimeSpan Delay { get; set; }

    /// <summary>The adapter on a RawApi whose client sends everything to this handler.</summary>
    public KubernetesMigrationApi Api(TimeSpan? timeout = null)
    {
#pragma warning disable CA2000 // The client lives as long as the test; disposing it would dispose this handler.
        var client = new Kubernetes(new KubernetesClientConfiguration { Host = Server }, this);
#pragma warning restore CA2000
        return new KubernetesMigrationApi(new RawApi(client, new ServerCertificateValidator(null, false), Server, "tester", timeout ?? TimeSpan.FromSeconds(5), null));
    }

    /// <summary>Answers with a Kubernetes Status body.</summary>
    public void Fail(HttpStatusCode status, string reason, string message)
    {
        Status = status;
        Body = new System.Text.Json.Nodes.JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = (int)status,
        }.ToJsonString();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        Seen.Add(new SeenRequest(request.Method.Method, request.RequestUri!.PathAndQuery, request.Content?.Headers.ContentType?.ToString(), body, request.Headers.Accept.ToString()));
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken).ConfigureAwait(false);
        }

        if (Throw is not null)
        {
            throw Throw;
        }

        return new HttpResponseMessage(Status)
        {
            RequestMessage = request,
            Content = new StringContent(Body, Encoding.UTF8, ContentType),
        };
    }
}
