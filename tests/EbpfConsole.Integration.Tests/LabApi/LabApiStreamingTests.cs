using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using static EbpfConsole.Integration.Tests.LabApi.LabApiHttpTests;

namespace EbpfConsole.Integration.Tests.LabApi;

/// <summary>Patches, watches, server-side printing and pod logs over HTTPS.</summary>
[Collection(LabApiCollectionDefinition.Name)]
public sealed class LabApiStreamingTests(LabApiFixture fixture)
{
    [Theory]
    [InlineData("application/merge-patch+json", """{"data":{"k":"merged"}}""")]
    [InlineData("application/strategic-merge-patch+json", """{"data":{"k":"merged"}}""")]
    [InlineData("application/json-patch+json", """[{"op":"replace","path":"/data/k","value":"merged"}]""")]
    public async Task Patch_EachType_ChangesTheObject(string contentType, string patch)
    {
        var ns = fixture.NewNamespace("patch");
        using var http = fixture.Http();
        using (var created = await http.PostAsync(Url(ns), Json(ConfigMap("p", ns))))
        {
            await ApiAssert.JsonAsync(created, 201);
        }

        using var response = await http.PatchAsync(Url(ns, "p"), Body(patch, contentType));
        var patched = await ApiAssert.JsonAsync(response);
        Assert.Equal("merged", patched["data"]!["k"]!.ToString());
    }

    [Fact]
    public async Task Patch_DryRun_LeavesTheObjectAlone()
    {
        var ns = fixture.NewNamespace("patchdry");
        using var http = fixture.Http();
        using (var created = await http.PostAsync(Url(ns), Json(ConfigMap("p", ns))))
        {
            await ApiAssert.JsonAsync(created, 201);
        }

        using (var response = await http.PatchAsync(new Uri($"{Url(ns, "p")}?dryRun=All", UriKind.Relative), Body("""{"data":{"k":"dry"}}""", "application/merge-patch+json")))
        {
            Assert.Equal("dry", (await ApiAssert.JsonAsync(response))["data"]!["k"]!.ToString());
        }

        using var get = await http.GetAsync(Url(ns, "p"));
        Assert.Equal("v", (await ApiAssert.JsonAsync(get))["data"]!["k"]!.ToString());
    }

