using System.Text.Json.Nodes;
using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

public sealed class LabApiServerLauncherTests : IDisposable
{
    private readonly LabBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private LabApiServerLauncher Launcher(bool portAnswers = true) => new(_bed.Paths, new LabShell(_bed.Runner), _bed.Proc)
    {
        BaseDirectory = _bed.ApiServerDirectory,
        ReadyTimeout = TimeSpan.FromMilliseconds(300),
        PortAnswers = _ => Task.FromResult(portAnswers),
        Locate = p => p == "dotnet" ? "/usr/bin/dotnet" : null,
    };

    [Fact]
    public void StartCommand_AppHostBesideTheProgram_RunsItDetached_OutputAppendedToTheLog()
    {
        var command = Launcher().StartCommand();

        Assert.Equal("sh", command.File);
        Assert.Equal(
            [
                "-c", "log=$1; shift; exec setsid -f \"$@\" </dev/null >>\"$log\" 2>&1", "apiserver-launch", _bed.Paths.ApiServerLogPath,
                Path.Combine(_bed.ApiServerDirectory, "ebpf-console-lab-apiserver"), "--state-dir", _bed.Paths.StateDir, "--config", _bed.Paths.ApiServerConfigPath,
            ],
            command.Args);
    }

    [Fact]
    public void StartCommand_OnlyTheDll_RunsItWithTheDotnetHost()
    {
        File.Delete(Path.Combine(_bed.ApiServerDirectory, LabApiServerLauncher.ExecutableName));
        var dll = Path.Combine(_bed.ApiServerDirectory, "ebpf-console-lab-apiserver.dll");
        File.WriteAllText(dll, string.Empty);

        var args = Launcher().StartCommand().Args;

        Assert.Equal(["/usr/bin/dotnet", dll, "--state-dir"], args.Skip(4).Take(3));
    }

    [Fact]
    public void StartCommand_NoBinary_LabExceptionNamingWhereItLooked()
    {
        File.Delete(Path.Combine(_bed.ApiServerDirectory, LabApiServerLauncher.ExecutableName));

        var ex = Assert.Throws<LabException>(() => Launcher().StartCommand());

        Assert.Equal($"the lab's API server (ebpf-console-lab-apiserver) is not installed in {_bed.ApiServerDirectory}: reinstall with ./install.sh", ex.Message);
    }

