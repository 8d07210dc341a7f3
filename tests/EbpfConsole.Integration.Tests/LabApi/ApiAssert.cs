using System.Text.Json.Nodes;

namespace EbpfConsole.Integration.Tests.LabApi;

internal static class ApiAssert
{
    /// <summary>Asserts a Status answer with <paramref name="code"/> and <paramref name="reason"/>; returns it.</summary>
    public static async Task<JsonObject> StatusAsync(HttpResponseMessage response, int code, string reason)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == code, $"expected HTTP {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var status = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("Status", status["kind"]?.ToString());
        Assert.Equal("v1", status["apiVersion"]?.ToString());
        Assert.Equal("Failure", status["status"]?.ToString());
        Assert.Equal(reason, status["reason"]?.ToString());
        Assert.Equal(code, status["code"]?.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(status["message"]?.ToString()));
        Assert.DoesNotContain('\n', status["message"]!.ToString());
        return status;
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response, int code = 200)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == code, $"expected HTTP {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(50);
        }
    }
}
