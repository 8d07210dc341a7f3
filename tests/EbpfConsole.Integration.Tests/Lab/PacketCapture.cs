using System.Diagnostics;
using System.Globalization;
using EbpfConsole.Integration.Tests.Support;

namespace EbpfConsole.Integration.Tests.Lab;

/// <summary>
/// The kernel's own evidence: tcpdump on a lab namespace's eth0, egress only (-Q out), so every packet in
/// the file was SENT by that host. Counting uses tcpdump's filter language on the outer headers.
/// --immediate-mode matters: without it packets wait in the capture ring's current block, and a tcpdump
/// stopped within a second of the traffic writes none of them.
/// </summary>
internal sealed class PacketCapture : IAsyncDisposable
{
    private readonly Process _process;
    private bool _stopped;

    private PacketCapture(Process process, string file)
    {
        _process = process;
        File = file;
    }

    public string File { get; }

    public static async Task<PacketCapture> StartEgressAsync(string ns, string file)
    {
        var tcpdump = Requirements.Tool("tcpdump");
        System.IO.File.Delete(file);
        var psi = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "netns", "exec", ns, tcpdump, "-Q", "out", "-i", "eth0", "-n", "-U", "--immediate-mode", "-Z", "root", "-s", "256", "-w", file })
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi)!;
        var capture = new PacketCapture(process, file);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var line = await process.StandardError.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                Assert.Fail($"tcpdump in {ns} exited before capturing (exit {process.ExitCode})");
            }

            if (line.Contains("listening on", StringComparison.Ordinal))
            {
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                return capture;
            }
        }
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Packets in the capture that match a tcpdump filter expression.</summary>
    public async Task<int> CountAsync(string filter) =>

        // One line per packet starts with the epoch timestamp; VXLAN's inner packet follows on its own line.
        (await ReadAsync(filter)).Split('\n').Count(l => l.Length > 0 && char.IsAsciiDigit(l[0]));

    /// <summary>tcpdump's decoding of the packets that match <paramref name="filter"/>.</summary>
    public async Task<string> ReadAsync(string filter)
    {
        await StopAsync();
        var psi = new ProcessStartInfo(Requirements.Tool("tcpdump")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-nn", "-tt", "-r", File, filter })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"tcpdump -r {File} '{filter}' failed: {await stderr}");
        return await stdout;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync();
        }

        _process.Dispose();
    }
}
