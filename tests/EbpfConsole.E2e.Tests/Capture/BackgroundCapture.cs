using System.Diagnostics;
using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Capture;

/// <summary>
/// The installed `ebpf-console capture …` running in the background: its output is collected as it comes, so a
/// test can wait for "capturing" on every point, make traffic, then let it end, interrupt it or kill it.
/// </summary>
/// <remarks>
/// Started through `env --default-signal=INT`: a shell's background job ignores SIGINT and the ignore is
/// inherited, which would make the Ctrl+C test depend on how the test run was launched. env and the wrapper
/// both exec, so <see cref="Pid"/> is the dotnet process of the console itself.
/// </remarks>
internal sealed class BackgroundCapture : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly string _command;

    private BackgroundCapture(Process process, string command)
    {
        _process = process;
        _command = command;
    }

    public int Pid => _process.Id;

    public string Stdout => Joined(_stdout);

    public string Stderr => Joined(_stderr);

    public static BackgroundCapture Start(params string[] args)
    {
        var psi = new ProcessStartInfo(CaptureTools.Tool("env"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["--default-signal=INT", InstalledConsole.Path, .. args])
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("ebpf-console did not start");
        var capture = new BackgroundCapture(process, $"ebpf-console {string.Join(' ', args)}");
        process.OutputDataReceived += (_, e) => Add(capture._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Add(capture._stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return capture;
    }

    /// <summary>Waits until stderr says "capturing" for each of <paramref name="points"/>; fails with stderr so far otherwise.</summary>
    public void WaitUntilCapturing(IReadOnlyList<string> points, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && !_process.HasExited)
        {
            var stderr = Stderr;
            if (points.All(p => stderr.Contains($"capture: {p}: capturing", StringComparison.Ordinal)))
            {
                return;
            }

            Thread.Sleep(50);
        }

        Assert.Fail($"{_command}: not capturing at {string.Join(", ", points)} after {clock.Elapsed.TotalSeconds:0.#} s" +
            $"{(_process.HasExited ? $" (exited {_process.ExitCode})" : string.Empty)}; stderr:\n{Stderr}");
    }

    /// <summary>Waits for the process to end and all of its output to be read; returns the exit code, or fails.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Assert.Fail($"{_command} did not end within {timeout.TotalSeconds:0} s; stderr:\n{Stderr}");
        }

        _process.WaitForExit(); // drains the asynchronous readers
        return _process.ExitCode;
    }

    /// <summary>Ctrl+C, as a terminal sends it: SIGINT to the console's process.</summary>
    public void Interrupt()
    {
        var kill = CaptureTools.Run("kill", "-INT", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(kill.ExitCode == 0, $"kill -INT {Pid} failed: {kill.Stderr}");
    }

    /// <summary>SIGKILL to the console's own process (the dotnet host): none of its cleanup code runs.</summary>
    public void KillHard()
    {
        var comm = File.ReadAllText($"/proc/{Pid}/comm").Trim();
        Assert.True(comm == "dotnet", $"PID {Pid} is '{comm}', not the console's dotnet process");
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: false);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // It ended on its own in the meantime.
        }

        _process.Dispose();
    }

    private static void Add(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lines)
        {
            lines.Add(line);
        }
    }

    private static string Joined(List<string> lines)
    {
        lock (lines)
        {
            return string.Join('\n', lines);
        }
    }
}
