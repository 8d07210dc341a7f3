using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

/// <summary>`up`, `down`, `mode` and `kubeconfig` with the API server, on a machine the fake runner simulates.</summary>
public sealed class LabServiceApiServerTests : IDisposable
{
    private readonly LabBed _bed = new();
    private readonly List<string> _progress = [];

    public LabServiceApiServerTests()
    {
        _bed.WriteKeys();
        _bed.SimulateMachine();
    }

    public void Dispose() => _bed.Dispose();

    private FakeRunner Runner => _bed.Runner;

    private LabService Service() => _bed.Service(progress: _progress.Add, healthTimeout: TimeSpan.FromSeconds(5));

    [Fact]
    public async Task Up_FreshLab_AppliesTheScenarioModeThenStartsTheApiServerLast()
    {
        var status = await Service().UpAsync("healthy", CancellationToken.None);

        Assert.True(status.Up, string.Join(", ", status.Health.Where(h => !h.Value).Select(h => h.Key)));
        Assert.True(status.ApiServerUp);
        Assert.Equal("healthy", status.Scenario);
        Assert.Equal("iptables", status.Datapath);
        Assert.False(status.ManualOverride);
        Assert.Equal(_bed.Paths.KubeconfigPath, status.Kubeconfig);
        Assert.Equal("https://127.0.0.1:6443", status.ApiServerUrl);
        var calls = Runner.Calls;
        var launch = calls.FindIndex(c => c.Contains("apiserver-launch", StringComparison.Ordinal));
        Assert.True(launch > calls.FindLastIndex(c => c.Contains("conntrack -F", StringComparison.Ordinal)), "the API server starts after the datapath");
        Assert.True(calls.FindIndex(c => c.StartsWith("ss -Hltnp sport = :6443", StringComparison.Ordinal)) < calls.IndexOf("ip netns add eclab-net"), "port checked before building");
        Assert.Equal("healthy", LabApiServerConfig.Read(_bed.Paths.ApiServerConfigPath)!.Scenario);
    }

    [Fact]
    public async Task Up_LeftoverModeFileWithoutApiObjects_StartsWithTheScenarioMode()
    {
        Directory.CreateDirectory(_bed.Paths.StateDir);
        File.WriteAllText(_bed.Paths.ModePath, "ebpf-dsr\n");

        var status = await Service().UpAsync("healthy", CancellationToken.None);

        Assert.Equal(DatapathMode.Iptables, status.Mode);
        Assert.Equal("iptables\n", File.ReadAllText(_bed.Paths.ModePath));
    }

