using System.Diagnostics;
using EbpfConsole.Integration.Tests.Support;

namespace EbpfConsole.Integration.Tests.Capture.Files;

/// <summary>
/// A network namespace of our own (<c>ectest-files-XXXXXX</c>, only a loopback) to capture real traffic
/// with real tcpdump/dumpcap: no packet leaves it. Removed on dispose, with any capture process still running.
/// </summary>
internal sealed class NetnsTcpdump : IDisposable
{
    private readonly List<Process> _processes = [];

    public NetnsTcpdump()
    {
        Requirements.Root();
        Requirements.Tool("ip");
        Name = "ectest-files-" + Guid.NewGuid().ToString("N")[..6];
        Run("ip", "netns", "add", Name);
        Run("ip", "-n", Name, "link", "set", "lo", "up");
    }

    public string Name { get; }

    /// <summary>
    /// Runs <paramref name="tool"/> (tcpdump or dumpcap, with <c>-c</c>) in the namespace, waits until it
    /// listens, then sends rounds of UDP datagrams to 127.0.0.1 (each answered by an ICMP port unreachable)
    /// until it exits.
    /// </summary>
    public async Task CaptureAsync(string tool, int datagrams, params string[] args)
    {
        var info = new ProcessStartInfo(Requirements.Tool("ip"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "netns", "exec", Name, Requirements.Tool(tool) }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {tool}");
        _processes.Add(process);
        var stderr = new System.Text.StringBuilder();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetResult();
                return;
            }

            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }

            // tcpdump: "listening on lo, ..."; dumpcap: "Capturing on 'Loopback: lo'".
            if (e.Data.Contains("listening on", StringComparison.Ordinal) || e.Data.Contains("Capturing on", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        };
        process.BeginErrorReadLine();
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(process.HasExited && process.ExitCode != 0, $"{tool} failed: {stderr}");

        // Send until the tool has its -c packets: a tool may announce itself a moment before it really captures.
        var send = string.Join("; ", Enumerable.Range(1, datagrams).Select(i => $"echo ectest-{i} > /dev/udp/127.0.0.1/9"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!process.HasExited)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{tool} did not capture its packets within 30 s: {stderr}");
            Run("ip", "netns", "exec", Name, Requirements.Tool("bash"), "-c", send);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException) when (wait.IsCancellationRequested)
            {
                // Still capturing: send another round.
            }
        }

        Assert.True(process.ExitCode == 0, $"{tool} exited {process.ExitCode}: {stderr}");
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }

            process.Dispose();
        }

        Run("ip", "netns", "del", Name);
    }

    private static void Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(Requirements.Tool(tool)) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {tool}");
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)} exited {process.ExitCode}: {stderr}");
    }
}
