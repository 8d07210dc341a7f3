using System.Globalization;
using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

/// <summary>`down` against a fake /proc: which PIDs are signalled, in what order, and what is left.</summary>
public sealed class LabTeardownTests : IDisposable
{
    // Above any kernel's pid_max (4194304): never a real process.
    private const int Pid = 5_000_001;

    private static readonly CommandResult Ok = new(0, string.Empty, string.Empty);

    private readonly LabBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private static string Sshd => ProcFs.RealPath(SshdLauncher.Binary);

    private LabDaemon Node1Sshd => LabDaemon.Sshd(_bed.Paths, LabTopology.Node1);

    private string SshdCmdline(LabDaemon daemon) => $"sshd: {SshdLauncher.Binary} -f {daemon.ConfigPath} -E {_bed.Paths.SshdLogPath(LabTopology.Node1)} [listener] 0 of 10-100 startups";

    private List<string> Kills => _bed.Runner.Calls.Where(c => c.StartsWith("kill", StringComparison.Ordinal)).ToList();

    /// <summary>The fake process exits (becomes a zombie) when it gets SIGTERM.</summary>
    private void DiesOnTerm(int pid) => _bed.Runner.On($"kill -TERM -- {pid}", _ =>
    {
        _bed.SetState(pid, 'Z');
        return Task.FromResult(Ok);
    });

    [Fact]
    public void ParseNamespaces_KeepsOnlyLabNamespaces()
    {
        Assert.Equal(["eclab-node-1", "eclab-net"], LabTeardown.ParseNamespaces("eclab-node-1 (id: 3)\nother\neclab-net (id: 0)\neclabx\n"));
    }

    [Fact]
    public void ParsePids_IgnoresJunkAndPid1()
    {
        Assert.Equal([42, 4711], LabTeardown.ParsePids("42\n\n1\nabc\n4711\n"));
    }

    [Fact]
    public async Task Down_PidFileNamesAStrangerWithOurConfigOnItsCommandLine_LeavesItAlone_AndDeletesThePidFile()
    {
        _bed.AddProcess(Pid, "/usr/bin/sleep", $"sleep 30 {Node1Sshd.ConfigPath}");
        LabBed.WritePidFile(Node1Sshd, Pid);

        await _bed.Service().DownAsync(CancellationToken.None);

        Assert.Empty(Kills);
        Assert.False(File.Exists(Node1Sshd.PidFile));
    }

    [Fact]
    public async Task Down_SshdBinaryButAnotherConfig_IsNotOurs()
    {
        _bed.AddProcess(Pid, Sshd, $"sshd: {SshdLauncher.Binary} -f {Node1Sshd.ConfigPath}.other [listener]");
        LabBed.WritePidFile(Node1Sshd, Pid);

        await _bed.Service().DownAsync(CancellationToken.None);

        Assert.Empty(Kills);
    }

    [Fact]
    public async Task Down_OrphanedDaemonWhoseBinaryWasUpgraded_IsStopped_AndItsPidFileDeleted()
    {
        _bed.AddProcess(Pid, Sshd + " (deleted)", SshdCmdline(Node1Sshd));
        LabBed.WritePidFile(Node1Sshd, Pid);
        DiesOnTerm(Pid);

        await _bed.Service().DownAsync(CancellationToken.None);

        Assert.Equal([$"kill -TERM -- {Pid}"], Kills);
        Assert.False(File.Exists(Node1Sshd.PidFile));
    }

    [Fact]
    public async Task Down_NeverSignalsItselfOrAnAncestor_EvenInsideALabNamespace()
    {
        const int parent = Pid + 10;
        _bed.AddProcess(Environment.ProcessId, "/usr/bin/dotnet", "dotnet test", parent: parent);
        _bed.AddProcess(parent, "/usr/bin/bash", "bash");
        _bed.Runner.On("ip netns list", new CommandResult(0, "eclab-client (id: 2)\n", string.Empty))
            .On("ip netns pids eclab-client", new CommandResult(0, $"{parent}\n{Environment.ProcessId}\n{Pid}\n", string.Empty));

        await _bed.Service().DownAsync(CancellationToken.None);

        Assert.Equal([$"kill -TERM -- {Pid}"], Kills);
    }

