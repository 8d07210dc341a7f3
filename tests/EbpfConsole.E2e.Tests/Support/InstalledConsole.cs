using System.Diagnostics;

namespace EbpfConsole.E2e.Tests.Support;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// The installed `ebpf-console` (install.sh puts it on the PATH and exports EBPF_CONSOLE_BIN for the
/// test run). End-to-end tests use that binary, never the build output, so a broken install is red.
/// </summary>
public static class InstalledConsole
{
    public static string Path
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("EBPF_CONSOLE_BIN");
            path = string.IsNullOrEmpty(path) ? "/usr/local/bin/ebpf-console" : path;
            if (!File.Exists(path))
            {
                Assert.Fail($"'{path}' does not exist: run ./install.sh first (it installs the ebpf-console command).");
            }

            return path;
        }
    }

    public static void RequireRoot()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Fail("End-to-end tests drive the lab and need root: run them via './install.sh --test'.");
        }
    }

    /// <summary>Runs the installed command to completion (60 s at most) and returns its exit code and output.</summary>
    public static CliResult Run(params string[] args) => RunFile(Path, args);

    public static CliResult RunFile(string file, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within 120 s");
        }

        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