    [Fact]
    public async Task Up_Healthy_LeavesItAlone()
    {
        await Service().UpAsync("healthy", CancellationToken.None);
        var before = Runner.Calls.Count;

        var status = await Service().UpAsync("healthy", CancellationToken.None);

        Assert.True(status.Up);
        Assert.Contains(_progress, m => m.StartsWith("lab is already up (scenario healthy, 2 nodes, datapath iptables)", StringComparison.Ordinal));
        Assert.DoesNotContain(Runner.Calls.Skip(before), c => c.Contains("apiserver-launch", StringComparison.Ordinal) || c.StartsWith("ip netns add", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Up_OnlyTheApiServerDied_RestartsJustIt_KeepingTheObjects()
    {
        await Service().UpAsync("healthy", CancellationToken.None);
        File.WriteAllText(_bed.Paths.ApiStatePath, "{\"objects\":\"kept\"}");
        _bed.RemoveProcess(LabBed.ApiServerPid);
        var before = Runner.Calls.Count;

        var status = await Service().UpAsync("healthy", CancellationToken.None);

        Assert.True(status.Up);
        var after = Runner.Calls.Skip(before).ToList();
        Assert.Single(after, c => c.Contains("apiserver-launch", StringComparison.Ordinal));
        Assert.DoesNotContain(after, c => c.StartsWith("ip netns add", StringComparison.Ordinal) || c.StartsWith("ip netns del", StringComparison.Ordinal) || c.Contains("iptables-restore", StringComparison.Ordinal));
        Assert.Equal("{\"objects\":\"kept\"}", File.ReadAllText(_bed.Paths.ApiStatePath));
        Assert.Contains(_progress, m => m.StartsWith("API server restarted cleanly", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Up_AnotherScenarioWhileUp_RefusesAndChangesNothing()
    {
        await Service().UpAsync("healthy", CancellationToken.None);
        var before = Runner.Calls.Count;

        var ex = await Assert.ThrowsAsync<LabException>(() => Service().UpAsync("missing-bpffs", CancellationToken.None));

        Assert.Equal("the lab is up with scenario 'healthy'; run 'ebpf-console lab down' first", ex.Message);
        Assert.Equal(["ip netns list"], Runner.Calls.Skip(before));
    }

    [Fact]
    public async Task Up_AnotherScenarioAfterDown_StartsFromItsOwnObjects()
    {
        await Service().UpAsync("healthy", CancellationToken.None);
        await Service().DownAsync(CancellationToken.None);

        var status = await Service().UpAsync("operator", CancellationToken.None);

        Assert.Equal("operator", status.Scenario);
    }

    [Fact]
    public async Task Up_MissingBpffs_Node2SshdStartsWithoutTheBpfMount()
    {
        await Service().UpAsync("missing-bpffs", CancellationToken.None);

        var launches = Runner.Calls.Where(c => c.Contains("sshd-launch", StringComparison.Ordinal)).ToList();
        Assert.Contains("mount -t bpf bpf /sys/fs/bpf", Assert.Single(launches, c => c.Contains("eclab-node-1 ", StringComparison.Ordinal)), StringComparison.Ordinal);
        var node2 = Assert.Single(launches, c => c.Contains("eclab-node-2 ", StringComparison.Ordinal));
        Assert.DoesNotContain("mount -t bpf", node2, StringComparison.Ordinal);
        Assert.Contains("umount /sys/fs/bpf", node2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_KubekeyDefault_CreatesKubeIpvs0OnEachNode()
    {
        await Service().UpAsync("kubekey-default", CancellationToken.None);

        foreach (var ns in new[] { "eclab-node-1", "eclab-node-2" })
        {
            Assert.Single(Runner.Calls, c => c.Contains($"extra-link {ns} kube-ipvs0", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Up_PortTakenByAnotherProgram_RefusesBeforeBuildingAnything()
    {
        Runner.On("ss -Hltnp sport = :6443", new CommandResult(0, "LISTEN 0 4096 127.0.0.1:6443 0.0.0.0:* users:((\"kube-apiserver\",pid=77,fd=3))\n", string.Empty));

        var ex = await Assert.ThrowsAsync<LabException>(() => Service().UpAsync("healthy", CancellationToken.None));

        Assert.StartsWith("port 6443 on 127.0.0.1 is taken by another program", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Runner.Calls, c => c.StartsWith("ip netns add", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Down_StopsTheApiServerByPid_AndRemovesApiDirAndOverride()
    {
        await Service().UpAsync("healthy", CancellationToken.None);
        await Service().SetModeAsync(DatapathMode.EbpfDsr, CancellationToken.None);

        await Service().DownAsync(CancellationToken.None);

        Assert.Contains(Runner.Calls, c => c.StartsWith("kill -TERM", StringComparison.Ordinal) && c.Contains(LabBed.ApiServerPid.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.False(Directory.Exists(_bed.Paths.ApiDir));
        Assert.False(File.Exists(_bed.Paths.ModeOverridePath));
    }

    [Fact]
    public async Task SetMode_WritesTheOverride_AutoRemovesIt()
    {
        await Service().UpAsync("healthy", CancellationToken.None);

        await Service().SetModeAsync(DatapathMode.EbpfTunnel, CancellationToken.None);
        var forced = await Service().GetStatusAsync(CancellationToken.None);
        var overrideFile = LabDatapath.ReadOverride(_bed.Paths);
        await Service().ClearModeOverrideAsync(CancellationToken.None);
        var auto = await Service().GetStatusAsync(CancellationToken.None);

        Assert.True(forced.ManualOverride);
        Assert.Equal("ebpf-tunnel", forced.Datapath);
        Assert.Equal(DatapathMode.EbpfTunnel, overrideFile);
        Assert.False(auto.ManualOverride);
        Assert.False(File.Exists(_bed.Paths.ModeOverridePath));
        Assert.Equal("ebpf-tunnel", auto.Datapath);
    }

    [Fact]
    public async Task Up_RebuildWithAnOverrideAndKeptObjects_StartsWithTheForcedMode()
    {
        await Service().UpAsync("healthy", CancellationToken.None);
        await Service().SetModeAsync(DatapathMode.EbpfDsr, CancellationToken.None);
        File.WriteAllText(_bed.Paths.ApiStatePath, "{}");
        _bed.RemoveProcess(5_000_080); // nginx died: a partial lab, rebuilt
        Runner.On("ip -n eclab-node-1 rule show pref 10", new CommandResult(0, "10: from all iif eth0 ipproto tcp dport 30604 lookup 100\n", string.Empty));

        var status = await Service().UpAsync("healthy", CancellationToken.None);

        Assert.Equal(DatapathMode.EbpfDsr, status.Mode);
        Assert.True(status.ManualOverride);
        Assert.True(File.Exists(_bed.Paths.ApiStatePath));
    }

    [Fact]
    public async Task Kubeconfig_LabNotUp_SaysRunUp_ThenThePath()
    {
        var ex = await Assert.ThrowsAsync<LabException>(() => Service().GetKubeconfigAsync(CancellationToken.None));
        Assert.Equal("the lab's API server is not up: run 'ebpf-console lab up' first", ex.Message);

        await Service().UpAsync("healthy", CancellationToken.None);

        Assert.Equal(_bed.Paths.KubeconfigPath, await Service().GetKubeconfigAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Status_ApiServerDown_ReportsItAndTheLabIsNotUp()
    {
        await Service().UpAsync("healthy", CancellationToken.None);
        _bed.RemoveProcess(LabBed.ApiServerPid);

        var status = await Service().GetStatusAsync(CancellationToken.None);

        Assert.False(status.Up);
        Assert.False(status.ApiServerUp);
        Assert.Equal([LabHealth.ApiServer], status.Health.Where(h => !h.Value).Select(h => h.Key));
    }
}
