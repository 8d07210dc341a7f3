using System.Diagnostics;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Lab;

namespace EbpfConsole.Integration.Tests.Lab;

/// <summary>The machine-global lab against other state directories, the root namespace's routes, and PID reuse.</summary>
[Collection(LabCollectionDefinition.Name)]
public sealed class LabSafetyTests(LabFixture lab)
{
    [Fact]
    public async Task Up_RecordsItsStateDirectory_AnotherStateDirectoryIsRefused_ButItsDownRemovesTheLab()
    {
        await lab.EnsureUpAsync();
        Assert.Equal(LabFixture.StateDir + "\n", await File.ReadAllTextAsync(LabMachine.Default.OwnerPath));
        var otherDir = Path.Combine(Path.GetTempPath(), $"eclab-other-state-{Environment.ProcessId}");
        var other = new LabService(new LabPaths(otherDir), new ProcessRunner());
        var expected = $"a lab owned by state directory {LabFixture.StateDir} is up; use EBPF_CONSOLE_LAB_DIR={LabFixture.StateDir} or run 'ebpf-console lab down' first";
        try
        {
            Assert.Equal(expected, (await Assert.ThrowsAsync<LabException>(() => other.UpAsync("healthy", CancellationToken.None))).Message);
            Assert.Equal(expected, (await Assert.ThrowsAsync<LabException>(() => other.SetModeAsync(Core.Datapath.DatapathMode.EbpfDsr, CancellationToken.None))).Message);
            Assert.Equal(expected, (await Assert.ThrowsAsync<LabException>(() => other.CurlAsync("client", "node-1", 1, CancellationToken.None))).Message);
            Assert.True((await lab.Service.GetStatusAsync(CancellationToken.None)).Up, "the refused operations left the lab alone");
            var pids = await LabProbe.LabPidsAsync(lab.Paths);

            await other.DownAsync(CancellationToken.None);

            await LabProbe.AssertNothingLeftAsync(pids);
            Assert.False(File.Exists(LabMachine.Default.OwnerPath));
        }
        finally
        {
            Directory.Delete(otherDir, recursive: true);
        }
    }

    [Fact]
    public async Task Down_FromAnotherStateDirectory_WaitsForTheSameMachineWideLock()
    {
        await lab.EnsureUpAsync();
        using var held = await LabLock.AcquireAsync(lab.Service.LockPath, TimeSpan.FromSeconds(5), null, CancellationToken.None);
        var other = new LabService(new LabPaths(Path.Combine(Path.GetTempPath(), "eclab-unused-state")), new ProcessRunner()) { LockTimeout = TimeSpan.FromSeconds(1) };

        var ex = await Assert.ThrowsAsync<LabException>(() => other.DownAsync(CancellationToken.None));

        Assert.Contains("another 'lab up'", ex.Message, StringComparison.Ordinal);
        Assert.NotEmpty(await LabProbe.LabNamespacesAsync());
    }

    [Fact]
    public async Task Routes_LabSubnetOnlyThroughEclabHost_ProbeConnectsWhileUpAndIsRefusedOnceDown()
    {
        var shell = new LabShell(new ProcessRunner());
        var inner = new CountingProbe();
        var probe = new LabOnlyProbe(inner);
        var node1 = new NodeTarget("node-1", LabTopology.Node1.Ip);
        await lab.EnsureUpAsync();

        await LabRoutes.EnsureNoConflictAsync(shell, CancellationToken.None);
        Assert.True(await LabRoutes.RoutesViaLabAsync(shell, LabTopology.Node1.Ip, CancellationToken.None));
        Assert.Equal(Reachability.Reachable, (await probe.ProbeAsync(node1, CancellationToken.None)).Reachability);
        Assert.Equal(1, inner.Calls);

        await lab.Service.DownAsync(CancellationToken.None);

        await LabRoutes.EnsureNoConflictAsync(shell, CancellationToken.None);
        Assert.False(await LabRoutes.RoutesViaLabAsync(shell, LabTopology.Node1.Ip, CancellationToken.None));
        Assert.Equal(Reachability.Unreachable, (await probe.ProbeAsync(node1, CancellationToken.None)).Reachability);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task Down_PidFileNowNamesAStrangerWithOurConfigOnItsCommandLine_LeavesTheStrangerRunning()
    {
        await lab.EnsureUpAsync();
        var pids = await LabProbe.LabPidsAsync(lab.Paths);
        var sshd = LabDaemon.Sshd(lab.Paths, LabTopology.Node1);
        Assert.NotNull(ProcFs.Default.LiveDaemonPid(sshd));

        // As if sshd had died and its PID had gone to an unrelated process that happens to name the file.
        using var stranger = Process.Start("sh", ["-c", "sleep 60; :", "sh", sshd.ConfigPath]);
        try
        {
            await File.WriteAllTextAsync(sshd.PidFile, $"{stranger.Id}\n");

            await lab.Service.DownAsync(CancellationToken.None);

            Assert.False(LabTeardown.IsStopped(stranger.Id), "down signalled a process that is not the lab's");
            await LabProbe.AssertNothingLeftAsync(pids);
        }
        finally
        {
            stranger.Kill(entireProcessTree: true);
            await stranger.WaitForExitAsync();
        }
    }

    private sealed class CountingProbe : INodeProbe
    {
        public int Calls { get; private set; }

        public Task<NodeStatus> ProbeAsync(NodeTarget target, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(new NodeStatus(target.Name, target.Address, Reachability.Reachable));
        }
    }
}
