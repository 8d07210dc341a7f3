using System.Globalization;
using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Migration.Journal;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Core.Tests.Preflight;

namespace EbpfConsole.Core.Tests.Migration;

/// <summary>
/// One test cluster: the preflight facts and results, the target derived from them, and a <see cref="FakeMigrationApi"/>
/// seeded with the same objects plus running pods (calico-node and kube-proxy on every node, kube-dns, calico-kube-controllers
/// on manifest installs) on a <see cref="JumpingClock"/>.
/// </summary>
internal sealed class TestCluster
{
    public static readonly ObjectRef KubernetesEndpoints = new("v1", "endpoints", "default", "kubernetes", "Endpoints");

    public TestCluster(string name, ClusterFacts facts, IReadOnlyList<CheckResult> results)
    {
        Name = name;
        Facts = facts;
        Results = results;
        Clock = new JumpingClock();
        Api = new FakeMigrationApi(Clock);
        Target = MigrationTargets.From(facts, results, "test");
        Seed();
    }

    public string Name { get; }

    public ClusterFacts Facts { get; }

    public IReadOnlyList<CheckResult> Results { get; }

    public MigrationTarget Target { get; }

    public JumpingClock Clock { get; }

    public FakeMigrationApi Api { get; }

    /// <summary>When the seeded pods started (an hour before the clock's start).</summary>
    public DateTimeOffset PodsStarted => Clock.GetUtcNow().AddHours(-1);

    /// <summary>Progress lines reported by steps through <see cref="Context"/>.</summary>
    public List<string> Progress { get; } = [];

    public StepContext Context(
        JournalState? journal = null,
        MigrationOptions? options = null,
        INodeShell? nodes = null,
        Func<string, NodeTarget?>? nodeTarget = null,
        MigrationTarget? target = null) =>
        new(Api, target ?? Target, journal ?? JournalState.Empty, Clock,
            options ?? new MigrationOptions(VerifyTimeout: TimeSpan.FromSeconds(180), PollInterval: TimeSpan.FromSeconds(1)),
            new SyncProgress(Progress), nodes, nodeTarget);

    /// <summary>A Felix log line as calico-node prints it, stamped <paramref name="at"/>.</summary>
    public static string FelixLine(DateTimeOffset at, string message, string level = "INFO") =>
        $"{at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)} [{level}][58] felix/daemon.go 375: {message}";

    public static string OverrideLine(string host, string port) =>
        $"Kubernetes server override env vars. KUBERNETES_SERVICE_HOST=\"{host}\" KUBERNETES_SERVICE_PORT=\"{port}\"";

    /// <summary>(Re)creates a calico-node pod per node, created at <paramref name="created"/>, logging <paramref name="messages"/>.</summary>
    public void CalicoNodePods(DateTimeOffset created, string? notReady = null, params string[] messages)
    {
        foreach (var (ref_, _) in Api.All("v1", "pods").Where(p => p.Json["metadata"]?["labels"]?["k8s-app"]?.GetValue<string>() == "calico-node"))
        {
            Api.Remove(ref_);
        }

        foreach (var (node, i) in Target.Nodes.Select((n, i) => (n, i)))
        {
            Api.AddPod(Target.CalicoNamespace, $"calico-node-{(char)('a' + i)}{created.Second:00}", "k8s-app=calico-node", node, created, notReady,
                string.Join('\n', messages.Select(m => FelixLine(created.AddSeconds(1), m))) + "\n");
        }
    }

    private void Seed()
    {
        void PutFound(ObjectRef target, ApiObject obj)
        {
            if (obj.Json is { } json)
            {
                Api.Put(target, json);
            }
        }

        PutFound(MigrationObjects.KubeProxyDaemonSet, Facts.KubeProxyDaemonSet);
        PutFound(MigrationObjects.KubeProxyConfigMap, Facts.KubeProxyConfigMap);
        PutFound(MigrationObjects.CalicoNodeDaemonSet(Target), Facts.CalicoNodeDaemonSet);
        PutFound(MigrationObjects.ServicesEndpointConfigMap(Target), Facts.ServicesEndpointConfigMap);
        PutFound(MigrationObjects.Installation, Facts.Installation);
        PutFound(KubernetesEndpoints, Facts.KubernetesEndpoints);
        if (Facts.FelixConfigurations.Items.FirstOrDefault(f => f["metadata"]?["name"]?.GetValue<string>() == "default") is { } felix)
        {
            Api.Put(Target.FelixDefault, felix);
        }

        var started = PodsStarted;
        CalicoNodePods(started, null, OverrideLine("10.96.0.1", "443"), "Successfully loaded configuration. bpfEnabled=false");
        foreach (var (node, i) in Target.Nodes.Select((n, i) => (n, i)))
        {
            Api.AddPod("kube-system", $"kube-proxy-{(char)('a' + i)}", "k8s-app=kube-proxy", node, started);
        }

        Api.AddPod("kube-system", "coredns-1", "k8s-app=kube-dns", Target.Nodes[0], started);
        if (Target.Install == InstallKind.Manifest)
        {
            Api.AddPod("kube-system", "calico-kube-controllers-1", "k8s-app=calico-kube-controllers", Target.Nodes[^1], started);
        }
    }

