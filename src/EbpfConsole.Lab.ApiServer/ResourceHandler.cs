using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;
using EbpfConsole.Lab.Api.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EbpfConsole.Lab.ApiServer;

/// <summary>The verbs on resource URLs: get, list, watch, create, update(/status), patch, delete, deletecollection, pods/log.</summary>
internal sealed class ResourceHandler(ObjectStore store, IPodLogSource podLogs, TimeProvider time, CancellationToken stopping)
{
    private static readonly string[] IncludeObjectValues = ["None", "Metadata", "Object"];

    public async Task HandleAsync(HttpContext context, ResourcePath path, LabIdentity identity)
    {
        var request = context.Request;
        var (resource, ns, name, sub) = path;
        if (resource.Namespaced && ns is null && name is not null)
        {
            throw ApiResponses.NotServed();
        }

        var ct = context.RequestAborted;
        var method = request.Method;
        if (!resource.Stored)
        {
            await ReviewAsync(context, resource, name, identity).ConfigureAwait(false);
        }
        else if (HttpMethods.IsGet(method) && sub == "log")
        {
            await LogsAsync(context, ns!, name!).ConfigureAwait(false);
        }
        else if (sub == "scale" && Scales.Serves(resource) && name is not null)
        {
            await ScaleAsync(context, resource, ns, name).ConfigureAwait(false);
        }
        else if (HttpMethods.IsGet(method) && name is not null && sub is null or "status")
        {
            var obj = store.Get(resource, ns, name);
            await WriteObjectAsync(context, 200, resource, obj).ConfigureAwait(false);
        }
        else if (HttpMethods.IsGet(method))
        {
            if (RequestReader.Flag(request, "watch"))
            {
                await WatchAsync(context, resource, ns).ConfigureAwait(false);
                return;
            }

            var list = store.List(resource, ns, RequestReader.ListOptions(request));
            await WriteListAsync(context, resource, list).ConfigureAwait(false);
        }
        else if (HttpMethods.IsPost(method) && name is null && (ns is not null || !resource.Namespaced))
        {
            RequestReader.CheckFieldValidation(request);
            var dryRun = RequestReader.DryRun(request);
            var body = await RequestReader.ObjectAsync(request, ct).ConfigureAwait(false);
            CheckBody(resource, ns, null, body);
            var created = store.Create(resource, ns, body, dryRun);
            await ApiResponses.WriteJsonAsync(context, 201, created).ConfigureAwait(false);
        }
        else if (HttpMethods.IsPut(method) && name is not null && sub is null or "status")
        {
            RequestReader.CheckFieldValidation(request);
            var dryRun = RequestReader.DryRun(request);
            var body = await RequestReader.ObjectAsync(request, ct).ConfigureAwait(false);
            CheckBody(resource, ns, name, body);
            var updated = sub == "status" ? store.UpdateStatus(resource, ns, name, body) : store.Update(resource, ns, name, body, dryRun);
            await ApiResponses.WriteJsonAsync(context, 200, updated).ConfigureAwait(false);
        }
        else if (HttpMethods.IsPatch(method) && name is not null && sub is null or "status")
        {
            RequestReader.CheckFieldValidation(request);
            var type = RequestReader.PatchTypeOf(request.ContentType);
            var dryRun = RequestReader.DryRun(request);
            var body = await RequestReader.TextAsync(request, ct).ConfigureAwait(false);
            var patched = store.Patch(resource, ns, name, type, body, dryRun);
            await ApiResponses.WriteJsonAsync(context, 200, patched).ConfigureAwait(false);
        }
        else if (HttpMethods.IsDelete(method) && sub is null && (name is not null || ns is not null || !resource.Namespaced))
        {
            var options = await RequestReader.DeleteOptionsAsync(request, ct).ConfigureAwait(false);
            var dryRun = RequestReader.DryRun(request, options);
            var deleted = name is not null
                ? store.Delete(resource, ns, name, dryRun, options?["preconditions"]?["resourceVersion"]?.ToString())
                : store.DeleteCollection(resource, ns, RequestReader.ListOptions(request), dryRun);
            await ApiResponses.WriteJsonAsync(context, 200, deleted).ConfigureAwait(false);
        }
        else
        {
            throw ApiResponses.MethodNotAllowed(method, request.Path.Value ?? string.Empty);
        }
    }

