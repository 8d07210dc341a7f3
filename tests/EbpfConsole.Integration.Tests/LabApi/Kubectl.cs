using System.Diagnostics;
using EbpfConsole.Integration.Tests.Support;

namespace EbpfConsole.Integration.Tests.LabApi;

/// <summary>The real kubectl on PATH against the fixture's kubeconfig, or <paramref name="kubeconfig"/> (own cache directory, no user config).</summary>
internal sealed class Kubectl(LabApiFixture fixture, string? kubeconfig = null)
{
    private readonly string _kubeconfig = kubeconfig ?? fixture.KubeconfigPath;

    private readonly string _binary = Requirements.Tool("kubectl");

    private string CacheDir => Path.Combine(fixture.StateDir, "kubectl-cache");

    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await RunWithStdinAsync(null, args);
        return (exit, stdout, stderr);
    }

    /// <summary>Runs kubectl and fails the test unless it exits 0; returns stdout.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync(args);
        Assert.True(exit == 0, $"kubectl {string.Join(' ', args)} exited {exit}: {stderr}{stdout}");
        return stdout;
    }

    public Task<(int ExitCode, string Stdout, string Stderr)> RunWithStdinAsync(string? stdin, params string[] args) =>
        ToolProcess.RunAsync(Info(args), stdin);

    /// <summary>Starts a long-running kubectl (get -w, logs -f) whose output lines are collected.</summary>
    public Streaming Start(params string[] args)
    {
        var process = Process.Start(Info(args)) ?? throw new InvalidOperationException("cannot start kubectl");
        process.StandardInput.Close();
        return new Streaming(process);
    }

    private ProcessStartInfo Info(string[] args)
    {
        var info = ToolProcess.StartInfo(_binary, ["--kubeconfig", _kubeconfig, "--cache-dir", CacheDir, .. args]);

        info.Environment["KUBECONFIG"] = _kubeconfig;
        info.Environment["KUBECACHEDIR"] = CacheDir;
        info.Environment["HOME"] = fixture.StateDir;
        info.Environment.Remove("HTTPS_PROXY");
        info.Environment.Remove("https_proxy");
        return info;
    }

    /// <summary>A running kubectl; disposing kills it (by its own process object).</summary>
    internal sealed class Streaming : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];
        private readonly List<string> _errors = [];

        public Streaming(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) => Add(_lines, e.Data);
            _process.ErrorDataReceived += (_, e) => Add(_errors, e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public string Errors
        {
            get
            {
                lock (_errors)
                {
                    return string.Join('\n', _errors);
                }
            }
        }

        public Task WaitForLineAsync(Func<string, bool> match, string what) =>
            ApiAssert.EventuallyAsync(() => Lines.Any(match), $"{what}; kubectl printed: [{string.Join(" | ", Lines)}] stderr: [{Errors}]");

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
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
    }
}
