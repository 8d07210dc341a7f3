using System.Diagnostics;
using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

public class ProcessRunnerTests
{
    private readonly ProcessRunner _runner = new();

    [Fact]
    public async Task Run_FeedsStdinAndCapturesBothStreamsAndExitCode()
    {
        var result = await _runner.RunAsync("sh", ["-c", "cat; echo oops >&2; exit 3"], CancellationToken.None, "*nat\nCOMMIT\n");

        Assert.Equal(new CommandResult(3, "*nat\nCOMMIT\n", "oops\n"), result);
        Assert.Equal("oops", result.Tail());
    }

    [Fact]
    public async Task Run_ChildIgnoresStdin_StillCompletes()
    {
        var result = await _runner.RunAsync("sh", ["-c", "exit 0"], CancellationToken.None, new string('x', 1 << 20));

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task Run_PathIncludesSbin()
    {
        var result = await _runner.RunAsync("sh", ["-c", "echo $PATH"], CancellationToken.None);

        Assert.Contains("/usr/sbin", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DaemonKeepsPipesOpen_ReturnsAfterTheChildExits()
    {
        var watch = Stopwatch.StartNew();

        var result = await _runner.RunAsync("sh", ["-c", "sleep 5 & echo started"], CancellationToken.None);

        Assert.Equal("started\n", result.StdOut);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4.5), watch.Elapsed.ToString());
    }

    [Fact]
    public async Task Run_Cancelled_KillsTheChild()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _runner.RunAsync("sleep", ["30"], cts.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Run_MissingProgram_IsALabExceptionNamingIt()
    {
        var ex = await Assert.ThrowsAsync<LabException>(() => _runner.RunAsync("no-such-tool-eclab", [], CancellationToken.None));

        Assert.Contains("no-such-tool-eclab", ex.Message, StringComparison.Ordinal);
    }
}