    /// <summary>POST selfsubjectaccessreviews: answered for the caller and returned (201), never stored.</summary>
    private static async Task ReviewAsync(HttpContext context, ResourceType resource, string? name, LabIdentity identity)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || name is not null)
        {
            throw ApiResponses.MethodNotAllowed(request.Method, request.Path.Value ?? string.Empty);
        }

        var body = await RequestReader.ObjectAsync(request, context.RequestAborted).ConfigureAwait(false);
        CheckBody(resource, null, null, body);
        await ApiResponses.WriteJsonAsync(context, 201, AccessReviews.Review(identity, body)).ConfigureAwait(false);
    }

    /// <summary>deployments/NAME/scale and replicasets/NAME/scale: get, update, patch (`kubectl scale`).</summary>
    private async Task ScaleAsync(HttpContext context, ResourceType resource, string? ns, string name)
    {
        var request = context.Request;
        var ct = context.RequestAborted;
        JsonObject scale;
        if (HttpMethods.IsGet(request.Method))
        {
            scale = Scales.Get(store, resource, ns, name);
        }
        else if (HttpMethods.IsPut(request.Method))
        {
            var body = await RequestReader.ObjectAsync(request, ct).ConfigureAwait(false);
            scale = Scales.Update(store, resource, ns, name, body, RequestReader.DryRun(request));
        }
        else if (HttpMethods.IsPatch(request.Method))
        {
            var type = RequestReader.PatchTypeOf(request.ContentType);
            var body = await RequestReader.TextAsync(request, ct).ConfigureAwait(false);
            scale = Scales.Patch(store, resource, ns, name, type, body, RequestReader.DryRun(request));
        }
        else
        {
            throw ApiResponses.MethodNotAllowed(request.Method, request.Path.Value ?? string.Empty);
        }

        await ApiResponses.WriteJsonAsync(context, 200, scale).ConfigureAwait(false);
    }

    /// <summary>What the real server checks before it decodes into the store: kind, namespace and name agree with the URL.</summary>
    private static void CheckBody(ResourceType resource, string? ns, string? name, JsonObject body)
    {
        var apiVersion = body["apiVersion"]?.ToString();
        var kind = body["kind"]?.ToString();
        if (apiVersion is not null && apiVersion != resource.ApiVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({resource.ApiVersion})");
        }

        if (kind is not null && kind != resource.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({resource.Kind})");
        }

        body["apiVersion"] = resource.ApiVersion;
        body["kind"] = resource.Kind;
        var metadata = body["metadata"] as JsonObject;
        var bodyNamespace = metadata?["namespace"]?.ToString();
        if (resource.Namespaced && bodyNamespace is { Length: > 0 } && bodyNamespace != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        var bodyName = metadata?["name"]?.ToString();
        if (name is not null && bodyName is { Length: > 0 } && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
    }

    private async Task WriteObjectAsync(HttpContext context, int statusCode, ResourceType resource, JsonObject obj)
    {
        if (!ApiResponses.WantsTable(context.Request))
        {
            await ApiResponses.WriteJsonAsync(context, statusCode, obj).ConfigureAwait(false);
            return;
        }

        var version = obj["metadata"]?["resourceVersion"]?.ToString() ?? store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var table = Tables.ToTable(resource, [obj], version, time.GetUtcNow(), IncludeObject(context.Request));
        await ApiResponses.WriteJsonAsync(context, statusCode, table).ConfigureAwait(false);
    }

    private async Task WriteListAsync(HttpContext context, ResourceType resource, JsonObject list)
    {
        if (!ApiResponses.WantsTable(context.Request))
        {
            await ApiResponses.WriteJsonAsync(context, 200, list).ConfigureAwait(false);
            return;
        }

        var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var version = list["metadata"]?["resourceVersion"]?.ToString() ?? string.Empty;
        var table = Tables.ToTable(resource, items, version, time.GetUtcNow(), IncludeObject(context.Request));
        await ApiResponses.WriteJsonAsync(context, 200, table).ConfigureAwait(false);
    }

    private async Task WatchAsync(HttpContext context, ResourceType resource, string? ns)
    {
        var request = context.Request;
        var options = RequestReader.ListOptions(request);
        var timeout = RequestReader.Integer(request, "timeoutSeconds");
        var table = ApiResponses.WantsTable(request) ? IncludeObject(request) : null;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        if (timeout is > 0)
        {
            cancel.CancelAfter(TimeSpan.FromSeconds(Math.Min(timeout.Value, int.MaxValue / 1000)));
        }

        var stream = new WatchStream(context, resource, table, time);
        System.Threading.Channels.ChannelReader<WatchEvent> events;
        try
        {
            events = store.Watch(resource, ns, options, cancel.Token);
        }
        catch (ApiException ex) when (ex.Code == 410)
        {
            await stream.WriteAsync(new WatchEvent("ERROR", ex.ToStatus()), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await stream.StartAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            await foreach (var item in events.ReadAllAsync(cancel.Token).ConfigureAwait(false))
            {
                await stream.WriteAsync(item, cancel.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Timeout, client gone or server stopping: the watch simply ends.
        }
    }

    private async Task LogsAsync(HttpContext context, string ns, string pod)
    {
        var request = context.Request;
        var tail = RequestReader.Integer(request, "tailLines");
        var options = new PodLogOptions(
            RequestReader.Single(request, "container") is { Length: > 0 } container ? container : null,
            RequestReader.Flag(request, "follow"),
            tail is null ? null : (int)Math.Min(tail.Value, int.MaxValue),
            RequestReader.Flag(request, "timestamps"),
            RequestReader.Integer(request, "limitBytes"),
            RequestReader.Flag(request, "previous"));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var bodyControl = context.Features.Get<IHttpBodyControlFeature>();
        if (bodyControl is not null)
        {
            bodyControl.AllowSynchronousIO = true;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        await using var output = new FlushingStream(context.Response.Body);
        try
        {
            await podLogs.WriteAsync(ns, pod, options, output, cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Following ended by the client or by the server stopping.
        }
    }

    private static string IncludeObject(HttpRequest request)
    {
        var value = RequestReader.Single(request, "includeObject");
        if (string.IsNullOrEmpty(value))
        {
            return "Metadata";
        }

        return IncludeObjectValues.Contains(value, StringComparer.Ordinal)
            ? value
            : throw ApiException.BadRequest($"includeObject must be one of \"None\", \"Metadata\", \"Object\" (got \"{value}\")");
    }
}
