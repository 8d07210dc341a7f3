using EbpfConsole.Cluster.Config;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Cluster.Tests;

/// <summary>Exec credential plugins as kubectl runs them (real scripts, no server contacted).</summary>
public sealed class ExecCredentialTests : IDisposable
{
    private readonly TempDir _dir = new();

    public ExecCredentialTests()
    {
        _dir.Variables["PATH"] = $"{Path.Combine(_dir.Path, "bin")}:/usr/bin:/bin";
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("client.authentication.k8s.io/v1")]
    [InlineData("client.authentication.k8s.io/v1beta1")]
    public void Open_ExecPluginOnPath_RunsItWithArgumentsEnvAndExecInfo(string apiVersion)
    {
        var record = Path.Combine(_dir.Path, "record");
        _dir.Script("bin/fake-auth", $"""
            printf '%s|' "$@" > {record}
            printf '%s|%s' "$TEAM" "$KUBERNETES_EXEC_INFO" >> {record}
            echo '{"{"}"apiVersion":"{apiVersion}","kind":"ExecCredential","status":{"{"}"token":"tok"{"}"}{"}"}'
            """);
        var file = _dir.Write("k.yaml", ExecKubeconfig(apiVersion, "fake-auth", ["get token", "--x"], "      env:\n      - name: TEAM\n        value: blue\n"));

        using var connection = ClusterConnection.Open(new KubeconfigOptions(file), _dir.Environment);

        Assert.Equal("u", connection.Identity);
        var seen = File.ReadAllText(record);
        Assert.StartsWith("get token|--x|blue|", seen, StringComparison.Ordinal);
        Assert.Contains($"\"apiVersion\":\"{apiVersion}\"", seen, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"ExecCredential\"", seen, StringComparison.Ordinal);
        Assert.Contains("\"interactive\":false", seen, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ExecPluginNotOnPath_NamesTheCommandAndTheInstallHint()
    {
        var file = _dir.Write("k.yaml", ExecKubeconfig("client.authentication.k8s.io/v1", "no-such-auth-plugin", [], "      installHint: install it with brew\n"));

        var ex = Assert.Throws<ClusterUnavailableException>(() => ClusterConnection.Open(new KubeconfigOptions(file), _dir.Environment));

        Assert.Equal($"exec credential plugin 'no-such-auth-plugin' of user 'u' in {file}: not found on PATH (install it with brew)", ex.Message);
    }

    [Fact]
    public void Open_ExecPluginPathRelativeToKubeconfig_IsFound()
    {
        _dir.Script("conf/plugins/auth", """echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}'""");
        var file = _dir.Write("conf/k.yaml", ExecKubeconfig("client.authentication.k8s.io/v1", "./plugins/auth", []));

        using var connection = ClusterConnection.Open(new KubeconfigOptions(file), _dir.Environment);

        Assert.Equal("u", connection.Identity);
    }

    [Fact]
    public void Open_ExecPluginFailing_GivesExitCodeAndLastStderrLine()
    {
        _dir.Script("bin/failing-auth", "echo 'starting' >&2\necho 'error: you must be logged in (run: cloud login)' >&2\nexit 3");
        var file = _dir.Write("k.yaml", ExecKubeconfig("client.authentication.k8s.io/v1", "failing-auth", []));

        var ex = Assert.Throws<ClusterUnavailableException>(() => ClusterConnection.Open(new KubeconfigOptions(file), _dir.Environment));

        Assert.Equal(
            $"exec credential plugin 'failing-auth' of user 'u' in {file} failed with exit code 3: error: you must be logged in (run: cloud login)",
            ex.Message);
    }

    [Fact]
    public void Open_ExecPluginPrintingGarbage_SaysNoExecCredential()
    {
        _dir.Script("bin/chatty-auth", "echo 'hello'");
        var file = _dir.Write("k.yaml", ExecKubeconfig("client.authentication.k8s.io/v1", "chatty-auth", []));

        var ex = Assert.Throws<ClusterUnavailableException>(() => ClusterConnection.Open(new KubeconfigOptions(file), _dir.Environment));

        Assert.StartsWith($"exec credential plugin 'chatty-auth' of user 'u' in {file} printed no ExecCredential JSON", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Open_ExecPluginAnsweringAnotherVersion_SaysBoth()
    {
        _dir.Script("bin/old-auth", """echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}}'""");
        var file = _dir.Write("k.yaml", ExecKubeconfig("client.authentication.k8s.io/v1", "old-auth", []));

        var ex = Assert.Throws<ClusterUnavailableException>(() => ClusterConnection.Open(new KubeconfigOptions(file), _dir.Environment));

        Assert.Equal(
            $"exec credential plugin 'old-auth' of user 'u' in {file} answered with apiVersion 'client.authentication.k8s.io/v1beta1', the kubeconfig asks for 'client.authentication.k8s.io/v1'",
            ex.Message);
    }

    [Fact]
    public void Open_ExecPluginWithoutCredential_SaysWhatIsMissing()
    {
        _dir.Script("bin/empty-auth", """echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"x"}}'""");
        var file = _dir.Write("k.yaml", ExecKubeconfig("client.authentication.k8s.io/v1", "empty-auth", []));

        var ex = Assert.Throws<ClusterUnavailableException>(() => ClusterConnection.Open(new KubeconfigOptions(file), _dir.Environment));

        Assert.EndsWith("returned neither status.token nor status.clientCertificateData and clientKeyData", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ExecPluginTooSlow_IsStoppedAndNamed()
    {
        _dir.Script("bin/slow-auth", "sleep 30");
        var file = _dir.Write("k.yaml", ExecKubeconfig("client.authentication.k8s.io/v1", "slow-auth", []));

        var ex = Assert.Throws<ClusterUnavailableException>(() =>
            ClusterConnection.Open(new KubeconfigOptions(file) { ExecTimeout = TimeSpan.FromMilliseconds(300) }, _dir.Environment));

        Assert.Equal($"exec credential plugin 'slow-auth' of user 'u' in {file}: no answer within 0.3s", ex.Message);
    }

    [Fact]
    public void Open_ExecPluginOfUnsupportedApiVersion_SaysWhichAreSupported()
    {
        var file = _dir.Write("k.yaml", ExecKubeconfig("client.authentication.k8s.io/v1alpha1", "whatever", []));

        var ex = Assert.Throws<ClusterUnavailableException>(() => ClusterConnection.Open(new KubeconfigOptions(file), _dir.Environment));

        Assert.Equal(
            $"exec credential plugin 'whatever' of user 'u' in {file}: apiVersion 'client.authentication.k8s.io/v1alpha1' is not supported; " +
            "use client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1",
            ex.Message);
    }

    [Fact]
    public async Task TokenProvider_ExpiredToken_RunsThePluginAgain()
    {
        var counter = Path.Combine(_dir.Path, "count");
        _dir.Script("bin/counting-auth", $"""
            echo x >> {counter}
            n=$(wc -l < {counter})
            echo "{"{"}\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{"{"}\"token\":\"t$n\",\"expirationTimestamp\":\"2030-01-01T00:00:00Z\"{"}"}{"}"}"
            """);
        var exec = new k8s.KubeConfigModels.ExternalExecution { ApiVersion = "client.authentication.k8s.io/v1", Command = "counting-auth" };
        var plugin = new ExecCredentialPlugin(exec, null, "user 'u'", null, _dir.Variables["PATH"], TimeSpan.FromSeconds(10));
        var time = new FixedTime(new DateTimeOffset(2029, 12, 31, 23, 0, 0, TimeSpan.Zero));
        var provider = new ExecPluginTokenProvider(plugin, await plugin.RunAsync(CancellationToken.None), time);

        var before = await provider.GetAuthenticationHeaderAsync(CancellationToken.None);
        time.Now = new DateTimeOffset(2029, 12, 31, 23, 59, 45, TimeSpan.Zero);
        var after = await provider.GetAuthenticationHeaderAsync(CancellationToken.None);

        Assert.Equal("t1", before.Parameter);
        Assert.Equal("t2", after.Parameter);
    }

    private static string ExecKubeconfig(string apiVersion, string command, string[] args, string extra = "") =>
        "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster:\n    server: https://10.0.0.1:6443\n" +
        "users:\n- name: u\n  user:\n    exec:\n      apiVersion: " + apiVersion + "\n      command: " + command + "\n" +
        (args.Length == 0 ? string.Empty : "      args:\n" + string.Concat(args.Select(a => $"      - \"{a}\"\n"))) +
        extra +
        "contexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n";

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
