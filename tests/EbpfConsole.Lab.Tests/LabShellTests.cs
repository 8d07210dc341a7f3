using System.Diagnostics;
using System.Globalization;
using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

public sealed class LabShellTests
{
    [Fact]
    public async Task Run_CommandHangs_KilledAtTheDefaultTimeout_LabExceptionNamesCommandAndTimeout()
    {
        var runner = new FakeRunner().Hang("ip netns add");
        var shell = new LabShell(runner) { DefaultTimeout = TimeSpan.FromMilliseconds(200) };
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<LabException>(() => shell.RunAsync(LabCommand.Ip("netns", "add", "eclab-net"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal("'ip netns add eclab-net' did not finish within 0.2 s and was killed (with its child processes)", ex.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
    }

    [Fact]
    public async Task Run_ACommandsOwnTimeout_WinsOverTheDefault()
    {
        var shell = new LabShell(new FakeRunner().Hang("conntrack")) { DefaultTimeout = TimeSpan.FromMinutes(5) };

        var ex = await Assert.ThrowsAsync<LabException>(() =>
            shell.RunAsync(LabCommand.Exec("eclab-node-1", "conntrack", "-F").WithTimeout(TimeSpan.FromMilliseconds(100)), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains("within 0.1 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_TimeoutStillThrows_ItIsNotAnAnswer()
    {
        var shell = new LabShell(new FakeRunner().Hang("link show")) { DefaultTimeout = TimeSpan.FromMilliseconds(100) };

        await Assert.ThrowsAsync<LabException>(() => shell.ProbeAsync(LabCommand.Ip("link", "show", "eclab-host"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Run_CallerCancels_IsCancellationNotATimeout()
    {
        var shell = new LabShell(new FakeRunner().Hang("ip"));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => shell.RunAsync(LabCommand.Ip("netns", "list"), cts.Token));
    }

    [Fact]
    public async Task Run_RealProcessTimesOut_ItAndItsChildrenAreKilled()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"eclab-unit-child-{Guid.NewGuid():N}");
        var shell = new LabShell(new ProcessRunner()) { DefaultTimeout = TimeSpan.FromMilliseconds(500) };
        try
        {
            var command = new LabCommand("sh", ["-c", "sleep 60 & echo $! > \"$1\"; wait", "sh", pidFile]);

            await Assert.ThrowsAsync<LabException>(() => shell.RunAsync(command, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));

            var child = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
            var watch = Stopwatch.StartNew();
            while (!ProcFs.Default.IsStopped(child) && watch.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(50);
            }

            Assert.True(ProcFs.Default.IsStopped(child), $"child {child} of the timed-out command still runs");
        }
        finally
        {
            File.Delete(pidFile);
        }
    }
}
