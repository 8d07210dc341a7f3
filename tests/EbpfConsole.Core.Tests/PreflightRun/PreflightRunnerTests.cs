using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Tests.PreflightRun;

public sealed class PreflightRunnerTests
{
    [Fact]
    public async Task Run_UnreachableNode_OthersProceed_AndItsSshChecksAreUnknownWithTheReason()
    {
        var shell = new FakeShell { Failures = { ["10.0.0.12"] = "root@10.0.0.12:22: timed out after 3s connecting to 10.0.0.12:22" } };
        using var runner = Runner(FakeCluster.WithNodes("node-1", "node-2", "node-3"), shell);

        var run = await runner.RunAsync(null, CancellationToken.None);

        Assert.Null(run.Error);
        Assert.False(run.Running);
        Assert.All(run.Nodes, n => Assert.Equal(NodeRunState.Done, n.State));
        var down = run.Nodes.Single(n => n.Node == "node-2");
        Assert.Contains("timed out after 3s", down.Failure, StringComparison.Ordinal);
        var kernel = down.Results.Single(r => r.Id == "P2");
        Assert.Equal(Verdict.Unknown, kernel.Verdict);
        Assert.Contains("timed out after 3s", kernel.Reason, StringComparison.Ordinal);
        Assert.All(run.Nodes.Where(n => n.Node != "node-2"), n => Assert.Null(n.Failure));
        Assert.Equal(3, shell.Calls.Count);
        Assert.True(PreflightOutcome.Count(run).Unknown > 0);
        // This cluster has no Calico at all (P1 fails): a definite failure beats missing evidence.
        Assert.Equal(PreflightOutcome.Failed, PreflightOutcome.ExitCode(run));
    }

    [Fact]
    public async Task Run_FanOut_NeverExceedsTheLimit()
    {
        var shell = new FakeShell { Delay = TimeSpan.FromMilliseconds(30) };
        using var runner = Runner(FakeCluster.WithNodes([.. Enumerable.Range(1, 12).Select(i => $"node-{i}")]), shell, parallel: 3);

        var run = await runner.RunAsync(null, CancellationToken.None);

        Assert.Equal(12, run.Nodes.Count(n => n.State == NodeRunState.Done));
        Assert.InRange(shell.MaxConcurrent, 1, 3);
    }

    [Fact]
    public async Task Run_PublishesProgress_AsNodesFinish()
    {
        var shell = new FakeShell();
        using var runner = Runner(FakeCluster.WithNodes("node-1", "node-2"), shell, parallel: 1);
        var seen = new ConcurrentQueue<PreflightSnapshot>();
        runner.Changed += seen.Enqueue;

        await runner.RunAsync(null, CancellationToken.None);

        Assert.Contains(seen, s => s.Running && s.Nodes.Count(n => n.State == NodeRunState.Done) == 1);
        Assert.Contains(seen, s => s.Running && s.Nodes.Any(n => n.State == NodeRunState.Running));
        Assert.Equal("2/2 nodes checked", seen.Last().Progress);
    }

    [Fact]
    public async Task Run_OneNode_KeepsTheOtherNodesResults()
    {
        var shell = new FakeShell();
        using var runner = Runner(FakeCluster.WithNodes("node-1", "node-2"), shell);
        var first = await runner.RunAsync(null, CancellationToken.None);
        var node1Before = first.Nodes.Single(n => n.Node == "node-1");
        shell.Calls.Clear();

        var again = await runner.RunAsync("node-2", CancellationToken.None);

        Assert.Equal(["10.0.0.12"], shell.Calls.ToArray());
        Assert.Same(node1Before, again.Nodes.Single(n => n.Node == "node-1"));
        Assert.Equal(NodeRunState.Done, again.Nodes.Single(n => n.Node == "node-2").State);
    }

    [Fact]
    public async Task Run_UnknownNodeName_SaysWhichNodesExist()
    {
        using var runner = Runner(FakeCluster.WithNodes("node-1", "node-2"), new FakeShell(), nodes: ["node-9"]);

        var run = await runner.RunAsync(null, CancellationToken.None);

        Assert.Equal("node 'node-9' not found; known: node-1, node-2", run.Error);
        Assert.Equal(PreflightOutcome.CouldNotRun, PreflightOutcome.ExitCode(run));
    }

