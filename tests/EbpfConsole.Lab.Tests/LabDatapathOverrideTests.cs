using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

/// <summary><see cref="LabDatapath"/> (what the lab controller drives), the "none" datapath and the `lab mode` override file.</summary>
public sealed class LabDatapathOverrideTests : IDisposable
{
    private readonly LabBed _bed = new();
    private readonly List<string> _progress = [];

    public LabDatapathOverrideTests()
    {
        Directory.CreateDirectory(_bed.Paths.StateDir);
        _bed.Runner.On("ip netns list", new CommandResult(0, LabBed.AllNamespaces, string.Empty));
    }

    public void Dispose() => _bed.Dispose();

    private LabDatapath Datapath() => new(_bed.Paths, _bed.Runner, _progress.Add) { Machine = _bed.Machine, LockTimeout = TimeSpan.FromSeconds(1) };

    [Fact]
    public async Task Apply_None_RemovesEveryRuleFlushesConntrack_RecordsNone()
    {
        var datapath = Datapath();

        await datapath.ApplyAsync(null, CancellationToken.None);

        Assert.Equal("none", datapath.Current);
        var expected = DatapathConfigurator.Plan(null).Select(c => c.ToString()).ToList();
        Assert.Equal(expected, _bed.Runner.Calls.Where(c => c != "ip netns list"));
        Assert.Equal(
            LabTopology.Nodes.SelectMany(DatapathPlan.Reset).Concat(LabTopology.Nodes.Select(DatapathPlan.FlushConntrack)).Select(c => c.ToString()),
            expected);
    }

    [Fact]
    public async Task Apply_WhatIsAlreadyRecorded_RunsNothing()
    {
        File.WriteAllText(_bed.Paths.ModePath, "ebpf-tunnel\n");

        await Datapath().ApplyAsync(DatapathMode.EbpfTunnel, CancellationToken.None);

        Assert.Empty(_bed.Runner.Calls);
    }

    [Fact]
    public async Task Apply_Mode_RunsThePlanAndRecordsIt()
    {
        var datapath = Datapath();

        await datapath.ApplyAsync(DatapathMode.EbpfDsr, CancellationToken.None);

        Assert.Equal("ebpf-dsr", datapath.Current);
        Assert.Contains(_bed.Runner.Calls, c => c.Contains("vxlan", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apply_WhileATrainerForcedAnotherMode_AppliesNothingAndSaysWhy()
    {
        await LabDatapath.WriteOverrideAsync(_bed.Paths, DatapathMode.EbpfDsr, CancellationToken.None);
        var datapath = Datapath();

        await datapath.ApplyAsync(DatapathMode.Iptables, CancellationToken.None);

        Assert.Equal(DatapathMode.EbpfDsr, datapath.ManualOverride);
        Assert.Null(datapath.Current);
        Assert.Empty(_bed.Runner.Calls);
        Assert.Contains(_progress, m => m.Contains("'lab mode' forced ebpf-dsr", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apply_LabNotUp_LabException()
    {
        using var bed = new LabBed();
        var datapath = new LabDatapath(bed.Paths, bed.Runner) { Machine = bed.Machine };

        var ex = await Assert.ThrowsAsync<LabException>(() => datapath.ApplyAsync(DatapathMode.Iptables, CancellationToken.None));

        Assert.Equal("the lab is not up: run 'ebpf-console lab up' first", ex.Message);
    }

    [Fact]
    public async Task Apply_WaitsForTheLabLock()
    {
        using var held = await _bed.Machine.LockAsync(TimeSpan.FromSeconds(1), null, CancellationToken.None);

        await Assert.ThrowsAsync<LabException>(() => Datapath().ApplyAsync(DatapathMode.Iptables, CancellationToken.None));

        Assert.Empty(_bed.Runner.Calls);
    }

    [Theory]
    [InlineData("ebpf-dsr\n", DatapathMode.EbpfDsr)]
    [InlineData("EBPF-TUNNEL", DatapathMode.EbpfTunnel)]
    [InlineData("auto", null)]
    [InlineData("", null)]
    public void ManualOverride_ReadsTheOverrideFile(string content, DatapathMode? expected)
    {
        File.WriteAllText(_bed.Paths.ModeOverridePath, content);

        Assert.Equal(expected, Datapath().ManualOverride);
    }

    [Fact]
    public void ManualOverride_NoFile_IsNull_AndClearingTwiceIsFine()
    {
        LabDatapath.ClearOverride(_bed.Paths);
        LabDatapath.ClearOverride(_bed.Paths);

        Assert.Null(Datapath().ManualOverride);
    }

    [Theory]
    [InlineData("none\n", "none")]
    [InlineData("EBPF-DSR\n", "ebpf-dsr")]
    [InlineData("ipvs\n", null)]
    public void Current_IsTheRecordedName(string content, string? expected)
    {
        File.WriteAllText(_bed.Paths.ModePath, content);

        Assert.Equal(expected, Datapath().Current);
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    public async Task Health_NoneRecorded_HealthyOnlyWithoutNodePortRules(bool kubeProxyChain, bool steeringRule, bool healthy)
    {
        _bed.Runner
            .On("addr show dev eclab-host", new CommandResult(0, " inet 10.99.0.1/24 ", string.Empty))
            .On("iptables -t nat -S KUBE-NODEPORTS", new CommandResult(kubeProxyChain ? 0 : 1, string.Empty, kubeProxyChain ? string.Empty : "iptables: No chain/target/match by that name."))
            .On("eclab-node-1 rule show pref 10", new CommandResult(0, steeringRule ? "10: from all lookup 100\n" : string.Empty, string.Empty));

        var health = await new LabHealth(_bed.Paths, new LabShell(_bed.Runner), _bed.Proc).ProbeAsync("none", CancellationToken.None);

        Assert.Equal(healthy, health[LabHealth.Datapath]);
    }

    [Fact]
    public void ExtraLink_InvalidName_LabExceptionNamingIt()
    {
        var ex = Assert.Throws<LabException>(() => LabTopologyBuilder.ExtraLink(LabTopology.Node1, "kube ipvs0; reboot"));

        Assert.StartsWith("scenario link name 'kube ipvs0; reboot' on node-1 is not a valid interface name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TopologyForScenario_AddsEachNodesLinksAfterTheTopology()
    {
        var scenario = _bed.Scenario("kubekey-default");

        var commands = LabTopologyBuilder.Commands(scenario);

        Assert.Equal(LabTopologyBuilder.Commands().Select(c => c.ToString()), commands.Take(LabTopologyBuilder.Commands().Count).Select(c => c.ToString()));
        Assert.Equal(
            ["eclab-node-1 kube-ipvs0", "eclab-node-2 kube-ipvs0"],
            commands.Skip(LabTopologyBuilder.Commands().Count).Select(c => string.Join(' ', c.Args.TakeLast(2))));
    }
}
