using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using EbpfConsole.Integration.Tests.Ssh;
using EbpfConsole.Integration.Tests.Support;

namespace EbpfConsole.Integration.Tests.Capture.Remote;

/// <summary>
/// `ebpf-console capture` reaches a point as `preflight` does: `--ssh-config` names a Host block for the point's node
/// (HostName 127.0.0.2, ProxyJump through 127.0.0.1), `--known-hosts` holds both keys, `--user` is the older name of
/// `--ssh-user`; the `--node NAME=IP` address is only the default, which the config's HostName replaces. The capture on the
/// target's lo sees the test's own loopback connection.
/// </summary>
[Collection("ssh")]
public sealed class CaptureCliThroughJumpTests(SshdFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Capture_PointBehindAProxyJumpInSshConfig_CapturesThereAndReportsThePackets()
    {
        Requirements.Tool("tcpdump");
        using var traffic = new LoopbackTraffic();
        var route = await JumpRouteConfig.WriteAsync(fixture);
        var point = $"{JumpRouteConfig.Node}:lo";

        using var process = CliBuild.Start(
            "capture", "--point", point, "--ssh-config", route.ConfigPath, "--known-hosts", route.KnownHostsPath, "--user", "root",
            "--node", $"{JumpRouteConfig.Node}={JumpRouteConfig.UnusedAddress}", "--filter", traffic.Filter, "--duration", "12s", "--json");
        var stderr = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                stderr.Enqueue(line);
            }
        };
        process.BeginErrorReadLine();
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            await FrameCollector.WaitUntilAsync(
                () => stderr.Any(l => l.Contains($"{point}: capturing", StringComparison.Ordinal)) || process.HasExited,
                Wait,
                () => $"'{point}: capturing'; stderr:\n{string.Join('\n', stderr)}");
            Assert.False(process.HasExited, $"capture ended before capturing; stderr:\n{string.Join('\n', stderr)}");
            await traffic.ExchangeAsync();
            using var timeout = new CancellationTokenSource(Wait);
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var log = string.Join('\n', stderr);
        Assert.True(process.ExitCode is 0 or 1, $"exit {process.ExitCode}; stderr:\n{log}\n{fixture.ServerLog}");
        Assert.Contains($"{point}: capturing ({point} (tcpdump over SSH to root@127.0.0.2:{fixture.Behind.Port}))", log, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await stdout);
        var reported = Assert.Single(json.RootElement.GetProperty("points").EnumerateArray());
        Assert.Equal(point, reported.GetProperty("point").GetString());
        Assert.Equal(JsonValueKind.Null, reported.GetProperty("error").ValueKind);
        Assert.True(reported.GetProperty("packets").GetInt64() >= 6, $"expected the connection's packets (SYN … FIN); got {reported}");
    }

    [Fact]
    public async Task Capture_JumpHostDown_ExitsTwo_NamingTheJumpHost()
    {
        var closed = SshdServer.FreePort();
        var route = await JumpRouteConfig.WriteAsync(fixture, closed);

        using var process = CliBuild.Start(
            "capture", "--point", $"{JumpRouteConfig.Node}:lo", "--ssh-config", route.ConfigPath, "--known-hosts", route.KnownHostsPath,
            "--node", $"{JumpRouteConfig.Node}={JumpRouteConfig.UnusedAddress}", "--duration", "5s");
        var (stdout, stderr) = await CollectAsync(process);

        Assert.True(process.ExitCode == 2, $"exit {process.ExitCode}; stderr:\n{stderr}");
        Assert.Contains($"jump host {route.JumpSpec}: connection refused", stderr, StringComparison.Ordinal);
        Assert.Contains($"jump host {route.JumpSpec}: connection refused", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private static async Task<(string Stdout, string Stderr)> CollectAsync(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"capture did not end within {Wait.TotalSeconds} s");
        }

        return (await stdout, await stderr);
    }
}
