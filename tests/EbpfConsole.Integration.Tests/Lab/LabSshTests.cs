using EbpfConsole.Integration.Tests.Support;
using EbpfConsole.Lab;

namespace EbpfConsole.Integration.Tests.Lab;

[Collection(LabCollectionDefinition.Name)]
public sealed class LabSshTests(LabFixture lab)
{
    public static TheoryData<string> NodeNames => new() { "node-1", "node-2" };

    [Theory]
    [MemberData(nameof(NodeNames))]
    public async Task Ssh_WithTheLabKeyAndKnownHosts_ReachesTheNodeWithItsHostnameAndBpffs(string nodeName)
    {
        await lab.EnsureUpAsync();
        var node = LabTopology.Find(nodeName)!;

        var (exitCode, stdout, stderr) = await LabProbe.RunAsync(Requirements.Tool("ssh"),
            "-F", "/dev/null", "-i", lab.Paths.SshPrivateKeyPath, "-o", "IdentitiesOnly=yes",
            "-o", $"UserKnownHostsFile={lab.Paths.KnownHostsPath}", "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes", "-o", "ConnectTimeout=5",
            $"root@{node.Ip}", "hostname; mount | grep /sys/fs/bpf");

        Assert.True(exitCode == 0, $"ssh to {node.Ip} failed ({exitCode}): {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(nodeName, lines[0]);
        Assert.Contains(lines, l => l.StartsWith("bpf on /sys/fs/bpf type bpf", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ssh_WithAnotherHostsKeyInKnownHosts_IsRefused()
    {
        await lab.EnsureUpAsync();
        var wrong = Path.Combine(Path.GetTempPath(), $"eclab-kh-{Environment.ProcessId}");
        var node2Key = (await File.ReadAllTextAsync(lab.Paths.HostKeyPath(LabTopology.Node2) + ".pub")).Split(' ');
        await File.WriteAllTextAsync(wrong, $"{LabTopology.Node1.Ip} {node2Key[0]} {node2Key[1]}\n");
        try
        {
            var (exitCode, _, stderr) = await LabProbe.RunAsync(Requirements.Tool("ssh"),
                "-F", "/dev/null", "-i", lab.Paths.SshPrivateKeyPath, "-o", "IdentitiesOnly=yes",
                "-o", $"UserKnownHostsFile={wrong}", "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
                $"root@{LabTopology.Node1.Ip}", "true");

            Assert.NotEqual(0, exitCode);
            Assert.Contains("HOST IDENTIFICATION HAS CHANGED", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(wrong);
        }
    }
}
