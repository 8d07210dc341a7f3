using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EbpfConsole.Core.Datapath;
using EbpfConsole.Integration.Tests.Support;
using EbpfConsole.Lab;
using k8s;
using k8s.Models;

namespace EbpfConsole.Integration.Tests.Lab;

/// <summary>The API server as a lab service: started by `up`, restarted when it died (objects kept), stopped by `down`; scenarios' node facts.</summary>
[Collection(LabCollectionDefinition.Name)]
public sealed class LabApiServerServiceTests(LabFixture lab)
{
    [Fact]
    public async Task Up_StartsTheApiServer_KubeconfigWorksWithKubernetesClient()
    {
        var status = await lab.EnsureUpAsync();

        Assert.True(status.ApiServerUp);
        Assert.Equal(lab.Paths.KubeconfigPath, status.Kubeconfig);
        Assert.Equal("healthy", status.Scenario);
        Assert.Equal(lab.Paths.KubeconfigPath, await lab.Service.GetKubeconfigAsync(CancellationToken.None));
        using var client = lab.Kubernetes();
        var nodes = await client.CoreV1.ListNodeAsync();
        Assert.Equal(["node-1", "node-2"], nodes.Items.Select(n => n.Metadata.Name).Order());
        var felix = await client.CustomObjects.GetClusterCustomObjectAsync("crd.projectcalico.org", "v1", "felixconfigurations", "default");
        Assert.NotNull(felix);
    }

    [Fact]
    public async Task LabNodes_ReachTheApiServerOnTheLabLink_WithTheLabsCaAndClientCertificate()
    {
        await lab.EnsureUpAsync();

        // From inside node-1's namespace, like a calico-node using the kubernetes-services-endpoint override:
        // the server certificate must verify for 10.99.0.1 against the lab CA.
        var (exit, stdout, stderr) = await ToolProcess.RunAsync("ip", "netns", "exec", LabTopology.Node1.Namespace, "curl", "-sS", "--max-time", "5",
            "--cacert", lab.Paths.CaCertPath, "--cert", lab.Paths.ClientCertPath, "--key", lab.Paths.ClientKeyPath,
            $"https://{LabTopology.HostIp}:{LabTopology.ApiServerPort}/api/v1/namespaces/default/endpoints/kubernetes");

        Assert.True(exit == 0, stderr);
        Assert.Contains($"\"ip\":\"{LabTopology.HostIp}\"", stdout.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_AfterTheDaemonWasKilled_RestartsOnlyIt_AndEveryObjectIsKept()
    {
        await lab.EnsureUpAsync();
        var name = "persist-" + Guid.NewGuid().ToString("N")[..8];
        using (var client = lab.Kubernetes())
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(
                new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name }, Data = new Dictionary<string, string> { ["k"] = "v" } }, "kube-system");
        }

        var others = (await LabProbe.LabPidsAsync(lab.Paths)).Except([ApiServerPid()]).ToHashSet();
        await KillApiServerAsync();
        var messages = new List<string>();

        var status = await lab.NewService(messages.Add).UpAsync("healthy", CancellationToken.None);

