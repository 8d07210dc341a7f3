using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Tests.Preflight;

public sealed class NodeSystemRuleTests
{
    private const string MountBpffs = """[{"name": "mount-bpffs", "image": "docker.io/calico/node:v3.29.3", "command": ["calico-node", "-init", "-best-effort"]}]""";

    [Theory]
    [InlineData("x86_64", Verdict.Pass)]
    [InlineData("aarch64", Verdict.Warn)]
    [InlineData("ppc64le", Verdict.Fail)]
    [InlineData("s390x", Verdict.Fail)]
    public void P3_Architecture(string machine, Verdict expected)
    {
        var node = Facts.NodeOutputs(overrides: [("arch", new ProbeOutput("uname -m", 0, machine))]);

        var result = Facts.Node(Facts.Cluster(), node, "P3");

        Assert.Equal(expected, result.Verdict);
        Assert.Equal($"$ uname -m\n{machine}", result.Evidence);
    }

    [Fact]
    public void P5_BpffsMounted_PassesWithTheMountLine()
    {
        var result = Facts.Node(Facts.Cluster(), Facts.NodeOutputs(), "P5");

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Equal("$ mount | grep /sys/fs/bpf\nbpf on /sys/fs/bpf type bpf (rw,nosuid,nodev,noexec,relatime,mode=700)", result.Evidence);
        Assert.Null(result.Remediation);
    }

    [Fact]
    public void P5_OnlyAnUnrelatedLine_IsNotAMount()
    {
        var node = Facts.NodeOutputs(overrides: [("bpffs", new ProbeOutput("mount | grep /sys/fs/bpf", 0, "tmpfs on /sys/fs/bpf-backup type tmpfs (rw)"))]);

        Assert.Equal(Verdict.Fail, Facts.Node(Facts.Cluster(), node, "P5").Verdict);
    }

    [Fact]
    public void P5_AbsentAndNoInitContainer_FailsEvenWithSysFsHostPath()
    {
        // The lab's calico-node (v3.29.3, hostPath /sys/fs/ and /sys/fs/bpf, no init containers): nothing will mount it.
        var node = Facts.NodeOutputs(overrides: [("bpffs", new ProbeOutput("mount | grep /sys/fs/bpf", 1, ""))]);

        var result = Facts.Node(Facts.Cluster(), node, "P5");

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Contains("$ mount | grep /sys/fs/bpf\n(no output)\n(exit 1)", result.Evidence, StringComparison.Ordinal);
        Assert.Contains("init container mount-bpffs = (none)", result.Evidence, StringComparison.Ordinal);
        Assert.Contains("mount -t bpf bpf /sys/fs/bpf", result.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void P5_AbsentButMountBpffsInitContainerAndHostPath_Warns()
    {
        var cluster = Facts.Cluster() with { CalicoNodeDaemonSet = Facts.CalicoNode(initContainers: MountBpffs) };
        var node = Facts.NodeOutputs(overrides: [("bpffs", new ProbeOutput("mount | grep /sys/fs/bpf", 1, ""))]);

        var result = Facts.Node(cluster, node, "P5");

        Assert.Equal(Verdict.Warn, result.Verdict);
        Assert.Contains("mount-bpffs", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void P5_InitContainerWithoutSysFsVolume_Fails()
    {
        var cluster = Facts.Cluster() with { CalicoNodeDaemonSet = Facts.CalicoNode(initContainers: MountBpffs, volumes: """[{"name": "lib-modules", "hostPath": {"path": "/lib/modules"}}]""") };
        var node = Facts.NodeOutputs(overrides: [("bpffs", new ProbeOutput("mount | grep /sys/fs/bpf", 1, ""))]);

        Assert.Equal(Verdict.Fail, Facts.Node(cluster, node, "P5").Verdict);
    }

    [Fact]
    public void P5_MountCommandMissing_Unknown()
    {
        var node = Facts.NodeOutputs(overrides: [("bpffs", new ProbeOutput("mount | grep /sys/fs/bpf", 1, "sh: 1: mount: not found"))]);

        var result = Facts.Node(Facts.Cluster(), node, "P5");

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Contains("mount: not found", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "cgroup2fs", Verdict.Pass)]
    [InlineData(0, "tmpfs", Verdict.Warn)]
    [InlineData(1, "stat: cannot read file system information for '/run/calico/cgroup': No such file or directory", Verdict.Warn)]
    public void P6_CgroupV2(int exit, string output, Verdict expected)
    {
        var node = Facts.NodeOutputs(overrides: [("cgroup", new ProbeOutput("stat -fc %T /run/calico/cgroup", exit, output))]);

        var result = Facts.Node(Facts.Cluster(), node, "P6");

        Assert.Equal(expected, result.Verdict);
        Assert.StartsWith("$ stat -fc %T /run/calico/cgroup\n", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeFailure_EverySshCheckUnknownWithTheFailure_P13StillFromApi()
    {
        const string Failure = "ssh root@10.0.0.12:22: timed out after 10 s connecting";
        var node = NodeFacts.Failed("node-2", "10.0.0.12", Failure);

        var results = PreflightRules.EvaluateNode(Facts.Cluster(), node);

        Assert.Equal(CheckCatalog.NodeChecks.Select(c => c.Id), results.Select(r => r.Id));
        Assert.All(results.Where(r => r.Id != "P13"), r =>
        {
            Assert.Equal(Verdict.Unknown, r.Verdict);
            Assert.Equal(Failure, r.Reason);
            Assert.Equal("node-2", r.Node);
            Assert.False(string.IsNullOrEmpty(r.Evidence));
        });
        Assert.Equal(Verdict.Pass, results.Only("P13").Verdict);
    }

    [Fact]
    public void EvaluateNode_HealthyNode_NoFailAndCatalogOrder()
    {
        var results = PreflightRules.EvaluateNode(Facts.Cluster(), Facts.NodeOutputs());

        Assert.Equal(CheckCatalog.NodeChecks.Select(c => c.Id), results.Select(r => r.Id));
        Assert.DoesNotContain(results, r => r.Verdict is Verdict.Fail or Verdict.Unknown);
        Assert.All(results, r => Assert.Equal(CheckScope.Node, r.Scope));
        Assert.All(results.Where(r => r.Verdict == Verdict.Pass), r => Assert.Null(r.Remediation));
        Assert.All(results.Where(r => r.Verdict != Verdict.Pass), r => Assert.NotNull(r.Remediation));
    }
}
