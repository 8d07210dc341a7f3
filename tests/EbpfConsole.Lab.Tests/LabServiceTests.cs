using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

public sealed class LabServiceTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("eclab-unit-");
    private readonly FakeRunner _runner = new();

    public void Dispose() => _dir.Delete(recursive: true);

    private LabService Service() => new(new LabPaths(_dir.FullName), _runner) { EnsureEnvironment = () => { } };

    [Fact]
    public async Task Up_UnknownScenario_ListsAllowedAndRunsNothing()
    {
        var ex = await Assert.ThrowsAsync<LabException>(() => Service().UpAsync("broken-bpffs", CancellationToken.None));

        Assert.Equal("unknown scenario 'broken-bpffs'; allowed: healthy", ex.Message);
        Assert.Empty(_runner.Calls);
    }

    [Theory]
    [InlineData("client3", "node-1", "unknown client 'client3'; allowed: client, client2")]
    [InlineData("client", "node-9", "unknown target 'node-9'; allowed: node-1, node-2")]
    public async Task Curl_UnknownHost_ListsAllowed(string from, string target, string message)
    {
        var ex = await Assert.ThrowsAsync<LabException>(() => Service().CurlAsync(from, target, 1, CancellationToken.None));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task Curl_LabDown_SaysRunUp()
    {
        var ex = await Assert.ThrowsAsync<LabException>(() => Service().CurlAsync("client", "node-1", 1, CancellationToken.None));

        Assert.Contains("lab up", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingCommand_ReportsCommandExitCodeAndStderrTail()
    {
        _runner.On("ip netns add eclab-net", new CommandResult(2, string.Empty, "line1\nline2\nRTNETLINK answers: Operation not permitted\n"));

        var ex = await Assert.ThrowsAsync<LabException>(() => Service().UpAsync("healthy", CancellationToken.None));

        Assert.Equal("'ip netns add eclab-net' failed with exit code 2: line1 | line2 | RTNETLINK answers: Operation not permitted", ex.Message);
    }

    [Fact]
    public async Task Down_NothingThere_OnlyLooks()
    {
        _runner.On("ip link show eclab-host", new CommandResult(1, string.Empty, "Device \"eclab-host\" does not exist."));

        await Service().DownAsync(CancellationToken.None);

        Assert.Equal(["ip netns list", "ip link show eclab-host"], _runner.Calls);
    }

    [Fact]
    public async Task Down_KillsNamespacePidsThenDeletesLinkAndNamespaces()
    {
        _runner.On("ip netns list", new CommandResult(0, "eclab-node-1 (id: 1)\nunrelated\n", string.Empty))
            .On("ip netns pids eclab-node-1", new CommandResult(0, $"{int.MaxValue}\n", string.Empty));

        await Service().DownAsync(CancellationToken.None);

        Assert.Equal(
            ["ip netns list", "ip netns pids eclab-node-1", $"kill -TERM -- {int.MaxValue}", "ip link show eclab-host", "ip link del eclab-host", "ip netns del eclab-node-1"],
            _runner.Calls);
    }

    [Fact]
    public async Task SetMode_LabDown_SaysRunUp()
    {
        var ex = await Assert.ThrowsAsync<LabException>(() => Service().SetModeAsync(Core.Datapath.DatapathMode.EbpfDsr, CancellationToken.None));

        Assert.Contains("lab up", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir.FullName, "mode")));
    }
}