    [Fact]
    public async Task Run_ClusterUnavailable_IsAnErrorNotAnException()
    {
        using var runner = Runner(new FakeCluster(null) { Unavailable = "https://10.0.0.1:6443: connection refused" }, new FakeShell());

        var run = await runner.RunAsync(null, CancellationToken.None);

        Assert.Equal("https://10.0.0.1:6443: connection refused", run.Error);
        Assert.False(run.Running);
        Assert.Equal(PreflightOutcome.CouldNotRun, PreflightOutcome.ExitCode(run));
    }

    [Fact]
    public async Task Run_CheckFilter_KeepsOnlyThoseChecks()
    {
        using var runner = Runner(FakeCluster.WithNodes("node-1"), new FakeShell(), checks: ["P5", "P1"]);

        var run = await runner.RunAsync(null, CancellationToken.None);

        Assert.Equal(["P1"], run.ClusterChecks.Select(c => c.Id).ToArray());
        Assert.Equal(["P5"], run.Nodes.Single().Results.Select(c => c.Id).ToArray());
    }

    [Fact]
    public async Task Run_ShellThatThrows_BecomesThatNodesFailure()
    {
        var shell = new FakeShell { Throw = new InvalidOperationException("channel closed") };
        using var runner = Runner(FakeCluster.WithNodes("node-1"), shell);

        var run = await runner.RunAsync(null, CancellationToken.None);

        Assert.Contains("channel closed", run.Nodes.Single().Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Cancelled_Throws()
    {
        var shell = new FakeShell { Delay = TimeSpan.FromSeconds(30) };
        using var runner = Runner(FakeCluster.WithNodes("node-1"), shell);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(null, cancel.Token));
    }

    [Fact]
    public async Task Run_WindowsNode_IsNotProbedOverSsh_AndP4Fails()
    {
        var shell = new FakeShell();
        var cluster = FakeCluster.WithNodes("node-1", "win-1");
        var facts = await cluster.ReadAsync(CancellationToken.None);
        var windows = facts.Nodes.Items[1];
        windows["metadata"]!["labels"]!["kubernetes.io/os"] = "windows";
        windows["status"]!["nodeInfo"]!["operatingSystem"] = "windows";
        using var runner = Runner(cluster, shell);

        var run = await runner.RunAsync(null, CancellationToken.None);

        Assert.Equal(["10.0.0.11"], shell.Calls.ToArray());
        Assert.Contains("Windows node: not probed", run.Nodes.Single(n => n.Node == "win-1").Failure, StringComparison.Ordinal);
        Assert.Equal(Verdict.Fail, run.ClusterChecks.Single(c => c.Id == "P4").Verdict);
    }

    [Fact]
    public void ExitCode_UnknownWithoutFail_IsCouldNotRun_AndPassWarnIsReady()
    {
        static CheckResult R(Verdict v) => new("P2", "kernel", CheckScope.Node, "node-1", v, "why", "evidence", null);
        var ready = new PreflightSnapshot(null, [R(Verdict.Pass)], [new NodePreflight("node-1", "10.0.0.11", NodeRunState.Done, [R(Verdict.Warn)])], false);
        var unknown = ready with { Nodes = [new NodePreflight("node-1", "10.0.0.11", NodeRunState.Done, [R(Verdict.Unknown)])] };
        var failed = unknown with { ClusterChecks = [R(Verdict.Fail)] };

        Assert.Equal(PreflightOutcome.Ready, PreflightOutcome.ExitCode(ready));
        Assert.Equal(PreflightOutcome.CouldNotRun, PreflightOutcome.ExitCode(unknown));
        Assert.Equal(PreflightOutcome.Failed, PreflightOutcome.ExitCode(failed));
        Assert.Equal(PreflightOutcome.CouldNotRun, PreflightOutcome.ExitCode(ready with { Error = "API down" }));
    }

    private static PreflightRunner Runner(IClusterReader cluster, INodeShell shell, int parallel = 8, string[]? nodes = null, string[]? checks = null) =>
        new(cluster, shell, n => n.InternalIp is { } ip ? new NodeTarget(n.Name, ip) : null, TimeProvider.System, new PreflightOptions
        {
            MaxParallelNodes = parallel,
            NodeTimeout = TimeSpan.FromSeconds(5),
            Nodes = nodes?.ToHashSet(),
            Checks = checks?.ToHashSet(),
        });
}

/// <summary>A cluster with N Linux nodes at 10.0.0.11…; little else, so most API checks have something to say.</summary>
internal sealed class FakeCluster(ClusterFacts? facts) : IClusterReader
{
    public string? Unavailable { get; init; }

