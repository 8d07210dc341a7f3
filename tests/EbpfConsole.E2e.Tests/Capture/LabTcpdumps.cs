using System.Diagnostics;
using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Capture;

/// <summary>
/// The tcpdump processes running inside the lab's node namespaces (`ip netns pids`, /proc/PID/comm), zombies
/// excluded: PID 1 here reaps orphans late, and a zombie has already stopped capturing.
/// </summary>
internal static class LabTcpdumps
{
    private static readonly string[] NodeNamespaces = ["eclab-node-1", "eclab-node-2"];

    /// <summary>"eclab-node-1 1234" for each live tcpdump.</summary>
    public static IReadOnlyList<string> Live()
    {
        var found = new List<string>();
        var existing = CaptureTools.Run("ip", "netns", "list").Stdout;
        foreach (var ns in NodeNamespaces.Where(n => existing.Contains(n, StringComparison.Ordinal)))
        {
            var pids = CaptureTools.Run("ip", "netns", "pids", ns);
            Assert.True(pids.ExitCode == 0, $"ip netns pids {ns} failed: {pids.Stderr}");
            foreach (var pid in pids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (Read($"/proc/{pid}/comm") == "tcpdump" && !IsZombie(pid))
                {
                    found.Add($"{ns} {pid}");
                }
            }
        }

        return found;
    }

    /// <summary>Polls until no tcpdump runs in the lab; returns those still running when <paramref name="timeout"/> ran out.</summary>
    public static IReadOnlyList<string> WaitUntilNone(TimeSpan timeout) => WaitFor(live => live.Count == 0, timeout);

    /// <summary>Polls until <paramref name="count"/> tcpdumps run in the lab; returns the last list seen.</summary>
    public static IReadOnlyList<string> WaitForCount(int count, TimeSpan timeout) => WaitFor(live => live.Count == count, timeout);

    private static IReadOnlyList<string> WaitFor(Func<IReadOnlyList<string>, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var live = Live();
        while (!done(live) && clock.Elapsed < timeout)
        {
            Thread.Sleep(100);
            live = Live();
        }

        return live;
    }

    private static bool IsZombie(string pid) => Read($"/proc/{pid}/stat") is not { } stat || stat.Split(") ")[^1].StartsWith('Z');

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null; // the process ended while we looked
        }
    }
}
