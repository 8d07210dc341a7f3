using System.Diagnostics;
using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

public sealed class LabLockTests : IDisposable
{
    private readonly LabBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task SecondHolder_WaitsThenFailsNamingTheOtherUp()
    {
        var path = Path.Combine(_bed.Root, "lab.lock");
        using (await LabLock.AcquireAsync(path, TimeSpan.FromSeconds(1), null, CancellationToken.None))
        {
            var messages = new List<string>();
            var ex = await Assert.ThrowsAsync<LabException>(() =>
                LabLock.AcquireAsync(path, TimeSpan.FromMilliseconds(600), messages.Add, CancellationToken.None));
            Assert.Contains("another 'lab up'", ex.Message, StringComparison.Ordinal);
            Assert.Single(messages);
        }

        using var again = await LabLock.AcquireAsync(path, TimeSpan.FromSeconds(1), null, CancellationToken.None);
    }

    [Fact]
    public async Task PathIsADirectory_FailsAtOnceNamingThePath()
    {
        var path = Directory.CreateDirectory(Path.Combine(_bed.Root, "lab.lock")).FullName;

        var (ex, elapsed) = await AcquireFailingAsync(path);

        Assert.True(elapsed < TimeSpan.FromSeconds(2), elapsed.ToString());
        Assert.StartsWith($"cannot open the lab lock {path}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParentDirectoryMissing_FailsAtOnceNamingThePathAndTheError()
    {
        var path = Path.Combine(_bed.Root, "missing", "lab.lock");

        var (ex, elapsed) = await AcquireFailingAsync(path);

        Assert.True(elapsed < TimeSpan.FromSeconds(2), elapsed.ToString());
        Assert.StartsWith($"cannot open the lab lock {path}: ", ex.Message, StringComparison.Ordinal);
        Assert.IsType<DirectoryNotFoundException>(ex.InnerException);
    }

    [Fact]
    public async Task ReadOnlyFileSystem_FailsAtOnce()
    {
        var (ex, elapsed) = await AcquireFailingAsync("/proc/eclab-unit.lock");

        Assert.True(elapsed < TimeSpan.FromSeconds(2), elapsed.ToString());
        Assert.Contains("/proc/eclab-unit.lock", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("another", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mutations_FromDifferentStateDirectories_ShareOneMachineWideLock()
    {
        var other = new LabPaths(Path.Combine(_bed.Root, "other-state"));
        Directory.CreateDirectory(_bed.Machine.RunDir);
        using var held = await LabLock.AcquireAsync(_bed.Machine.LockPath, TimeSpan.FromSeconds(1), null, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<LabException>(() => _bed.Service(other).DownAsync(CancellationToken.None));

        Assert.Contains("another 'lab up'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(_bed.Machine.LockPath, ex.Message, StringComparison.Ordinal);
        Assert.Empty(_bed.Runner.Calls);
    }

    [Fact]
    public void Machine_DefaultPathsAreUnderRun()
    {
        Assert.Equal("/run/ebpf-console/lab.lock", LabMachine.Default.LockPath);
        Assert.Equal("/run/ebpf-console/lab.owner", LabMachine.Default.OwnerPath);
    }

    private static async Task<(LabException Ex, TimeSpan Elapsed)> AcquireFailingAsync(string path)
    {
        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<LabException>(() => LabLock.AcquireAsync(path, TimeSpan.FromSeconds(5), null, CancellationToken.None));
        return (ex, watch.Elapsed);
    }
}
