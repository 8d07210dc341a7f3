using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

public sealed class LabServiceTests : IDisposable
{
    private readonly LabBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private FakeRunner Runner => _bed.Runner;

    [Fact]
    public async Task Up_UnknownScenario_ListsAllowedAndRunsNothing()
    {
        var ex = await Assert.ThrowsAsync<LabException>(() => _bed.Service().UpAsync("broken-bpffs", CancellationToken.None));

        Assert.Equal("unknown scenario 'broken-bpffs'; allowed: healthy, kubekey-default, missing-bpffs, operator, operator-bootstrap", ex.Message);
        Assert.Empty(Runner.Calls);
    }

    [Theory]
    [InlineData("client3", "node-1", "unknown client 'client3'; allowed: client, client2")]
    [InlineData("client", "node-9", "unknown target 'node-9'; allowed: node-1, node-2")]
    public async Task Curl_UnknownHost_ListsAllowed(string from, string target, string message)
    {
        var ex = await Assert.ThrowsAsync<LabException>(() => _bed.Service().CurlAsync(from, target, 1, CancellationToken.None));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task Curl_LabDown_SaysRunUp()
    {
        var ex = await Assert.ThrowsAsync<LabException>(() => _bed.Service().CurlAsync("client", "node-1", 1, CancellationToken.None));

        Assert.Contains("lab up", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingCommand_ReportsCommandExitCodeAndStderrTail()
    {
        Runner.On("ip netns add eclab-net", new CommandResult(2, string.Empty, "line1\nline2\nRTNETLINK answers: Operation not permitted\n"));

        var ex = await Assert.ThrowsAsync<LabException>(() => _bed.Service().UpAsync("healthy", CancellationToken.None));

        Assert.Equal("'ip netns add eclab-net' failed with exit code 2: line1 | line2 | RTNETLINK answers: Operation not permitted", ex.Message);
    }

    [Fact]
    public async Task Up_CommandHangs_KilledAfterTheCommandTimeout()
    {
        Runner.Hang("ip netns add eclab-net");

        var ex = await Assert.ThrowsAsync<LabException>(() =>
            _bed.Service(commandTimeout: TimeSpan.FromMilliseconds(300)).UpAsync("healthy", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal("'ip netns add eclab-net' did not finish within 0.3 s and was killed (with its child processes)", ex.Message);
    }

    [Fact]
    public async Task Up_HealthProbeHangs_FailsWhenTheHealthWaitEnds_NotAfterTheCommandTimeout()
    {
        _bed.WriteKeys();
        _bed.FakeApiServerOnLaunch();
        Runner.On("ip netns list", _ => Task.FromResult(new CommandResult(
            0, Runner.Calls.Contains("ip netns add eclab-pod-nginx") ? LabBed.AllNamespaces : string.Empty, string.Empty)));
        Runner.Hang("addr show dev eclab-host");

        var ex = await Assert.ThrowsAsync<LabException>(() =>
            _bed.Service(healthTimeout: TimeSpan.FromMilliseconds(500)).UpAsync("healthy", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.StartsWith("the lab did not become healthy within 0.5 s (failing: a health probe did not answer)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Down_NothingThere_OnlyLooks()
    {
        Runner.On("ip link show eclab-host", new CommandResult(1, string.Empty, "Device \"eclab-host\" does not exist."));

        await _bed.Service().DownAsync(CancellationToken.None);

        Assert.Equal(["ip netns list", "ip link show eclab-host"], Runner.Calls);
    }

    [Fact]
    public async Task Down_KillsNamespacePidsThenDeletesLinkAndNamespaces()
    {
        Runner.On("ip netns list", new CommandResult(0, "eclab-node-1 (id: 1)\nunrelated\n", string.Empty))
            .On("ip netns pids eclab-node-1", new CommandResult(0, $"{int.MaxValue}\n", string.Empty));

        await _bed.Service().DownAsync(CancellationToken.None);

        Assert.Equal(
            ["ip netns list", "ip netns pids eclab-node-1", $"kill -TERM -- {int.MaxValue}", "ip link show eclab-host", "ip link del eclab-host", "ip netns del eclab-node-1"],
            Runner.Calls);
    }

    [Fact]
    public async Task SetMode_LabDown_SaysRunUp()
    {
        var ex = await Assert.ThrowsAsync<LabException>(() => _bed.Service().SetModeAsync(DatapathMode.EbpfDsr, CancellationToken.None));

        Assert.Contains("lab up", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_bed.Paths.ModePath));
    }

    public static TheoryData<string> UnusableStateDirs => new() { "a-file", "a-file/lab", "/proc/eclab-unit-state" };

    [Theory]
    [MemberData(nameof(UnusableStateDirs))]
    public async Task Up_UnusableStateDirectory_LabExceptionNamingIt_BeforeAnything(string dir)
    {
        File.WriteAllText(Path.Combine(_bed.Root, "a-file"), "x");
        var paths = new LabPaths(Path.Combine(_bed.Root, dir));

        var ex = await Assert.ThrowsAsync<LabException>(() => _bed.Service(paths).UpAsync("healthy", CancellationToken.None));

        Assert.StartsWith($"the lab state directory {paths.StateDir} is not usable (", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("set EBPF_CONSOLE_LAB_DIR to a writable directory", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Runner.Calls);
    }

    [Fact]
    public async Task SetMode_StateDirectoryIsAFile_LabExceptionNamingIt()
    {
        var file = Path.Combine(_bed.Root, "a-file");
        File.WriteAllText(file, "x");

        var ex = await Assert.ThrowsAsync<LabException>(() => _bed.Service(new LabPaths(file)).SetModeAsync(DatapathMode.EbpfDsr, CancellationToken.None));

        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusAndDown_StateDirectoryIsAFile_StillWork()
    {
        var file = Path.Combine(_bed.Root, "a-file");
        File.WriteAllText(file, "x");
        var service = _bed.Service(new LabPaths(file));

        var status = await service.GetStatusAsync(CancellationToken.None);
        await service.DownAsync(CancellationToken.None);

        Assert.False(status.Up);
        Assert.Null(status.Mode);
    }
}
