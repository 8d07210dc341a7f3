using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

/// <summary>`lab up --nodes N` on a machine the fake runner simulates: the count is built, remembered and defended.</summary>
public sealed class LabServiceNodesTests : IDisposable
{
    private readonly LabBed _bed = new();
    private readonly List<string> _progress = [];

    public LabServiceNodesTests()
    {
        _bed.WriteKeys(5);
        _bed.SimulateMachine();
    }

    public void Dispose() => _bed.Dispose();

    private LabService Service() => _bed.Service(progress: _progress.Add, healthTimeout: TimeSpan.FromSeconds(5));

    [Fact]
    public async Task Up_FiveNodes_BuildsStartsAndReportsEveryNode()
    {
        var status = await Service().UpAsync("healthy", 5, CancellationToken.None);

        Assert.True(status.Up, string.Join(", ", status.Health.Where(h => !h.Value).Select(h => h.Key)));
        Assert.Equal(["node-1", "node-2", "node-3", "node-4", "node-5"], status.Nodes.Select(n => n.Name));
        Assert.True(status.Health["sshd:node-5"]);
        var calls = _bed.Runner.Calls;
        Assert.Contains("ip netns add eclab-node-5", calls);
        Assert.Contains(calls, c => c.Contains($"sshd-launch {_bed.Paths.SshdConfigPath(LabTopology.Node(5))}", StringComparison.Ordinal));
        Assert.Equal(5, LabApiServerConfig.Read(_bed.Paths.ApiServerConfigPath)!.Nodes);
        var knownHosts = File.ReadAllLines(_bed.Paths.KnownHostsPath);
        Assert.Equal(5, knownHosts.Length);
        Assert.StartsWith("10.99.0.15 ssh-ed25519 ", knownHosts[4], StringComparison.Ordinal);
        Assert.True(Directory.Exists(_bed.Machine.CalicoRunDir));
    }

    [Fact]
    public async Task Up_OtherCountOnARunningLab_RefusedInOneLine()
    {
        await Service().UpAsync("healthy", 5, CancellationToken.None);

        var error = await Assert.ThrowsAsync<LabException>(() => Service().UpAsync("healthy", 3, CancellationToken.None));

        Assert.Equal("the lab is up with 5 nodes; run 'ebpf-console lab down' first", error.Message);
    }

    [Fact]
    public async Task Up_WithoutCountOnARunningLab_KeepsItsCount()
    {
        await Service().UpAsync("healthy", 5, CancellationToken.None);
        var before = _bed.Runner.Calls.Count;

        var status = await Service().UpAsync("healthy", CancellationToken.None);

        Assert.True(status.Up);
        Assert.Equal(5, status.Nodes.Count);
        Assert.DoesNotContain(_bed.Runner.Calls.Skip(before), c => c.StartsWith("ip netns add", StringComparison.Ordinal));
        Assert.Equal(5, (await Service().GetStatusAsync(CancellationToken.None)).Nodes.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(51)]
    public async Task Up_CountOutOfRange_RefusedBeforeTouchingTheMachine(int nodes)
    {
        var error = await Assert.ThrowsAsync<LabException>(() => Service().UpAsync("healthy", nodes, CancellationToken.None));

        Assert.Equal($"--nodes must be between 2 and 50, not {nodes}", error.Message);
        Assert.Empty(_bed.Runner.Calls);
    }

    [Fact]
    public async Task Down_RemovesEveryNodeNamespaceAndTheCalicoRunDirItCreated()
    {
        await Service().UpAsync("healthy", 5, CancellationToken.None);

        await Service().DownAsync(CancellationToken.None);

        Assert.Contains("ip netns del eclab-node-5", _bed.Runner.Calls);
        Assert.False(Directory.Exists(_bed.Machine.CalicoRunDir));
        Assert.False(File.Exists(_bed.Machine.CalicoRunMarkerPath));
        Assert.False(File.Exists(_bed.Paths.SshdPidPath(LabTopology.Node(5))));
    }

    [Fact]
    public async Task Down_CalicoRunDirThatWasThereBefore_IsLeftAlone()
    {
        Directory.CreateDirectory(_bed.Machine.CalicoRunDir);
        await Service().UpAsync("healthy", 3, CancellationToken.None);

        await Service().DownAsync(CancellationToken.None);

        Assert.True(Directory.Exists(_bed.Machine.CalicoRunDir));
    }
}
