using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab;

namespace EbpfConsole.Integration.Tests.Lab;

[Collection(LabCollectionDefinition.Name)]
public sealed class LabLifecycleTests(LabFixture lab)
{
    [Fact]
    public async Task Up_Twice_LeavesTheHealthyLabAloneAndKeepsKeys()
    {
        await lab.EnsureUpAsync();
        var hostKey = await File.ReadAllTextAsync(lab.Paths.HostKeyPath(LabTopology.Node1));
        var clientKey = await File.ReadAllTextAsync(lab.Paths.SshPrivateKeyPath);
        var pids = await LabProbe.LabPidsAsync(lab.Paths);
        var messages = new List<string>();

        var status = await lab.NewService(messages.Add).UpAsync("healthy", CancellationToken.None);

        Assert.True(status.Up);
        Assert.Contains(messages, m => m.Contains("already up", StringComparison.Ordinal));
        Assert.Equal(pids, await LabProbe.LabPidsAsync(lab.Paths));
        Assert.Equal(hostKey, await File.ReadAllTextAsync(lab.Paths.HostKeyPath(LabTopology.Node1)));
        Assert.Equal(clientKey, await File.ReadAllTextAsync(lab.Paths.SshPrivateKeyPath));
        Assert.All(LabHealth.Keys, k => Assert.True(status.Health[k], k));
    }

    [Fact]
    public async Task Down_RemovesNamespacesHostLinkAndEveryLabProcess()
    {
        await lab.EnsureUpAsync();
        var pids = await LabProbe.LabPidsAsync(lab.Paths);
        Assert.True(pids.Count >= 5, $"expected 2 sshd + nginx master/worker + the API server, got {pids.Count}");

        await lab.Service.DownAsync(CancellationToken.None);

        await LabProbe.AssertNothingLeftAsync(pids);
        var status = await lab.Service.GetStatusAsync(CancellationToken.None);
        Assert.False(status.Up);
        Assert.False(status.Health[LabHealth.Namespaces]);
        Assert.All(LabDaemon.All(lab.Paths), d => Assert.False(File.Exists(d.PidFile), d.PidFile));
        Assert.False(File.Exists(LabMachine.Default.OwnerPath));
    }

    [Fact]
    public async Task Down_WhenNothingExists_Succeeds()
    {
        await lab.Service.DownAsync(CancellationToken.None);
        await lab.Service.DownAsync(CancellationToken.None);

        await LabProbe.AssertNothingLeftAsync([]);
    }

    [Fact]
    public async Task Down_AfterAnUpCancelledMidway_LeavesNothing()
    {
        await lab.Service.DownAsync(CancellationToken.None);
        await CancelledUpAsync();
        var pids = await LabProbe.LabPidsAsync(lab.Paths);
        Assert.NotEmpty(await LabProbe.LabNamespacesAsync());

        await lab.Service.DownAsync(CancellationToken.None);

        await LabProbe.AssertNothingLeftAsync(pids);
    }

    [Fact]
    public async Task Up_AfterAnUpCancelledMidway_RebuildsAWorkingLab()
    {
        await lab.Service.DownAsync(CancellationToken.None);
        await CancelledUpAsync();
        var messages = new List<string>();

        var status = await lab.NewService(messages.Add).UpAsync("healthy", CancellationToken.None);

        Assert.True(status.Up);
        Assert.Contains(messages, m => m.Contains("partial lab", StringComparison.Ordinal));
        var results = await lab.Service.CurlAsync("client", "node-1", 1, CancellationToken.None);
        Assert.Equal(200, Assert.Single(results).Status);
    }

    [Fact]
    public async Task Up_WhileAnotherOperationHoldsTheLock_WaitsThenSaysSo()
    {
        await lab.EnsureUpAsync();
        using var held = await LabLock.AcquireAsync(lab.Service.LockPath, TimeSpan.FromSeconds(5), null, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<LabException>(() =>
            lab.NewService(lockTimeout: TimeSpan.FromSeconds(1)).UpAsync("healthy", CancellationToken.None));

        Assert.Contains("another 'lab up'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_Concurrently_OneWaitsForTheOther()
    {
        await lab.Service.DownAsync(CancellationToken.None);

        var both = await Task.WhenAll(
            lab.NewService().UpAsync("healthy", CancellationToken.None),
            lab.NewService().UpAsync("healthy", CancellationToken.None));

        Assert.All(both, s => Assert.True(s.Up));
    }

    [Fact]
    public async Task Up_AfterDown_StartsFromTheScenario_NotFromTheLastMode()
    {
        await lab.EnsureUpAsync(DatapathMode.EbpfDsr);
        await lab.Service.DownAsync(CancellationToken.None);

        var status = await lab.Service.UpAsync("healthy", CancellationToken.None);

        Assert.Equal(DatapathMode.Iptables, status.Mode);
        Assert.False(status.ManualOverride);
        Assert.True(status.Health[LabHealth.Datapath]);
        var result = Assert.Single(await lab.Service.CurlAsync("client2", "node-1", 1, CancellationToken.None));
        Assert.Equal("10.99.0.11", result.PodSaw);
    }

    [Fact]
    public async Task Up_UnknownScenario_ListsTheAllowedOnes()
    {
        var ex = await Assert.ThrowsAsync<LabException>(() => lab.Service.UpAsync("ipvs", CancellationToken.None));

        Assert.Equal("unknown scenario 'ipvs'; allowed: healthy, kubekey-default, missing-bpffs, operator, operator-bootstrap", ex.Message);
    }

    /// <summary>Starts `up` and cancels it once the nodes' sshds are about to start: namespaces exist, the rest does not.</summary>
    private async Task CancelledUpAsync()
    {
        using var cts = new CancellationTokenSource();
        var service = lab.NewService(message =>
        {
            if (message.StartsWith("starting sshd on ", StringComparison.Ordinal))
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.UpAsync("healthy", cts.Token));
    }
}