    [Fact]
    public async Task Down_ProcessSurvivesSigkill_StillRemovesLinkAndNamespaces_ThenNamesIt()
    {
        _bed.AddProcess(Pid, "/usr/bin/stuck", "stuck", state: 'D');
        _bed.Runner.On("ip netns list", new CommandResult(0, "eclab-net (id: 0)\neclab-node-1 (id: 1)\n", string.Empty))
            .On("ip netns pids eclab-node-1", new CommandResult(0, $"{Pid}\n", string.Empty));
        Directory.CreateDirectory(_bed.Machine.RunDir);
        File.WriteAllText(_bed.Machine.OwnerPath, _bed.Paths.StateDir);

        var ex = await Assert.ThrowsAsync<LabException>(() => _bed.Service().DownAsync(CancellationToken.None));

        Assert.Equal(
            $"lab processes {Pid} (in eclab-node-1) did not stop after SIGKILL (the namespaces and eclab-host were removed anyway)",
            ex.Message);
        Assert.Equal([$"kill -TERM -- {Pid}", $"kill -KILL -- {Pid}"], Kills);
        var calls = _bed.Runner.Calls;
        Assert.True(calls.IndexOf("ip link del eclab-host") > calls.IndexOf($"kill -KILL -- {Pid}"));
        Assert.Contains("ip netns del eclab-net", calls);
        Assert.Contains("ip netns del eclab-node-1", calls);
        Assert.True(File.Exists(_bed.Machine.OwnerPath), "the owner record stays until nothing is left");
    }

    [Fact]
    public async Task Down_NamespaceDeletionFails_StillDeletesTheOthers_ThenReportsIt()
    {
        _bed.Runner.On("ip netns list", new CommandResult(0, "eclab-net\neclab-node-1\n", string.Empty))
            .On("ip netns del eclab-net", new CommandResult(1, string.Empty, "Cannot remove namespace file: Device or resource busy\n"));

        var ex = await Assert.ThrowsAsync<LabException>(() => _bed.Service().DownAsync(CancellationToken.None));

        Assert.Contains("'ip netns del eclab-net' failed with exit code 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ip netns del eclab-node-1", _bed.Runner.Calls);
    }

    [Fact]
    public async Task Down_LinkCommandHangs_StillDeletesTheNamespaces_ThenReportsTheTimeout()
    {
        _bed.Runner.On("ip netns list", new CommandResult(0, "eclab-net\n", string.Empty)).Hang("ip link show eclab-host");

        var ex = await Assert.ThrowsAsync<LabException>(() =>
            _bed.Service(commandTimeout: TimeSpan.FromMilliseconds(200)).DownAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal("'ip link show eclab-host' did not finish within 0.2 s and was killed (with its child processes)", ex.Message);
        Assert.Contains("ip netns del eclab-net", _bed.Runner.Calls);
    }

    [Fact]
    public async Task Down_PidFileProcessReplacedBetweenTermAndKill_IsNotKilled()
    {
        _bed.AddProcess(Pid, Sshd, SshdCmdline(Node1Sshd));
        LabBed.WritePidFile(Node1Sshd, Pid);
        _bed.Runner.On($"kill -TERM -- {Pid}", _ =>
        {
            // Our sshd exits and an unrelated process gets the same PID before the grace period ends.
            _bed.AddProcess(Pid, "/usr/bin/python3", "python3 server.py");
            return Task.FromResult(Ok);
        });

        await _bed.Service().DownAsync(CancellationToken.None);

        Assert.Equal([$"kill -TERM -- {Pid}"], Kills);
    }

    [Fact]
    public async Task Down_NamespacePidGoneFromTheNamespaceBeforeKill_IsNotKilled()
    {
        _bed.AddProcess(Pid, "/usr/bin/sleep", "sleep 600");
        var listed = 0;
        _bed.Runner.On("ip netns list", new CommandResult(0, "eclab-client\n", string.Empty))
            .On("ip netns pids eclab-client", _ => Task.FromResult(new CommandResult(0, Interlocked.Increment(ref listed) == 1 ? $"{Pid}\n" : string.Empty, string.Empty)));

        await _bed.Service().DownAsync(CancellationToken.None);

        Assert.Equal([$"kill -TERM -- {Pid}"], Kills);
        Assert.Equal(2, listed);
    }

    [Fact]
    public async Task Down_OwnerStateDirectorysOrphanedDaemons_AreStoppedToo()
    {
        var owner = new LabPaths(Path.Combine(_bed.Root, "owner-state"));
        var nginx = LabDaemon.Nginx(owner);
        _bed.AddProcess(Pid, ProcFs.RealPath(NginxLauncher.Binary), $"nginx: master process {NginxLauncher.Binary} -p {owner.NginxDir}/ -c {nginx.ConfigPath} -e x");
        LabBed.WritePidFile(nginx, Pid);
        DiesOnTerm(Pid);
        Directory.CreateDirectory(_bed.Machine.RunDir);
        File.WriteAllText(_bed.Machine.OwnerPath, owner.StateDir + "\n");

        await _bed.Service().DownAsync(CancellationToken.None);

        Assert.Equal([$"kill -TERM -- {Pid.ToString(CultureInfo.InvariantCulture)}"], Kills);
        Assert.False(File.Exists(nginx.PidFile));
        Assert.False(File.Exists(_bed.Machine.OwnerPath));
    }
}
