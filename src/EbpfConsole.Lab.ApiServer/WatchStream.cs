using System.Text.Json;
using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;
using Microsoft.AspNetCore.Http;

namespace EbpfConsole.Lab.ApiServer;

/// <summary>
/// A watch response: 200, application/json, one <c>{"type":…,"object":…}</c> line per event, flushed per event.
/// With server-side printing each object is a one-row Table (what `kubectl get -w` asks for); ERROR events keep their Status.
/// </summary>
internal sealed class WatchStream(HttpContext context, ResourceType resource, string? tableIncludeObject, TimeProvider time)
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public async Task StartAsync(CancellationToken ct)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = ApiResponses.Json;
            await context.Response.StartAsync(ct).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        }
    }

    public async Task WriteAsync(WatchEvent item, CancellationToken ct)
    {
        await StartAsync(ct).ConfigureAwait(false);
        JsonNode obj = item.Item;
        if (tableIncludeObject is not null && item.Type != "ERROR")
        {
            var version = item.Item["metadata"]?["resourceVersion"]?.ToString() ?? "0";
            obj = Tables.ToTable(resource, [item.Item], version, time.GetUtcNow(), tableIncludeObject);
        }

        var line = new JsonObject { ["type"] = item.Type, ["object"] = obj.DeepClone() };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(line);
        await context.Response.Body.WriteAsync(bytes, ct).ConfigureAwait(false);
        await context.Response.Body.WriteAsync(NewLine, ct).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
    }
}