    [Fact]
    public async Task Patch_ServerSideApply_Gets415WithAClearMessage()
    {
        var ns = fixture.NewNamespace("ssa");
        using var http = fixture.Http();
        using (var created = await http.PostAsync(Url(ns), Json(ConfigMap("p", ns))))
        {
            await ApiAssert.JsonAsync(created, 201);
        }

        using var response = await http.PatchAsync(Url(ns, "p"), Body("data: {k: x}", "application/apply-patch+yaml"));
        var status = await ApiAssert.StatusAsync(response, 415, "UnsupportedMediaType");
        Assert.Contains("server-side apply", status["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_MalformedJsonPatch_Gets400()
    {
        var ns = fixture.NewNamespace("badpatch");
        using var http = fixture.Http();
        using (var created = await http.PostAsync(Url(ns), Json(ConfigMap("p", ns))))
        {
            await ApiAssert.JsonAsync(created, 201);
        }

        using var response = await http.PatchAsync(Url(ns, "p"), Body("""{"data": """, "application/merge-patch+json"));
        await ApiAssert.StatusAsync(response, 400, "BadRequest");
    }

    [Fact]
    public async Task Watch_StreamsEventsAsTheyHappen()
    {
        var ns = fixture.NewNamespace("watch");
        using var http = fixture.Http();
        using var list = await http.GetAsync(Url(ns));
        var version = (await ApiAssert.JsonAsync(list))["metadata"]!["resourceVersion"]!.ToString();

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{Url(ns)}?watch=1&resourceVersion={version}&timeoutSeconds=30", UriKind.Relative));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        using (var created = await http.PostAsync(Url(ns), Json(ConfigMap("watched", ns))))
        {
            await ApiAssert.JsonAsync(created, 201);
        }

        var added = await ReadEventAsync(reader);
        Assert.Equal("ADDED", added["type"]!.ToString());
        Assert.Equal("watched", added["object"]!["metadata"]!["name"]!.ToString());

        using (var patched = await http.PatchAsync(Url(ns, "watched"), Body("""{"data":{"k":"changed"}}""", "application/merge-patch+json")))
        {
            await ApiAssert.JsonAsync(patched);
        }

        var modified = await ReadEventAsync(reader);
        Assert.Equal("MODIFIED", modified["type"]!.ToString());
        Assert.Equal("changed", modified["object"]!["data"]!["k"]!.ToString());
    }

    [Fact]
    public async Task Watch_EndsAtTimeoutSeconds()
    {
        var ns = fixture.NewNamespace("watchend");
        using var http = fixture.Http();
        var started = DateTime.UtcNow;
        using var response = await http.GetAsync(new Uri($"{Url(ns)}?watch=true&timeoutSeconds=1", UriKind.Relative));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Watch_TooOldResourceVersion_GivesOneErrorEventWith410()
    {
        var ns = fixture.NewNamespace("watchold");
        using var http = fixture.Http();
        using (var created = await http.PostAsync(Url(ns), Json(ConfigMap("c", ns))))
        {
            await ApiAssert.JsonAsync(created, 201);
        }

        // The history is bounded: push resourceVersion 1 out of it.
        for (var i = 0; i < 1100; i++)
        {
            fixture.Store.Patch(EbpfConsole.Lab.Api.ResourceCatalog.ConfigMaps, ns, "c", EbpfConsole.Lab.Api.PatchType.Merge, $$$"""{"data":{"n":"{{{i}}}"}}""");
        }

        using var response = await http.GetAsync(new Uri($"{Url(ns)}?watch=true&resourceVersion=1&timeoutSeconds=5", UriKind.Relative));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = JsonNode.Parse(Assert.Single(lines))!;
        Assert.Equal("ERROR", error["type"]!.ToString());
        Assert.Equal(410, error["object"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task GetAndList_AsTable_ReturnTables()
    {
        var ns = fixture.NewNamespace("table");
        using var http = fixture.Http();
        using (var created = await http.PostAsync(Url(ns), Json(ConfigMap("t", ns))))
        {
            await ApiAssert.JsonAsync(created, 201);
        }

        foreach (var url in new[] { Url(ns), Url(ns, "t") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io");
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await http.SendAsync(request);
            var table = await ApiAssert.JsonAsync(response);
            Assert.Equal("Table", table["kind"]!.ToString());
            Assert.Equal("meta.k8s.io/v1", table["apiVersion"]!.ToString());
            Assert.Single(table["rows"]!.AsArray());
        }
    }

    [Fact]
    public async Task PodLog_Follow_StreamsLinesAsWritten()
    {
        var ns = fixture.NewNamespace("logs");
        fixture.PodLogs.Add(ns, "web", "first line");
        using var http = fixture.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/namespaces/{ns}/pods/web/log?follow=true&container=nginx&tailLines=10", UriKind.Relative));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("first line", await ReadLineAsync(reader));
        Assert.Equal(new EbpfConsole.Lab.Api.PodLogOptions("nginx", true, 10), fixture.PodLogs.LastOptions);

        fixture.PodLogs.Add(ns, "web", "second line");
        Assert.Equal("second line", await ReadLineAsync(reader));
    }

    [Fact]
    public async Task PodLog_UnknownPod_Gets404Status()
    {
        using var http = fixture.Http();
        using var response = await http.GetAsync(new Uri("/api/v1/namespaces/default/pods/nobody/log", UriKind.Relative));
        await ApiAssert.StatusAsync(response, 404, "NotFound");
    }

    [Fact]
    public async Task PodLog_BadTailLines_Gets400()
    {
        using var http = fixture.Http();
        using var response = await http.GetAsync(new Uri("/api/v1/namespaces/default/pods/any/log?tailLines=many", UriKind.Relative));
        await ApiAssert.StatusAsync(response, 400, "BadRequest");
    }

    [Fact]
    public async Task Restart_KeepsEveryObject()
    {
        var ns = fixture.NewNamespace("restart");
        using (var http = fixture.Http())
        using (var created = await http.PostAsync(Url(ns), Json(ConfigMap("kept", ns))))
        {
            await ApiAssert.JsonAsync(created, 201);
        }

        await fixture.RestartAsync();

        using var again = fixture.Http();
        using var get = await again.GetAsync(Url(ns, "kept"));
        Assert.Equal("v", (await ApiAssert.JsonAsync(get))["data"]!["k"]!.ToString());
    }

    private static async Task<JsonNode> ReadEventAsync(StreamReader reader) =>
        JsonNode.Parse(await ReadLineAsync(reader))!;

    private static async Task<string> ReadLineAsync(StreamReader reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("the stream ended");
    }
}
