using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Core.Shell;

namespace EbpfConsole.Tui.Tests;

/// <summary>Preflight results as the runner publishes them, for the Nodes pane's tests (the catalog may be empty or full).</summary>
internal static class PreflightSamples
{
    public static readonly DateTimeOffset Started = FakeActions.T0.AddSeconds(10);

    public const string MountEvidence = "$ mount | grep -E ' /sys/fs/bpf | type bpf '\n(no output)\n$ stat -f -c %T /sys/fs/bpf\nstat: cannot read file system information for '/sys/fs/bpf': No such file or directory\n$ findmnt -t bpf --noheadings\n(no output; exit_code=1)";

    public const string BpffsReason = "/sys/fs/bpf is not mounted and calico-node has no bpffs mount";

    public const string BpffsRemedy = "mount -t bpf bpf /sys/fs/bpf; persist it with a systemd sys-fs-bpf.mount unit";

    public static CheckResult Node(string node, string id, string title, Verdict verdict, string reason, string evidence = "", string? remedy = null) =>
        new(id, title, CheckScope.Node, node, verdict, reason, evidence, remedy);

    public static CheckResult Cluster(string id, string title, Verdict verdict, string reason, string evidence = "", string? remedy = null) =>
        new(id, title, CheckScope.Cluster, null, verdict, reason, evidence, remedy);

    /// <summary>Every node check passing on <paramref name="node"/>, except P5 when <paramref name="bpffsMissing"/>.</summary>
    public static IReadOnlyList<CheckResult> NodeResults(string node, bool bpffsMissing = false) =>
    [
        Node(node, "P2", "Kernel", Verdict.Pass, "kernel 6.8.0-45-generic is 5.10 or newer", "$ uname -r\n6.8.0-45-generic"),
        Node(node, "P3", "Architecture", Verdict.Pass, "x86_64", "$ uname -m\nx86_64"),
        bpffsMissing
            ? Node(node, "P5", "BPF filesystem", Verdict.Fail, BpffsReason, MountEvidence, BpffsRemedy)
            : Node(node, "P5", "BPF filesystem", Verdict.Pass, "bpffs is mounted on /sys/fs/bpf", "$ mount | grep bpf\nbpf on /sys/fs/bpf type bpf (rw,nosuid,nodev,noexec,relatime,mode=700)"),
        Node(node, "P6", "cgroup v2", Verdict.Warn, "/run/calico/cgroup is not cgroup2 yet", "$ stat -f -c %T /run/calico/cgroup\nstat: No such file", "restart calico-node"),
        Node(node, "P10", "kube-proxy mode", Verdict.Pass, "no kube-ipvs0", "$ ip link show kube-ipvs0\nDevice \"kube-ipvs0\" does not exist."),
    ];

    public static IReadOnlyList<CheckResult> ClusterResults =>
    [
        Cluster("P1", "Calico version", Verdict.Pass, "Calico v3.29.3 (manifest)", "daemonsets kube-system/calico-node: image docker.io/calico/node:v3.29.3"),
        Cluster("P4", "No Windows nodes", Verdict.Pass, "no node has kubernetes.io/os=windows"),
        Cluster("P7", "Datastore", Verdict.Pass, "DATASTORE_TYPE=kubernetes"),
        Cluster("P8", "ConfigMap plumbing", Verdict.Fail, "calico-node has no envFrom configMapRef kubernetes-services-endpoint",
            "daemonsets kube-system/calico-node: containers[0].envFrom: (none)", "patch the DaemonSet or upgrade Calico"),
    ];

    public static ClusterSummary Summary(int nodes) => new(
        "https://127.0.0.1:6443", "v1.32.0", "manifest", "v3.29.3", "kube-system", "iptables", false, "Tunnel",
        "10.99.0.11:6443", "crd.projectcalico.org/v1",
        [.. Enumerable.Range(1, nodes).Select(i => new ClusterNode(NodeName(i), $"10.99.0.{10 + i}", "6.8.0-45-generic", "Ubuntu 24.04", "amd64", "linux"))]);

    public static string NodeName(int i) => $"node-{i}";

    /// <summary>A finished run over <paramref name="nodes"/> nodes; node-2 has no bpffs (P5 fails there).</summary>
    public static PreflightSnapshot Done(int nodes = 2) => new(
        Summary(nodes),
        ClusterResults,
        [.. Enumerable.Range(1, nodes).Select(i => new NodePreflight(NodeName(i), $"10.99.0.{10 + i}", NodeRunState.Done,
            NodeResults(NodeName(i), bpffsMissing: i == 2), null, TimeSpan.FromMilliseconds(800 + i)))],
        false,
        null,
        Started,
        Started.AddSeconds(2.1));

    /// <summary>A run under way: node-1 done, node-2 running, the rest pending.</summary>
    public static PreflightSnapshot Running(int nodes = 3) => new(
        Summary(nodes),
        ClusterResults,
        [.. Enumerable.Range(1, nodes).Select(i => i switch
        {
            1 => new NodePreflight(NodeName(i), $"10.99.0.{10 + i}", NodeRunState.Done, NodeResults(NodeName(i)), null, TimeSpan.FromSeconds(1)),
            2 => new NodePreflight(NodeName(i), $"10.99.0.{10 + i}", NodeRunState.Running, []),
            _ => new NodePreflight(NodeName(i), $"10.99.0.{10 + i}", NodeRunState.Pending, []),
        })],
        true,
        null,
        Started);

    /// <summary>The lab's two probed nodes (node-1 up, node-2 down) with <paramref name="preflight"/>.</summary>
    public static ConsoleSnapshot Lab(PreflightSnapshot? preflight, UserQuestion? question = null) =>
        FakeActions.Lab() with { Preflight = preflight, Question = question };

    /// <summary><paramref name="count"/> probed nodes, all up.</summary>
    public static IReadOnlyList<NodeStatus> Probed(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new NodeStatus(NodeName(i), $"10.99.0.{10 + i}", Reachability.Reachable, $"lab-{NodeName(i)}", "6.8.0-49-generic", null, FakeActions.T0))];

    public static ConsoleSnapshot Many(int count) =>
        FakeActions.Lab() with { Nodes = Probed(count), Preflight = Done(count) };

    public static UserQuestion HostKey(long id = 7) => new(id, "Unknown host key",
        "The authenticity of host 'node-2 (10.99.0.12)' can't be established.\nED25519 key fingerprint is SHA256:Z3ZmYWtlZmluZ2VycHJpbnRmb3J0ZXN0c29ubHkxMjM0NTY.\nThis key is not known by any other names.\nAre you sure you want to continue connecting?",
        QuestionKind.YesNo);

    public const string Fingerprint = "SHA256:Z3ZmYWtlZmluZ2VycHJpbnRmb3J0ZXN0c29ubHkxMjM0NTY";

    public static UserQuestion Passphrase(long id = 8) => new(id, "Key passphrase", "Enter the passphrase for /root/.ssh/id_ed25519 (node-1):", QuestionKind.Secret);
}
