using System.Diagnostics;

namespace EbpfConsole.Integration.Tests.Capture;

/// <summary>
/// The `ebpf-console` command as built next to these tests (src/EbpfConsole.Cli, same configuration), for the few
/// integration tests that drive a verb against the test sshd pair. A missing build fails with the command that builds it.
/// </summary>
internal static class CliBuild
{
    /// <summary>The dotnet host and the built dll.</summary>
    public static (string Dotnet, string Dll) Command()
    {
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testDir.Name;
        var configuration = testDir.Parent?.Name ?? "Debug";
        for (var dir = testDir; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Console.sln")))
            {
                var dll = Path.Combine(dir.FullName, "src", "EbpfConsole.Cli", "bin", configuration, framework, "ebpf-console.dll");
                Assert.True(File.Exists(dll), $"{dll} is missing: run 'dotnet build src/EbpfConsole.Cli -c {configuration}' (./install.sh builds it) first.");
                var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
                return (dotnet, dll);
            }
        }

        Assert.Fail($"Console.sln not found above {AppContext.BaseDirectory}: run the tests from the repository checkout.");
        return default;
    }

    /// <summary>Starts `ebpf-console ARGS` with the standard streams redirected (stdin closed at once).</summary>
    public static Process Start(params string[] args)
    {
        var (dotnet, dll) = Command();
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {dotnet} {dll}");
        process.StandardInput.Close();
        return process;
    }
}
