using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace EbpfConsole.Integration.Tests.LabApi;

/// <summary>The emulated API server over HTTPS with a plain HttpClient: authentication, verbs, Status errors.</summary>
[Collection(LabApiCollectionDefinition.Name)]
public sealed class LabApiHttpTests(LabApiFixture fixture)
{
    [Fact]
    public async Task Request_WithoutClientCertificate_Gets401Status()
    {
        using var http = fixture.Http(withClientCertificate: false);
        using var response = await http.GetAsync(new Uri("/api/v1/namespaces", UriKind.Relative));
        var status = await ApiAssert.StatusAsync(response, 401, "Unauthorized");
        Assert.Equal("Unauthorized", status["message"]?.ToString());
    }

    [Fact]
    public async Task Request_WithForeignClientCertificate_Gets401Status()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=kubernetes-admin, O=system:masters", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(EbpfConsole.Lab.ApiServer.LabPki.ClientAuthOid)], false));
        using var foreign = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var http = fixture.Http(clientCertificate: foreign);
        using var response = await http.GetAsync(new Uri("/api/v1/namespaces", UriKind.Relative));
        await ApiAssert.StatusAsync(response, 401, "Unauthorized");
    }

    [Fact]
    public async Task Healthz_AnswersOkAsText()
    {
        using var http = fixture.Http();
        using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/v1/widgets")]
    [InlineData("/apis/example.com/v1/things")]
    [InlineData("/api/v1/pods/no-namespace-given")]
    [InlineData("/api/v1/namespaces/default/pods/p/nosuchsubresource")]
    [InlineData("/openapi/v2")]
    [InlineData("/nothing/here")]
    public async Task UnknownUrl_Gets404StatusNotFound(string url)
    {
        using var http = fixture.Http();
        using var response = await http.GetAsync(new Uri(url, UriKind.Relative));
        var status = await ApiAssert.StatusAsync(response, 404, "NotFound");
        Assert.Equal("the server could not find the requested resource", status["message"]?.ToString());
    }

    [Fact]
    public async Task Create_MalformedJson_Gets400BadRequest()
    {
        var ns = fixture.NewNamespace("bad-json");
        using var http = fixture.Http();
        using var response = await http.PostAsync(Url(ns), Body("{\"metadata\": {\"name\": \"x\"", "application/json"));
        var status = await ApiAssert.StatusAsync(response, 400, "BadRequest");
        Assert.Contains("not valid JSON", status["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_MalformedYaml_Gets400BadRequest()
    {
        var ns = fixture.NewNamespace("bad-yaml");
        using var http = fixture.Http();
        using var response = await http.PostAsync(Url(ns), Body("metadata:\n  name: [unclosed\n", "application/yaml"));
        var status = await ApiAssert.StatusAsync(response, 400, "BadRequest");
        Assert.Contains("not valid YAML", status["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WrongContentType_Gets415()
    {
        var ns = fixture.NewNamespace("ctype");
        using var http = fixture.Http();
        using var response = await http.PostAsync(Url(ns), Body(ConfigMap("x", ns).ToJsonString(), "text/plain"));
        await ApiAssert.StatusAsync(response, 415, "UnsupportedMediaType");
    }

    [Fact]
    public async Task Create_YamlBody_CreatesTheObject()
    {
        var ns = fixture.NewNamespace("yaml");
        var yaml = $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: from-yaml   # a comment
              namespace: {ns}
              labels: {"{"}app: demo, tier: "web"{"}"}
            data:
              KUBERNETES_SERVICE_HOST: "10.99.0.1"
              KUBERNETES_SERVICE_PORT: '6443'
              script: |
                line one
                line two
            """;
        using var http = fixture.Http();
        using var response = await http.PostAsync(Url(ns), Body(yaml + "\n", "application/yaml"));
        var created = await ApiAssert.JsonAsync(response, 201);
        Assert.Equal("10.99.0.1", created["data"]!["KUBERNETES_SERVICE_HOST"]!.ToString());
        Assert.Equal("6443", created["data"]!["KUBERNETES_SERVICE_PORT"]!.ToString());
        Assert.Equal("line one\nline two\n", created["data"]!["script"]!.ToString());
        Assert.Equal("web", created["metadata"]!["labels"]!["tier"]!.ToString());
    }

    [Fact]
    public async Task Create_Twice_Gets409AlreadyExists()
    {
        var ns = fixture.NewNamespace("dup");
        using var http = fixture.Http();
        using (var first = await http.PostAsync(Url(ns), Json(ConfigMap("twice", ns))))
        {
            await ApiAssert.JsonAsync(first, 201);
        }

        using var second = await http.PostAsync(Url(ns), Json(ConfigMap("twice", ns)));
        var status = await ApiAssert.StatusAsync(second, 409, "AlreadyExists");
        Assert.Equal("twice", status["details"]!["name"]!.ToString());
        Assert.Equal("configmaps", status["details"]!["kind"]!.ToString());
    }

    [Fact]
    public async Task Create_NamespaceMismatch_Gets400()
    {
        var ns = fixture.NewNamespace("nsmis");
        using var http = fixture.Http();
        using var response = await http.PostAsync(Url(ns), Json(ConfigMap("x", "some-other-namespace")));
        await ApiAssert.StatusAsync(response, 400, "BadRequest");
    }

    [Fact]
    public async Task Create_InUnknownNamespace_Gets404()
    {
        using var http = fixture.Http();
        using var response = await http.PostAsync(Url("no-such-namespace"), Json(ConfigMap("x", "no-such-namespace")));
        await ApiAssert.StatusAsync(response, 404, "NotFound");
    }

    [Fact]
    public async Task Create_InvalidName_Gets422Invalid()
    {
        var ns = fixture.NewNamespace("invalid");
        using var http = fixture.Http();
        using var response = await http.PostAsync(Url(ns), Json(ConfigMap("Not_A_Valid_Name", ns)));
        var status = await ApiAssert.StatusAsync(response, 422, "Invalid");
        Assert.NotEmpty(status["details"]!["causes"]!.AsArray());
    }

    [Fact]
    public async Task Update_WithStaleResourceVersion_Gets409Conflict()
    {
        var ns = fixture.NewNamespace("stale");
        using var http = fixture.Http();
        using var created = await http.PostAsync(Url(ns), Json(ConfigMap("cm", ns)));
        var original = await ApiAssert.JsonAsync(created, 201);

        var first = original.DeepClone().AsObject();
        first["data"]!["k"] = "first";
        using (var ok = await http.PutAsync(Url(ns, "cm"), Json(first)))
        {
            var updated = await ApiAssert.JsonAsync(ok);
            Assert.NotEqual(original["metadata"]!["resourceVersion"]!.ToString(), updated["metadata"]!["resourceVersion"]!.ToString());
        }

        var stale = original.DeepClone().AsObject();
        stale["data"]!["k"] = "second";
        using var conflict = await http.PutAsync(Url(ns, "cm"), Json(stale));
        var status = await ApiAssert.StatusAsync(conflict, 409, "Conflict");
        Assert.Contains("the object has been modified", status["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_NameMismatch_Gets400()
    {
        var ns = fixture.NewNamespace("namemis");
        using var http = fixture.Http();
        using var response = await http.PutAsync(Url(ns, "one"), Json(ConfigMap("two", ns)));
        await ApiAssert.StatusAsync(response, 400, "BadRequest");
    }

    [Fact]
    public async Task Create_DryRunAll_AnswersButStoresNothing()
    {
        var ns = fixture.NewNamespace("dry");
        using var http = fixture.Http();
        using (var response = await http.PostAsync(new Uri($"{Url(ns)}?dryRun=All", UriKind.Relative), Json(ConfigMap("dry", ns))))
        {
            var answered = await ApiAssert.JsonAsync(response, 201);
            Assert.Equal("dry", answered["metadata"]!["name"]!.ToString());
        }

        using var get = await http.GetAsync(Url(ns, "dry"));
        await ApiAssert.StatusAsync(get, 404, "NotFound");
    }

    [Theory]
    [InlineData("dryRun=Some")]
    [InlineData("fieldValidation=Paranoid")]
    public async Task Create_BadQueryValue_Gets400(string query)
    {
        var ns = fixture.NewNamespace("query");
        using var http = fixture.Http();
        using var response = await http.PostAsync(new Uri($"{Url(ns)}?{query}", UriKind.Relative), Json(ConfigMap("q", ns)));
        await ApiAssert.StatusAsync(response, 400, "BadRequest");
    }

    [Theory]
    [InlineData("Strict")]
    [InlineData("Warn")]
    [InlineData("Ignore")]
    public async Task Create_FieldValidationValues_AreAccepted(string value)
    {
        var ns = fixture.NewNamespace("fv");
        using var http = fixture.Http();
        using var response = await http.PostAsync(new Uri($"{Url(ns)}?fieldValidation={value}", UriKind.Relative), Json(ConfigMap("fv", ns)));
        await ApiAssert.JsonAsync(response, 201);
    }

    [Fact]
    public async Task Delete_ReturnsTheObject_AndPreconditionMismatchIs409()
    {
        var ns = fixture.NewNamespace("del");
        using var http = fixture.Http();
        using (var created = await http.PostAsync(Url(ns), Json(ConfigMap("gone", ns))))
        {
            await ApiAssert.JsonAsync(created, 201);
        }

        var options = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["preconditions"] = new JsonObject { ["resourceVersion"] = "1" } };
        using (var refused = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, Url(ns, "gone")) { Content = Json(options) }))
        {
            await ApiAssert.StatusAsync(refused, 409, "Conflict");
        }

        using var deleted = await http.DeleteAsync(Url(ns, "gone"));
        var body = await ApiAssert.JsonAsync(deleted);
        Assert.Equal("gone", body["metadata"]!["name"]!.ToString());
        using var get = await http.GetAsync(Url(ns, "gone"));
        await ApiAssert.StatusAsync(get, 404, "NotFound");
    }

    [Fact]
    public async Task DeleteCollection_WithLabelSelector_DeletesOnlyMatches()
    {
        var ns = fixture.NewNamespace("delcol");
        using var http = fixture.Http();
        foreach (var (name, app) in new[] { ("a", "x"), ("b", "x"), ("c", "y") })
        {
            var cm = ConfigMap(name, ns);
            cm["metadata"]!["labels"] = new JsonObject { ["app"] = app };
            using var created = await http.PostAsync(Url(ns), Json(cm));
            await ApiAssert.JsonAsync(created, 201);
        }

        using var deleted = await http.DeleteAsync(new Uri($"{Url(ns)}?labelSelector=app%3Dx", UriKind.Relative));
        var list = await ApiAssert.JsonAsync(deleted);
        Assert.Equal(["a", "b"], list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()).Order());
        using var left = await http.GetAsync(Url(ns));
        Assert.Equal(["c"], (await ApiAssert.JsonAsync(left))["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()));
    }

    [Fact]
    public async Task List_WithLabelAndFieldSelectors_Filters()
    {
        var ns = fixture.NewNamespace("sel");
        using var http = fixture.Http();
        foreach (var (name, app) in new[] { ("one", "web"), ("two", "web"), ("three", "db") })
        {
            var cm = ConfigMap(name, ns);
            cm["metadata"]!["labels"] = new JsonObject { ["app"] = app };
            using var created = await http.PostAsync(Url(ns), Json(cm));
            await ApiAssert.JsonAsync(created, 201);
        }

        using var byLabel = await http.GetAsync(new Uri($"{Url(ns)}?labelSelector=app%20in%20(web)", UriKind.Relative));
        var labelled = await ApiAssert.JsonAsync(byLabel);
        Assert.Equal("ConfigMapList", labelled["kind"]!.ToString());
        Assert.Equal(["one", "two"], labelled["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()).Order());

        using var byField = await http.GetAsync(new Uri($"{Url(ns)}?fieldSelector=metadata.name%3Dthree", UriKind.Relative));
        Assert.Equal(["three"], (await ApiAssert.JsonAsync(byField))["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()));
    }

    internal static Uri Url(string ns, string? name = null) =>
        new(name is null ? $"/api/v1/namespaces/{ns}/configmaps" : $"/api/v1/namespaces/{ns}/configmaps/{name}", UriKind.Relative);

    internal static JsonObject ConfigMap(string name, string ns) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { ["k"] = "v" },
    };

    internal static StringContent Json(JsonNode body) => Body(body.ToJsonString(), "application/json");

    internal static StringContent Body(string text, string mediaType)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }
}