    /// <summary>Records progress synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines)
            {
                lines.Add(value);
            }
        }
    }
}

/// <summary>The clusters migration tests start from: healthy manifest, operator v3.29 / v3.31, kube-proxy in ipvs mode, managed kube-proxy.</summary>
internal static class TestClusters
{
    public static TestCluster Healthy() => Make("healthy", Facts.Cluster());

    public static TestCluster Operator329() => Make("operator-3.29", Operator("v3.29.3"));

    public static TestCluster Operator331() => Make("operator-3.31", Operator("v3.31.0"));

    /// <summary>kube-proxy ConfigMap mode: ipvs and kube-ipvs0 on every node (P10 fails).</summary>
    public static TestCluster Ipvs() => Make("ipvs", Facts.Cluster() with { KubeProxyConfigMap = Facts.KubeProxyConfigMap(mode: "ipvs") }, ipvsLinks: true);

    /// <summary>kube-proxy under the addon manager (P11 warns).</summary>
    public static TestCluster ManagedKubeProxy() => Make("managed-kube-proxy",
        Facts.Cluster() with { KubeProxyDaemonSet = Facts.KubeProxyDaemonSet(labels: """{"k8s-app": "kube-proxy", "addonmanager.kubernetes.io/mode": "Reconcile"}""") });

    /// <summary>Cluster checks plus node checks of healthy node probes (with kube-ipvs0 when asked).</summary>
    public static IReadOnlyList<CheckResult> Evaluate(ClusterFacts facts, bool ipvsLinks = false)
    {
        var results = PreflightRules.EvaluateCluster(facts).ToList();
        foreach (var node in facts.Nodes.Items)
        {
            var name = node["metadata"]!["name"]!.GetValue<string>();
            var ip = node["status"]!["addresses"]![0]!["address"]!.GetValue<string>();
            var outputs = ipvsLinks
                ? Facts.NodeOutputs(name, ip, ("kube-ipvs0", new ProbeOutput("ip link show kube-ipvs0", 0, "5: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN")))
                : Facts.NodeOutputs(name, ip);
            results.AddRange(PreflightRules.EvaluateNode(facts, outputs));
        }

        return results;
    }

    public static ClusterFacts Operator(string version) => Facts.Cluster() with
    {
        Installation = new ApiObject("installations.operator.tigera.io default", Facts.Json(
            $$$"""{"apiVersion": "operator.tigera.io/v1", "kind": "Installation", "metadata": {"name": "default"}, "spec": {"variant": "Calico", "calicoNetwork": {"linuxDataplane": "Iptables"}}, "status": {"calicoVersion": "{{{version}}}"}}""")),
        CalicoNodeDaemonSet = Facts.CalicoNode(image: $"quay.io/calico/node:{version}", ns: "calico-system", envFrom: "[]"),
        ServicesEndpointConfigMap = ApiObject.Missing("configmaps tigera-operator/kubernetes-services-endpoint"),
    };

    /// <summary>A journal replayed from entries; Seq is assigned in order.</summary>
    public static JournalState Journal(params JournalEntry[] entries) =>
        JournalState.Replay(entries.Select((e, i) => e with { Seq = i + 1 }).ToList());

    /// <summary>An apply (or rollback) of <paramref name="step"/> that began at <paramref name="at"/> and ended applied 5 s later.</summary>
    public static JournalEntry[] Applied(StepId step, DateTimeOffset at, JournalOp op = JournalOp.Apply) =>
    [
        new() { Seq = 0, At = at, Type = JournalEntryType.StepBegin, Step = step, Op = op },
        new() { Seq = 0, At = at.AddSeconds(5), Type = JournalEntryType.StepEnd, Step = step, Op = op, Outcome = op == JournalOp.Apply ? "applied" : "rolled-back" },
    ];

    /// <summary>M0's snapshot of <paramref name="refs"/> taken at <paramref name="at"/> from <paramref name="api"/>.</summary>
    public static JournalEntry[] Snapshot(FakeMigrationApi api, IEnumerable<ObjectRef> refs, DateTimeOffset at) =>
        refs.Select(r => new JournalEntry { Seq = 0, At = at, Type = JournalEntryType.Snapshot, Step = StepId.M0, Target = r, Before = api.Peek(r) }).ToArray();

    private static TestCluster Make(string name, ClusterFacts facts, bool ipvsLinks = false) => new(name, facts, Evaluate(facts, ipvsLinks));
}

/// <summary>A node shell that answers from a table: script → (exit code, output) per node; unknown nodes fail to connect.</summary>
internal sealed class FakeNodeShell : INodeShell
{
    public Dictionary<(string Node, string Script), ShellResult> Answers { get; } = [];

    public List<(string Node, string Script)> Runs { get; } = [];

    public Task<ShellResult> RunAsync(NodeTarget target, string script, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (Runs)
        {
            Runs.Add((target.Name, script));
        }

        return Task.FromResult(Answers.TryGetValue((target.Name, script), out var answer)
            ? answer
            : new ShellResult(null, "", "", $"ssh root@{target.Address}:22: connection refused"));
    }

    public static Func<string, NodeTarget?> Targets => name => new NodeTarget(name, name);
}
