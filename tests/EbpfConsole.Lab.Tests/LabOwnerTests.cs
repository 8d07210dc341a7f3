using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

/// <summary>The lab is machine-global: the state directory that built it owns it until `down`.</summary>
public sealed class LabOwnerTests : IDisposable
{
    private readonly LabBed _bed = new();
    private readonly string _other;

    public LabOwnerTests()
    {
        _other = Path.Combine(_bed.Root, "other-state");
        _bed.Runner.On("ip netns list", new CommandResult(0, LabBed.AllNamespaces, string.Empty));
    }

    public void Dispose() => _bed.Dispose();

    private string Expected => $"a lab owned by state directory {_other} is up; use EBPF_CONSOLE_LAB_DIR={_other} or run 'ebpf-console lab down' first";

    private void OwnedByOther()
    {
        Directory.CreateDirectory(_bed.Machine.RunDir);
        File.WriteAllText(_bed.Machine.OwnerPath, _other + "\n");
    }

    [Fact]
    public async Task Up_LabOwnedByAnotherStateDirectory_RefusesAndTouchesNothing()
    {
        OwnedByOther();

        var ex = await Assert.ThrowsAsync<LabException>(() => _bed.Service().UpAsync("healthy", CancellationToken.None));

        Assert.Equal(Expected, ex.Message);
        Assert.Equal(["ip netns list"], _bed.Runner.Calls);
        Assert.Equal(_other + "\n", File.ReadAllText(_bed.Machine.OwnerPath));
    }

    [Fact]
    public async Task Mode_LabOwnedByAnotherStateDirectory_Refuses()
    {
        OwnedByOther();

        var ex = await Assert.ThrowsAsync<LabException>(() => _bed.Service().SetModeAsync(DatapathMode.EbpfDsr, CancellationToken.None));

        Assert.Equal(Expected, ex.Message);
        Assert.Equal(["ip netns list"], _bed.Runner.Calls);
        Assert.False(File.Exists(_bed.Paths.ModePath));
    }

    [Fact]
    public async Task Curl_LabOwnedByAnotherStateDirectory_Refuses()
    {
        OwnedByOther();

        var ex = await Assert.ThrowsAsync<LabException>(() => _bed.Service().CurlAsync("client", "node-1", 1, CancellationToken.None));

        Assert.Equal(Expected, ex.Message);
        Assert.DoesNotContain(_bed.Runner.Calls, c => c.Contains("curl", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Curl_OwnedByThisStateDirectory_WithATrailingSlash_Runs()
    {
        Directory.CreateDirectory(_bed.Machine.RunDir);
        File.WriteAllText(_bed.Machine.OwnerPath, _bed.Paths.StateDir + "/\n");
        _bed.Runner.On("curl", new CommandResult(0, "10.99.0.11:1234\n\nhttp_code=200", string.Empty));

        var result = Assert.Single(await _bed.Service().CurlAsync("client", "node-1", 1, CancellationToken.None));

        Assert.Equal(200, result.Status);
    }

    [Fact]
    public async Task Down_LabOwnedByAnotherStateDirectory_RemovesItAndTheOwnerRecord()
    {
        OwnedByOther();

        await _bed.Service().DownAsync(CancellationToken.None);

        Assert.Contains("ip netns del eclab-node-1", _bed.Runner.Calls);
        Assert.Contains("ip link del eclab-host", _bed.Runner.Calls);
        Assert.False(File.Exists(_bed.Machine.OwnerPath));
    }

    [Fact]
    public async Task Up_NoOwnerRecordButNamespacesExist_RebuildsThemAsAPartialLab_AndRecordsItselfBeforeBuilding()
    {
        _bed.WriteKeys();
        string? ownerWhenBuilding = null;
        _bed.Runner.On("ip netns add eclab-net", _ =>
        {
            ownerWhenBuilding = File.ReadAllText(_bed.Machine.OwnerPath);
            return Task.FromResult(new CommandResult(0, string.Empty, string.Empty));
        });
        var messages = new List<string>();

        // Nothing really starts, so the (short) health wait ends the run; what matters is what happened before.
        await Assert.ThrowsAsync<LabException>(() => _bed.Service(progress: messages.Add).UpAsync("healthy", CancellationToken.None));

        Assert.Contains(messages, m => m.StartsWith("found a partial lab", StringComparison.Ordinal));
        Assert.Contains("ip netns del eclab-node-1", _bed.Runner.Calls);
        Assert.Equal(_bed.Paths.StateDir + "\n", ownerWhenBuilding);
    }
}
