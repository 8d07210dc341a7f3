using EbpfConsole.Integration.Tests.Support;
using EbpfConsole.Lab;
using k8s;

namespace EbpfConsole.Integration.Tests.Lab;

/// <summary>`lab up --nodes N` on the real machine: extra nodes with their own sshd, hostname, bpffs, cgroup2 and Node object.</summary>
[Collection(LabCollectionDefinition.Name)]
public sealed class LabNodesTests(LabFixture lab)
{
    [Fact]
    public async Task UpFiveNodes_Node5AnswersSshWithItsHostnameBpffsAndCgroup2_AndIsANodeInTheApi()
    {
        try
        {
            var status = await lab.UpScenarioAsync("healthy", 5);

            Assert.True(status.Up, "not healthy: " + string.Join(", ", status.Health.Where(h => !h.Value).Select(h => h.Key)));
            Assert.Equal(5, status.Nodes.Count);
            var (exitCode, stdout, stderr) = await SshAsync(LabTopology.Node(5), "hostname; mount | grep /sys/fs/bpf; stat -fc %T /run/calico/cgroup");
            Assert.True(exitCode == 0, $"ssh to node-5 failed ({exitCode}): {stderr}");
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("node-5", lines[0]);
            Assert.Contains(lines, l => l.StartsWith("bpf on /sys/fs/bpf type bpf", StringComparison.Ordinal));
            Assert.Equal("cgroup2fs", lines[^1]);

            var node = await lab.Kubernetes().CoreV1.ReadNodeAsync("node-5");
            Assert.Contains(node.Status.Addresses, a => a.Type == "InternalIP" && a.Address == "10.99.0.15");
            var pods = await lab.Kubernetes().CoreV1.ListNamespacedPodAsync("kube-system", fieldSelector: "spec.nodeName=node-5");
            Assert.Contains(pods.Items, p => p.Metadata.Labels["k8s-app"] == "kube-proxy");
        }
        finally
        {
            await lab.Service.DownAsync(CancellationToken.None);
        }

        Assert.False(Directory.Exists("/run/calico/cgroup"), "the lab left /run/calico/cgroup on the host");
        Assert.False(File.Exists(LabMachine.Default.CalicoRunMarkerPath), "lab down left its /run/calico marker");
    }

    [Fact]
    public async Task MissingBpffs_OnlyNode2LacksBpffs_EveryNodeHasCgroup2()
    {
        try
        {
            var status = await lab.UpScenarioAsync("missing-bpffs", 3);
            Assert.True(status.Up);

            foreach (var node in LabTopology.NodesFor(3))
            {
                var (exitCode, stdout, stderr) = await SshAsync(node, "mount | grep -c ' type bpf ' || true; stat -fc %T /run/calico/cgroup");
                Assert.True(exitCode == 0, $"ssh to {node.Name} failed ({exitCode}): {stderr}");
                var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(node.Name == "node-2" ? "0" : "1", lines[0]);
                Assert.Equal("cgroup2fs", lines[1]);
            }
        }
        finally
        {
            await lab.Service.DownAsync(CancellationToken.None);
        }
    }

    private Task<(int ExitCode, string StdOut, string StdErr)> SshAsync(LabHost node, string command) =>
        LabProbe.RunAsync(Requirements.Tool("ssh"),
            "-F", "/dev/null", "-i", lab.Paths.SshPrivateKeyPath, "-o", "IdentitiesOnly=yes",
            "-o", $"UserKnownHostsFile={lab.Paths.KnownHostsPath}", "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes", "-o", "ConnectTimeout=5",
            $"root@{node.Ip}", command);
}