    [Fact]
    public async Task Start_WritesTheConfigThenLaunches_ReadyWhenPidKubeconfigAndPortAreThere()
    {
        _bed.FakeApiServerOnLaunch();
        var config = new LabApiServerConfig("kubekey-default", LabApiServerConfig.DefaultListen, "v1.32.4");

        await Launcher().StartAsync(config, CancellationToken.None);

        var written = JsonNode.Parse(await File.ReadAllTextAsync(_bed.Paths.ApiServerConfigPath))!.AsObject();
        Assert.Equal("kubekey-default", (string?)written["scenario"]);
        Assert.Equal(["127.0.0.1:6443", "10.99.0.1:6443"], written["listen"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("v1.32.4", (string?)written["kubernetesVersion"]);
        var read = LabApiServerConfig.Read(_bed.Paths.ApiServerConfigPath)!;
        Assert.Equal((config.Scenario, config.KubernetesVersion), (read.Scenario, read.KubernetesVersion));
        Assert.Equal(config.Listen, read.Listen);
        Assert.Single(_bed.Runner.Calls, c => c.Contains("apiserver-launch", StringComparison.Ordinal));
        Assert.True(await Launcher().IsReadyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Start_DaemonNeverReady_OneLineErrorNamingTheLogAndItsLastLine()
    {
        _bed.Runner.On("apiserver-launch", _ =>
        {
            File.AppendAllText(_bed.Paths.ApiServerLogPath, "starting\nUnhandled exception. System.IO.IOException: Address already in use\n\n");
            return Task.FromResult(new CommandResult(0, string.Empty, string.Empty));
        });

        var ex = await Assert.ThrowsAsync<LabException>(() =>
            Launcher().StartAsync(new LabApiServerConfig("healthy", LabApiServerConfig.DefaultListen, "v1.32.4"), CancellationToken.None));

        Assert.Equal(
            $"the lab's API server did not become ready within 0.3 s; see {_bed.Paths.ApiServerLogPath} (last line: Unhandled exception. System.IO.IOException: Address already in use)",
            ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task IsReady_PortDoesNotAnswer_False()
    {
        _bed.StartFakeApiServer();

        Assert.True(await Launcher().IsReadyAsync(CancellationToken.None));
        Assert.False(await Launcher(portAnswers: false).IsReadyAsync(CancellationToken.None));
        File.Delete(_bed.Paths.KubeconfigPath);
        Assert.False(await Launcher().IsReadyAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("LISTEN 0 4096 127.0.0.1:6443 0.0.0.0:* users:((\"kube-apiserver\",pid=4242,fd=3))")]
    [InlineData("LISTEN 0 4096 *:6443 *:* users:((\"haproxy\",pid=4242,fd=7))")]
    [InlineData("LISTEN 0 4096 0.0.0.0:6443 0.0.0.0:*")]
    public async Task EnsurePortFree_AnotherProgramOnThePort_RefusesNamingThePortAndSs(string listener)
    {
        _bed.Runner.On("ss -Hltnp sport = :6443", new CommandResult(0, listener + "\n", string.Empty));

        var ex = await Assert.ThrowsAsync<LabException>(() => Launcher().EnsurePortFreeAsync(CancellationToken.None));

        Assert.StartsWith("port 6443 on 127.0.0.1 is taken by another program (", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'ss -ltnp sport = :6443'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsurePortFree_OnlyThisLabsDaemonListens_Passes()
    {
        _bed.StartFakeApiServer();
        _bed.Runner.On("ss -Hltnp sport = :6443", new CommandResult(0,
            $"LISTEN 0 512 127.0.0.1:6443 0.0.0.0:* users:((\"ebpf-console-la\",pid={LabBed.ApiServerPid},fd=200))\n" +
            $"LISTEN 0 512 10.99.0.1:6443 0.0.0.0:* users:((\"ebpf-console-la\",pid={LabBed.ApiServerPid},fd=201))\n", string.Empty));

        await Launcher().EnsurePortFreeAsync(CancellationToken.None);
    }

    [Fact]
    public void ParseListeners_ReadsLocalAddressHostAndPids()
    {
        var listeners = LabApiServerLauncher.ParseListeners(
            "LISTEN 0 512 127.0.0.1:6443 0.0.0.0:* users:((\"a\",pid=10,fd=3),(\"a\",pid=11,fd=3))\nLISTEN 0 512 [::]:6443 [::]:*\n\n");

        Assert.Equal(2, listeners.Count);
        Assert.Equal(("127.0.0.1:6443", "127.0.0.1"), (listeners[0].Local, listeners[0].Host));
        Assert.Equal([10, 11], listeners[0].Pids);
        Assert.Equal("[::]", listeners[1].Host);
        Assert.Empty(listeners[1].Pids);
    }

    [Fact]
    public void ConfigRead_MissingOrMalformed_IsNull()
    {
        Assert.Null(LabApiServerConfig.Read(_bed.Paths.ApiServerConfigPath));
        Directory.CreateDirectory(_bed.Paths.ApiDir);
        File.WriteAllText(_bed.Paths.ApiServerConfigPath, "{\"scenario\": 42");
        Assert.Null(LabApiServerConfig.Read(_bed.Paths.ApiServerConfigPath));
        File.WriteAllText(_bed.Paths.ApiServerConfigPath, "{\"scenario\": 42}");
        Assert.Null(LabApiServerConfig.Read(_bed.Paths.ApiServerConfigPath));
    }

    [Theory]
    [InlineData("/opt/ebpf-console/ebpf-console-lab-apiserver", "ebpf-console-lab-apiserver --state-dir S --config CONFIG", true)]
    [InlineData("/usr/share/dotnet/dotnet", "dotnet /x/ebpf-console-lab-apiserver.dll --state-dir S --config CONFIG", true)]
    [InlineData("/usr/bin/sleep", "sleep 100 --config CONFIG", false)]
    [InlineData("/opt/ebpf-console/ebpf-console-lab-apiserver", "ebpf-console-lab-apiserver --state-dir S --config CONFIG.old", false)]
    public void ApiServerDaemon_AnyInstallationOrTheDotnetHost_IdentifiedByItsConfigPath(string exe, string cmdline, bool ours)
    {
        var daemon = LabDaemon.ApiServer(_bed.Paths);
        _bed.AddProcess(LabBed.ApiServerPid, exe, cmdline.Replace("CONFIG", daemon.ConfigPath, StringComparison.Ordinal));

        Assert.Equal(ours, _bed.Proc.IsLabDaemon(LabBed.ApiServerPid, daemon));
        Assert.Contains(daemon, LabDaemon.All(_bed.Paths));
    }

    [Fact]
    public void StoppedWith_TheDaemonLoggedAnErrorAndStopped_GivesTheErrorWithoutThePreamble()
    {
        const string log = """
            2026-11-27T13:18:37.600Z INFO ebpf-console-lab-apiserver: starting: scenario healthy, listen 127.0.0.1:6443, pid 6584
            2026-11-27T13:18:37.664Z ERROR ebpf-console-lab-apiserver: /x/objects.json: the lab API state cannot be read (bad); remove it to start from the scenario again
               at Somewhere()
            2026-11-27T13:18:37.677Z INFO ebpf-console-lab-apiserver: stopped
            """;

        Assert.Equal("/x/objects.json: the lab API state cannot be read (bad); remove it to start from the scenario again", LabApiServerLauncher.StoppedWith(log));
        Assert.Equal("port taken", LabApiServerLauncher.StoppedWith(
            "t ERROR ebpf-console-lab-apiserver: the lab API server failed: port taken\nt INFO ebpf-console-lab-apiserver: stopped\n"));
    }

    [Fact]
    public void StoppedWith_StillStarting_IsNull_AndAStopWithoutErrorSaysItExited()
    {
        Assert.Null(LabApiServerLauncher.StoppedWith("t INFO ebpf-console-lab-apiserver: starting: scenario healthy\n"));
        Assert.Equal("it exited without logging an error", LabApiServerLauncher.StoppedWith("t INFO ebpf-console-lab-apiserver: stopped\n"));
    }
}
