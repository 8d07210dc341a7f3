using System.Net;
using System.Net.Sockets;
using EbpfConsole.Integration.Tests.Support;
using EbpfConsole.Lab;

namespace EbpfConsole.Integration.Tests.LabApi;

/// <summary>
/// The daemon binary (`ebpf-console-lab-apiserver`, copied beside the tests) on paths that end before the lab
/// controller runs: a full run would drive the real lab datapath, which the lab lifecycle tests cover.
/// </summary>
public sealed class LabApiDaemonTests : IDisposable
{
    private readonly LabPaths _paths = new(Path.Combine(Path.GetTempPath(), $"ebpf-console-labdaemon-{Guid.NewGuid():N}"));

    private static string Binary
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "ebpf-console-lab-apiserver");
            Assert.True(File.Exists(path), $"{path} is missing: the Integration tests reference EbpfConsole.Lab.ApiServer, rebuild them");
            return path;
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_paths.StateDir))
        {
            Directory.Delete(_paths.StateDir, recursive: true);
        }
    }

    [Fact]
    public async Task NoArguments_ExitsWith2AndUsage()
    {
        var (exit, stdout, stderr) = await ToolProcess.RunAsync(Binary);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("usage: ebpf-console-lab-apiserver --state-dir DIR --config FILE", stderr.Trim());
    }

    [Fact]
    public async Task MissingConfig_ExitsWith2AndOneLogLine()
    {
        var (exit, stdout, stderr) = await ToolProcess.RunAsync(Binary, "--state-dir", _paths.StateDir, "--config", _paths.ApiServerConfigPath);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout + stderr);
        var log = await File.ReadAllTextAsync(_paths.ApiServerLogPath);
        Assert.Contains($"the API server config {_paths.ApiServerConfigPath} is missing", log, StringComparison.Ordinal);
        Assert.False(File.Exists(_paths.ApiServerPidPath));
    }

    [Fact]
    public async Task ListenAddressTaken_ExitsWith2NamingIt()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var address = $"127.0.0.1:{((IPEndPoint)squatter.LocalEndpoint).Port}";
        Directory.CreateDirectory(_paths.ApiDir);
        await File.WriteAllTextAsync(
            _paths.ApiServerConfigPath,
            $$"""{"scenario":"healthy","listen":["{{address}}"],"kubernetesVersion":"v1.32.4"}""");

        var (exit, stdout, stderr) = await ToolProcess.RunAsync(Binary, "--state-dir", _paths.StateDir, "--config", _paths.ApiServerConfigPath);

        var log = await File.ReadAllTextAsync(_paths.ApiServerLogPath);
        Assert.True(exit == 2, $"exit {exit}; log: {log}");
        Assert.Equal(string.Empty, stdout + stderr);
        var line = Assert.Single(log.Split('\n'), l => l.Contains(" ERROR ebpf-console-lab-apiserver: ", StringComparison.Ordinal));
        Assert.Contains(address, line, StringComparison.Ordinal);
        Assert.False(File.Exists(_paths.ApiServerPidPath));
        Assert.True(File.Exists(_paths.KubeconfigPath));
        Assert.True(File.Exists(_paths.CaCertPath));
    }
}
