using System.Text;
using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;
using static EbpfConsole.Lab.Tests.Cluster.ClusterBed;

namespace EbpfConsole.Lab.Tests.Cluster;

public sealed class PodLogTests : IDisposable
{
    private readonly ClusterBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private async Task<string> LogsAsync(string ns, string pod, PodLogOptions options)
    {
        using var output = new MemoryStream();
        await _bed.Controller.WriteAsync(ns, pod, options, output, CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private async Task<JsonObject> CalicoNodeOnNode1Async()
    {
        await _bed.SettleAsync();
        return _bed.Pods(selector: "k8s-app=calico-node").First(p => Str(p, "spec.nodeName") == "node-1");
    }

    [Fact]
    public async Task CalicoNodeLog_HasFelixLinesWithoutTimestampPrefix()
    {
        var pod = await CalicoNodeOnNode1Async();

        var text = await LogsAsync("kube-system", Name(pod), new PodLogOptions());

        var first = text.Split('\n')[0];
        Assert.StartsWith("2026-11-27 12:00:", first, StringComparison.Ordinal);
        Assert.Contains("[INFO][58] felix/daemon.go 375: Kubernetes server override env vars. KUBERNETES_SERVICE_HOST=\"10.96.0.1\"", first, StringComparison.Ordinal);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timestamps_PrefixEachLineWithRfc3339Nano()
    {
        var pod = await CalicoNodeOnNode1Async();

        var text = await LogsAsync("kube-system", Name(pod), new PodLogOptions(Timestamps: true));

        Assert.All(text.TrimEnd('\n').Split('\n'), l => Assert.Matches(@"^2026-11-27T12:00:\d\d\.\d{9}Z 2026-11-27 ", l));
    }

    [Fact]
    public async Task TailLines_ReturnsTheLastLinesOnly()
    {
        var pod = await CalicoNodeOnNode1Async();
        var all = (await LogsAsync("kube-system", Name(pod), new PodLogOptions())).TrimEnd('\n').Split('\n');

        var tail = await LogsAsync("kube-system", Name(pod), new PodLogOptions(TailLines: 2));

        Assert.Equal(string.Join('\n', all[^2..]) + "\n", tail);
        Assert.Equal(string.Empty, await LogsAsync("kube-system", Name(pod), new PodLogOptions(TailLines: 0)));
    }

    [Fact]
    public async Task LimitBytes_CutsTheOutput()
    {
        var pod = await CalicoNodeOnNode1Async();

        var text = await LogsAsync("kube-system", Name(pod), new PodLogOptions(LimitBytes: 10));

        Assert.Equal(10, Encoding.UTF8.GetByteCount(text));
    }

    [Fact]
    public async Task KubeProxyLog_SaysWhichProxier()
    {
        await _bed.SettleAsync();
        var pod = _bed.Pods(selector: "k8s-app=kube-proxy")[0];

        var text = await LogsAsync("kube-system", Name(pod), new PodLogOptions());

        Assert.Contains("\"Using iptables Proxier\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownPod_IsNotFound()
    {
        var ex = await Assert.ThrowsAsync<ApiException>(() => LogsAsync("kube-system", "nope", new PodLogOptions()));

        Assert.Equal(404, ex.Code);
        Assert.Equal("pods \"nope\" not found", ex.Message);
    }

    [Fact]
    public async Task SeveralContainers_NoContainerGiven_IsBadRequestNamingThem()
    {
        await _bed.SettleAsync();
        _bed.Store.Create(ResourceCatalog.Pods, "default", (JsonObject)JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"two","namespace":"default"},
             "spec":{"nodeName":"node-1","containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}
            """)!);

        var ex = await Assert.ThrowsAsync<ApiException>(() => LogsAsync("default", "two", new PodLogOptions()));
        Assert.Equal(400, ex.Code);
        Assert.Equal("a container name must be specified for pod two, choose one of: [a b]", ex.Message);

        var wrong = await Assert.ThrowsAsync<ApiException>(() => LogsAsync("default", "two", new PodLogOptions(Container: "c")));
        Assert.Equal(400, wrong.Code);
        Assert.Equal(string.Empty, await LogsAsync("default", "two", new PodLogOptions(Container: "b")));
    }

    [Fact]
    public async Task NginxPod_ServesTheRealAccessLog_FollowsItUntilThePodIsDeleted()
    {
        await _bed.SettleAsync();
        _bed.Store.Create(ResourceCatalog.Deployments, "default", WorkloadPlannerTests.Nginx());
        await _bed.SettleAsync();
        var pod = Assert.Single(_bed.Pods("default", "app=nginx"));
        Directory.CreateDirectory(_bed.Paths.NginxDir);
        File.WriteAllText(_bed.Paths.AccessLogPath, "10.99.0.11 - - [27/Nov/2026:12:00:01 +0000] \"GET / HTTP/1.1\" 200 615 \"-\" \"curl/7.88.1\"\n");

        var stamped = await LogsAsync("default", Name(pod), new PodLogOptions(Timestamps: true));
        Assert.StartsWith("2026-11-27T12:00:01.000000000Z 10.99.0.11 - - ", stamped, StringComparison.Ordinal);

        using var output = new SharedStream();
        var follow = _bed.Controller.WriteAsync("default", Name(pod), new PodLogOptions(Follow: true), output, CancellationToken.None);
        await Until(() => output.Text.Contains("10.99.0.11 - -", StringComparison.Ordinal));
        File.AppendAllText(_bed.Paths.AccessLogPath, "10.99.0.100 - - [27/Nov/2026:12:00:02 +0000] \"GET / HTTP/1.1\" 200 615 \"-\" \"curl/7.88.1\"\n");
        await Until(() => output.Text.Contains("10.99.0.100 - -", StringComparison.Ordinal));
        Assert.False(follow.IsCompleted);

        _bed.Store.Delete(ResourceCatalog.Pods, "default", Name(pod));
        await follow.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task NginxPod_LogStartsWhenThePodStarted_NotWithEarlierAccessLogLines()
    {
        await _bed.SettleAsync();
        Directory.CreateDirectory(_bed.Paths.NginxDir);
        File.WriteAllText(_bed.Paths.AccessLogPath, "10.99.0.11 - - [27/Nov/2026:11:00:01 +0000] \"GET / HTTP/1.1\" 200 615 \"-\" \"curl/7.88.1\"\n");
        _bed.Store.Create(ResourceCatalog.Deployments, "default", WorkloadPlannerTests.Nginx());
        await _bed.SettleAsync();
        var pod = Assert.Single(_bed.Pods("default", "app=nginx"));
        File.AppendAllText(_bed.Paths.AccessLogPath, "10.99.0.100 - - [27/Nov/2026:12:00:02 +0000] \"GET / HTTP/1.1\" 200 615 \"-\" \"curl/7.88.1\"\n");

        var log = await LogsAsync("default", Name(pod), new PodLogOptions());

        Assert.StartsWith("10.99.0.100 - -", log, StringComparison.Ordinal);
        Assert.DoesNotContain("10.99.0.11 - -", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_EndsQuietlyWhenCancelled()
    {
        var pod = await CalicoNodeOnNode1Async();
        using var cts = new CancellationTokenSource();
        using var output = new SharedStream();

        var follow = _bed.Controller.WriteAsync("kube-system", Name(pod), new PodLogOptions(Follow: true), output, cts.Token);
        await Until(() => output.Text.Length > 0);
        await cts.CancelAsync();

        await follow.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(follow.IsCompletedSuccessfully);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(20);
        }
    }

    /// <summary>A write-only stream a test can read while another task writes.</summary>
    private sealed class SharedStream : Stream
    {
        private readonly Lock _lock = new();
        private readonly StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_lock)
                {
                    return _text.ToString();
                }
            }
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (_lock)
            {
                _text.Append(Encoding.UTF8.GetString(buffer, offset, count));
            }
        }
    }
}