    public static FakeCluster WithNodes(params string[] names) => new(new ClusterFacts
    {
        Server = "https://10.0.0.1:6443",
        Nodes = new ApiList("nodes", [.. names.Select((n, i) => Node(n, $"10.0.0.{11 + i}"))]),
        Installation = ApiObject.Missing("installations.operator.tigera.io default"),
        CalicoNodeDaemonSet = ApiObject.Missing("daemonsets kube-system/calico-node"),
        KubeProxyDaemonSet = ApiObject.Missing("daemonsets kube-system/kube-proxy"),
        KubeProxyConfigMap = ApiObject.Missing("configmaps kube-system/kube-proxy"),
        KubernetesEndpoints = ApiObject.Missing("endpoints default/kubernetes"),
        ServicesEndpointConfigMap = ApiObject.Missing("configmaps kube-system/kubernetes-services-endpoint"),
        CalicoConfigMap = ApiObject.Missing("configmaps kube-system/calico-config"),
        FelixConfigurations = new ApiList("felixconfigurations.crd.projectcalico.org", []),
        IpPools = new ApiList("ippools.crd.projectcalico.org", []),
        ServedGroupVersions = new HashSet<string> { "v1", "apps/v1", "crd.projectcalico.org/v1" },
    });

    public Task<ClusterFacts> ReadAsync(CancellationToken cancellationToken) =>
        Unavailable is { } why ? Task.FromException<ClusterFacts>(new ClusterUnavailableException(why)) : Task.FromResult(facts!);

    private static JsonObject Node(string name, string ip) => JsonNode.Parse($$$"""
        {"metadata":{"name":"{{{name}}}","labels":{"kubernetes.io/os":"linux"},"annotations":{"projectcalico.org/IPv4Address":"{{{ip}}}/24"}},
         "status":{"addresses":[{"type":"InternalIP","address":"{{{ip}}}"}],
                   "nodeInfo":{"kernelVersion":"6.8.0-45-generic","osImage":"Ubuntu 24.04","architecture":"amd64","operatingSystem":"linux"} } }
        """)!.AsObject();
}

/// <summary>Answers every probe with a run that printed only the kernel section, or the configured failure; counts concurrency.</summary>
internal sealed class FakeShell : INodeShell
{
    private const string KernelOnly = "@@ebpf-console:section kernel@@ uname -r\n6.8.0-45-generic\n@@ebpf-console:exit kernel 0@@\n@@ebpf-console:end@@\n";

    private int _running;

    public Dictionary<string, string> Failures { get; } = [];

    public ConcurrentQueue<string> Calls { get; } = new();

    public TimeSpan Delay { get; init; }

    public Exception? Throw { get; init; }

    public int MaxConcurrent { get; private set; }

    public async Task<ShellResult> RunAsync(NodeTarget target, string script, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Calls.Enqueue(target.Address);
        var now = Interlocked.Increment(ref _running);
        lock (Calls)
        {
            MaxConcurrent = Math.Max(MaxConcurrent, now);
        }

        try
        {
            await Task.Delay(Delay, cancellationToken);
            if (Throw is not null)
            {
                throw Throw;
            }

            return Failures.TryGetValue(target.Address, out var failure)
                ? new ShellResult(null, "", "", failure)
                : new ShellResult(0, KernelOnly, "");
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
