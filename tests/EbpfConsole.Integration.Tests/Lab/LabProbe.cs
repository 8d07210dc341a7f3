using System.Diagnostics;
using EbpfConsole.Lab;

namespace EbpfConsole.Integration.Tests.Lab;

/// <summary>Looks at the machine directly (not through the lab's own code) to check what the lab left behind.</summary>
internal static class LabProbe
{
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public static async Task<IReadOnlyList<string>> LabNamespacesAsync()
    {
        var (_, stdout, _) = await RunAsync("ip", "netns", "list");
        return LabTeardown.ParseNamespaces(stdout);
    }

    /// <summary>Every PID in a lab namespace plus those in the lab's pid files (the API server's too: it runs in the root namespace).</summary>
    public static async Task<IReadOnlySet<int>> LabPidsAsync(LabPaths paths)
    {
        var pids = new HashSet<int>();
        foreach (var ns in await LabNamespacesAsync())
        {
            var (_, stdout, _) = await RunAsync("ip", "netns", "pids", ns);
            pids.UnionWith(LabTeardown.ParsePids(stdout));
        }

        foreach (var file in LabTopology.NodesFor(LabTopology.MaxNodes).Select(paths.SshdPidPath).Append(paths.NginxPidPath).Append(paths.ApiServerPidPath))
        {
            if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var pid))
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    public static async Task AssertNothingLeftAsync(IEnumerable<int> pids)
    {
        Assert.Empty(await LabNamespacesAsync());
        var link = await RunAsync("ip", "link", "show", LabTopology.HostLink);
        Assert.NotEqual(0, link.ExitCode);
        Assert.All(pids, pid => Assert.True(LabTeardown.IsStopped(pid), $"lab process {pid} still runs"));
    }
}
