using System.Diagnostics;
using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Migration;

/// <summary>The installed command running in the background: its output lines as they come, and SIGKILL (what a dropped SSH session or kill -9 does).</summary>
internal sealed class RunningConsole : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly Lock _gate = new();

    private RunningConsole(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Add(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public static RunningConsole Start(params string[] args)
    {
        var psi = new ProcessStartInfo(InstalledConsole.Path) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("ebpf-console did not start");
        process.StandardInput.Close();
        return new RunningConsole(process);
    }

    /// <summary>Waits until a line of stderr (progress) satisfies <paramref name="match"/>.</summary>
    public void WaitForProgress(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            lock (_gate)
            {
                if (_stderr.Any(l => l.Contains(text, StringComparison.Ordinal)))
                {
                    return;
                }
            }

            if (_process.HasExited)
            {
                break;
            }

            Thread.Sleep(10);
        }

        Assert.Fail($"waited for '{text}' on stderr; the console {(_process.HasExited ? $"exited {_process.ExitCode}" : "is still running")}:\n{Output()}");
    }

    /// <summary>Waits for the process to end (at most <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public CliResult WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"the console did not finish within {timeout.TotalSeconds:0}s:\n{Output()}");
        }

        _process.WaitForExit();
        lock (_gate)
        {
            return new CliResult(_process.ExitCode, string.Join('\n', _stdout), string.Join('\n', _stderr));
        }
    }

    /// <summary>SIGKILL: no cleanup of any kind runs in the console.</summary>
    public void Kill()
    {
        Assert.Equal(0, InstalledConsole.RunFile("kill", ["-KILL", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExitCode);
        _process.WaitForExit(TimeSpan.FromSeconds(10));
    }

    public string Output()
    {
        lock (_gate)
        {
            return $"stdout:\n{string.Join('\n', _stdout)}\nstderr:\n{string.Join('\n', _stderr)}";
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Add(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            lines.Add(line);
        }
    }
}
