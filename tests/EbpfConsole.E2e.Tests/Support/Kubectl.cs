using System.Diagnostics;

namespace EbpfConsole.E2e.Tests.Support;

/// <summary>
/// The real kubectl on the PATH (install.sh makes sure there is one), pointed at the lab's kubeconfig
/// with a private discovery cache so runs do not see each other's.
/// </summary>
public sealed class Kubectl : IDisposable
{
    private readonly string _cacheDir = Directory.CreateTempSubdirectory("ebpf-console-kubectl-cache-").FullName;

    public Kubectl(string kubeconfig)
    {
        Kubeconfig = kubeconfig;
        Binary = Locate() ?? throw new InvalidOperationException("unreachable");
    }

    public string Kubeconfig { get; }

    public string Binary { get; }

    /// <summary>kubectl's path, or a failed assertion naming the install step.</summary>
    public static string? Locate()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, "kubectl"))
            .FirstOrDefault(File.Exists);
        if (found is null)
        {
            Assert.Fail("kubectl is not on the PATH: run ./install.sh (it installs kubectl 1.32).");
        }

        return found;
    }

    /// <summary>Runs kubectl to completion (60 s at most).</summary>
    public CliResult Run(params string[] args) =>
        InstalledConsole.RunFile(Binary, ["--kubeconfig", Kubeconfig, "--cache-dir", _cacheDir, .. args]);

    /// <summary>Runs kubectl and fails the test (with its stderr) unless it exits 0; returns stdout.</summary>
    public string Ok(params string[] args)
    {
        var result = Run(args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result.Stdout;
    }

    /// <summary>Starts a long-running kubectl (e.g. `get -w`) whose output is collected until it is disposed.</summary>
    public Streaming Start(params string[] args)
    {
        var psi = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["--kubeconfig", Kubeconfig, "--cache-dir", _cacheDir, .. args])
        {
            psi.ArgumentList.Add(arg);
        }

        return new Streaming(Process.Start(psi) ?? throw new InvalidOperationException("kubectl did not start"));
    }

    public void Dispose() => Directory.Delete(_cacheDir, recursive: true);

    /// <summary>A running kubectl; <see cref="Output"/> is what it printed so far (stdout and stderr).</summary>
    public sealed class Streaming : IDisposable
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _output = new();

        internal Streaming(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        /// <summary>Polls until <paramref name="done"/> holds for the output so far; fails with the output after <paramref name="timeout"/>.</summary>
        public void WaitFor(Func<string, bool> done, TimeSpan timeout, string what)
        {
            var deadline = Stopwatch.StartNew();
            while (!done(Output))
            {
                if (deadline.Elapsed > timeout)
                {
                    Assert.Fail($"kubectl did not print {what} within {timeout.TotalSeconds} s; it printed:\n{Output}");
                }

                Thread.Sleep(100);
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