        Assert.True(status.Up);
        Assert.Contains(messages, m => m.StartsWith("API server restarted cleanly", StringComparison.Ordinal));
        Assert.True(others.IsSubsetOf(await LabProbe.LabPidsAsync(lab.Paths)), "only the API server was restarted");
        using var after = lab.Kubernetes();
        var map = await after.CoreV1.ReadNamespacedConfigMapAsync(name, "kube-system");
        Assert.Equal("v", map.Data["k"]);
        await after.CoreV1.DeleteNamespacedConfigMapAsync(name, "kube-system");
    }

    [Fact]
    public async Task Up_WithACorruptStateFile_FailsAtOnceNamingIt_AndStartsFromTheScenarioOnceItIsRemoved()
    {
        await lab.EnsureUpAsync();
        await KillApiServerAsync();
        await File.WriteAllTextAsync(lab.Paths.ApiStatePath, "{\"broken");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<LabException>(() => lab.Service.UpAsync("healthy", CancellationToken.None));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}: the launcher should notice the daemon stopped");
        Assert.Contains(lab.Paths.ApiStatePath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("remove it", ex.Message, StringComparison.Ordinal);

        File.Delete(lab.Paths.ApiStatePath);
        var status = await lab.Service.UpAsync("healthy", CancellationToken.None);
        Assert.True(status.ApiServerUp);
        using var client = lab.Kubernetes();
        Assert.Equal(2, (await client.CoreV1.ListNodeAsync()).Items.Count);
    }

    [Fact]
    public async Task Down_StopsTheDaemonAndRemovesTheApiDirectory()
    {
        await lab.EnsureUpAsync();
        var pid = ApiServerPid();

        await lab.Service.DownAsync(CancellationToken.None);

        Assert.True(LabTeardown.IsStopped(pid), $"API server {pid} still runs");
        Assert.False(Directory.Exists(lab.Paths.ApiDir));
        Assert.False(File.Exists(lab.Paths.ModeOverridePath));
        Assert.False(await LabApiServerLauncher.ConnectsAsync(CancellationToken.None), "something still listens on 127.0.0.1:6443");
        var ex = await Assert.ThrowsAsync<LabException>(() => lab.Service.GetKubeconfigAsync(CancellationToken.None));
        Assert.Contains("lab up", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_PortTakenByAnotherProgram_RefusesNamingThePort()
    {
        await lab.Service.DownAsync(CancellationToken.None);
        using var squatter = new TcpListener(IPAddress.Loopback, LabTopology.ApiServerPort);
        squatter.Start();

        var ex = await Assert.ThrowsAsync<LabException>(() => lab.Service.UpAsync("healthy", CancellationToken.None));

        Assert.StartsWith("port 6443 on 127.0.0.1 is taken by another program", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await LabProbe.LabNamespacesAsync());
    }

    [Fact]
    public async Task ModeAuto_AfterAManualOverride_TheControllerAppliesWhatTheApiSays()
    {
        await lab.EnsureUpAsync(DatapathMode.EbpfDsr);
        Assert.True((await lab.Service.GetStatusAsync(CancellationToken.None)).ManualOverride);

        await lab.Service.ClearModeOverrideAsync(CancellationToken.None);

        // The healthy scenario runs kube-proxy (iptables) and has bpfEnabled off: the controller goes back to iptables.
        var status = await PollAsync(s => s.Mode == DatapathMode.Iptables && s.Up, TimeSpan.FromSeconds(15));
        Assert.False(status.ManualOverride);
        var result = Assert.Single(await lab.Service.CurlAsync("client", "node-1", 1, CancellationToken.None));
        Assert.Equal(LabTopology.Node1.Ip, result.PodSaw);
    }

    [Fact]
    public async Task MissingBpffs_Node2HasNoBpfFilesystemOverSsh_Node1Has()
    {
        try
        {
            var status = await lab.UpScenarioAsync("missing-bpffs");

            Assert.True(status.Up);
            Assert.Equal("missing-bpffs", status.Scenario);
            Assert.Equal(string.Empty, await BpfMountsAsync(LabTopology.Node2));
            Assert.StartsWith("bpf on /sys/fs/bpf type bpf", await BpfMountsAsync(LabTopology.Node1), StringComparison.Ordinal);
            var ex = await Assert.ThrowsAsync<LabException>(() => lab.Service.UpAsync("healthy", CancellationToken.None));
            Assert.Equal("the lab is up with scenario 'missing-bpffs'; run 'ebpf-console lab down' first", ex.Message);
        }
        finally
        {
            await lab.Service.DownAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task KubekeyDefault_KubeIpvs0OnEveryNode_GoneAfterDown()
    {
        try
        {
            var status = await lab.UpScenarioAsync("kubekey-default");

            Assert.True(status.Up);
            foreach (var node in LabTopology.Nodes)
            {
                var link = await LabProbe.RunAsync("ip", "-n", node.Namespace, "-o", "link", "show", "kube-ipvs0");
                Assert.True(link.ExitCode == 0, $"no kube-ipvs0 on {node.Name}: {link.StdErr}");
            }
        }
        finally
        {
            await lab.Service.DownAsync(CancellationToken.None);
        }

        var root = await LabProbe.RunAsync("ip", "link", "show", "kube-ipvs0");
        Assert.NotEqual(0, root.ExitCode);
    }

    private int ApiServerPid() => int.Parse(File.ReadAllText(lab.Paths.ApiServerPidPath).Trim(), CultureInfo.InvariantCulture);

    private async Task KillApiServerAsync()
    {
        var pid = ApiServerPid();
        Assert.Equal(0, (await LabProbe.RunAsync("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture))).ExitCode);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!LabTeardown.IsStopped(pid))
        {
            Assert.True(DateTime.UtcNow < deadline, $"API server {pid} did not die");
            await Task.Delay(50);
        }
    }

    private async Task<LabStatus> PollAsync(Func<LabStatus, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await lab.Service.GetStatusAsync(CancellationToken.None);
            if (done(status))
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not reached within {timeout.TotalSeconds} s: datapath {status.Datapath}, failing {string.Join(", ", status.Health.Where(h => !h.Value).Select(h => h.Key))}");
            await Task.Delay(200);
        }
    }

    /// <summary>The bpf mounts an SSH session on <paramref name="node"/> sees (empty when none).</summary>
    private async Task<string> BpfMountsAsync(LabHost node)
    {
        var (exitCode, stdout, stderr) = await LabProbe.RunAsync(Requirements.Tool("ssh"),
            "-F", "/dev/null", "-i", lab.Paths.SshPrivateKeyPath, "-o", "IdentitiesOnly=yes",
            "-o", $"UserKnownHostsFile={lab.Paths.KnownHostsPath}", "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes", "-o", "ConnectTimeout=5",
            $"root@{node.Ip}", "mount | grep /sys/fs/bpf || true");
        Assert.True(exitCode == 0, $"ssh to {node.Ip} failed ({exitCode}): {stderr}");
        return stdout.Trim();
    }
}
