using System.Globalization;
using EbpfConsole.Lab;
using EbpfConsole.Lab.Cluster;

namespace EbpfConsole.Lab.Tests;

/// <summary>
/// A lab that exists only on paper: a temporary state directory, run directory (instead of /run/ebpf-console)
/// and /proc, and a <see cref="FakeRunner"/>. Nothing touches the machine; fake PIDs lie above the kernel's pid_max.
/// </summary>
internal sealed class LabBed : IDisposable
{
    public const string AllNamespaces = "eclab-net\neclab-client\neclab-client2\neclab-node-1\neclab-node-2\neclab-pod-nginx\n";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("eclab-unit-");

    public LabBed()
    {
        Paths = new LabPaths(Path.Combine(_root.FullName, "state"));
        Machine = new LabMachine(Path.Combine(_root.FullName, "run"));
        Proc = new ProcFs(Directory.CreateDirectory(Path.Combine(_root.FullName, "proc")).FullName);
        WriteApiServerBinary();
    }

    public string Root => _root.FullName;

    public LabPaths Paths { get; }

    public LabMachine Machine { get; }

    public ProcFs Proc { get; }

    public FakeRunner Runner { get; } = new();

    /// <summary>The scenario catalogue the service sees (instead of assets/lab/scenarios).</summary>
    public static IReadOnlyList<string> ScenarioNames { get; } = ["healthy", "kubekey-default", "missing-bpffs", "operator", "operator-bootstrap"];

    /// <summary>Node facts per scenario; a scenario not listed here has the defaults.</summary>
    public Dictionary<string, Dictionary<string, LabNodeFacts>> Facts { get; } = new()
    {
        ["kubekey-default"] = new() { ["node-1"] = new(true, ["kube-ipvs0"]), ["node-2"] = new(true, ["kube-ipvs0"]) },
        ["missing-bpffs"] = new() { ["node-2"] = new(false, []) },
    };

    /// <summary>Where the service looks for the API server's binary: <see cref="WriteApiServerBinary"/> puts a stand-in there.</summary>
    public string ApiServerDirectory => Path.Combine(_root.FullName, "bin");

    /// <summary>What the launcher's TCP connect to 127.0.0.1:6443 answers.</summary>
    public bool PortAnswers { get; set; } = true;

    public LabService Service(LabPaths? paths = null, Action<string>? progress = null, TimeSpan? healthTimeout = null, TimeSpan? commandTimeout = null) =>
        new(paths ?? Paths, Runner, progress)
        {
            EnsureEnvironment = () => { },
            Machine = Machine,
            Proc = Proc,
            StopGrace = TimeSpan.FromMilliseconds(200),
            LockTimeout = TimeSpan.FromSeconds(2),
            HealthTimeout = healthTimeout ?? TimeSpan.FromMilliseconds(300),
            CommandTimeout = commandTimeout ?? LabShell.StandardTimeout,
            ScenarioNames = () => ScenarioNames,
            LoadScenario = Scenario,
            ApiServerDirectory = ApiServerDirectory,
            ApiServerReadyTimeout = TimeSpan.FromMilliseconds(300),
            ApiServerPortAnswers = _ => Task.FromResult(PortAnswers),
        };

    /// <summary>A fake PID for the API server daemon the fake runner "starts".</summary>
    public const int ApiServerPid = 5_000_643;

    /// <summary>
    /// Makes the fake runner's `setsid … ebpf-console-lab-apiserver` launch behave like the daemon: a process in the
    /// fake /proc, its pid file, the kubeconfig, and `ss` showing 127.0.0.1:6443 listening.
    /// </summary>
    public void FakeApiServerOnLaunch()
    {
        Runner.On("apiserver-launch", _ =>
        {
            StartFakeApiServer();
            return Task.FromResult(new CommandResult(0, string.Empty, string.Empty));
        });
        Runner.On("ss -Hltn sport", _ => Task.FromResult(new CommandResult(
            0, File.Exists(Paths.ApiServerPidPath) ? "LISTEN 0 512 127.0.0.1:6443 0.0.0.0:*\nLISTEN 0 512 10.99.0.1:6443 0.0.0.0:*\n" : string.Empty, string.Empty)));
    }

    /// <summary>The daemon as if it had started: fake process, pid file, kubeconfig.</summary>
    public void StartFakeApiServer()
    {
        Directory.CreateDirectory(Paths.ApiDir);
        AddProcess(ApiServerPid, Path.Combine(ApiServerDirectory, LabApiServerLauncher.ExecutableName),
            $"{LabApiServerLauncher.ExecutableName} --state-dir {Paths.StateDir} --config {Paths.ApiServerConfigPath}");
        WritePidFile(LabDaemon.ApiServer(Paths), ApiServerPid);
        File.WriteAllText(Paths.KubeconfigPath, "apiVersion: v1\nkind: Config\n");
    }

    /// <summary>
    /// A machine the fake runner simulates far enough for `up` to end healthy: namespaces appear with
    /// `ip netns add` and go with `ip netns del`, each daemon's start command "starts" it (fake process + pid file,
    /// its port listening), `kill` stops fake processes, and the host link has its address.
    /// </summary>
    public void SimulateMachine()
    {
        var namespaces = new List<string>();
        string Named() => Runner.Calls.Last().Split(' ')[3];
        KillRemovesProcesses();
        Runner.On("ip netns add ", _ => Ok(() => namespaces.Add(Named())))
            .On("ip netns del ", _ => Ok(() => namespaces.Remove(Named())))
            .On("ip netns list", _ => Task.FromResult(new CommandResult(0, string.Concat(namespaces.Select(n => n + "\n")), string.Empty)))
            .On("addr show dev eclab-host", new CommandResult(0, "5: eclab-host    inet 10.99.0.1/24 scope global eclab-host\n", string.Empty))
            .On("ss -Hltn sport = :22", new CommandResult(0, "LISTEN 0 128 10.99.0.11:22 0.0.0.0:*\n", string.Empty))
            .On("ss -Hltn sport = :80", new CommandResult(0, "LISTEN 0 511 0.0.0.0:80 0.0.0.0:*\n", string.Empty));
        foreach (var (node, pid) in LabTopology.NodesFor(LabTopology.MaxNodes).Select((n, i) => (n, 5_000_022 + i)))
        {
            Runner.On($"sshd-launch {Paths.SshdConfigPath(node)}", _ => Ok(() =>
            {
                AddProcess(pid, ProcFs.RealPath(SshdLauncher.Binary), $"sshd: {SshdLauncher.Binary} -f {Paths.SshdConfigPath(node)}");
                WritePidFile(LabDaemon.Sshd(Paths, node), pid);
            }));
        }

        Runner.On($"-c {Paths.NginxConfigPath}", _ => Ok(() =>
        {
            AddProcess(5_000_080, ProcFs.RealPath(NginxLauncher.Binary), $"nginx: master process nginx -c {Paths.NginxConfigPath}");
            WritePidFile(LabDaemon.Nginx(Paths), 5_000_080);
        }));
        FakeApiServerOnLaunch();
    }

    /// <summary>What `kill` does to the fake /proc: every PID it names is gone.</summary>
    public void KillRemovesProcesses() => Runner.On("kill -", _ =>
    {
        foreach (var pid in Runner.Calls.Last().Split(' ').Skip(3).Select(int.Parse))
        {
            if (Directory.Exists(Path.Combine(Proc.Root, pid.ToString(CultureInfo.InvariantCulture))))
            {
                RemoveProcess(pid);
            }
        }

        return Task.FromResult(new CommandResult(0, string.Empty, string.Empty));
    });

    private static Task<CommandResult> Ok(Action effect)
    {
        effect();
        return Task.FromResult(new CommandResult(0, string.Empty, string.Empty));
    }

    public LabScenario Scenario(string name) =>
        new(name, name, "v1.32.4", Facts.TryGetValue(name, out var facts) ? facts : [], []);

    /// <summary>An empty file named like the daemon's apphost, so the launcher finds "the binary".</summary>
    public string WriteApiServerBinary()
    {
        Directory.CreateDirectory(ApiServerDirectory);
        var path = Path.Combine(ApiServerDirectory, LabApiServerLauncher.ExecutableName);
        File.WriteAllText(path, string.Empty);
        return path;
    }

    /// <summary>Describes a process in the fake /proc: state, parent, executable (symlink) and command line.</summary>
    public void AddProcess(int pid, string exe, string cmdline, char state = 'S', int parent = 1)
    {
        var dir = Directory.CreateDirectory(Path.Combine(Proc.Root, pid.ToString(CultureInfo.InvariantCulture))).FullName;
        File.WriteAllText(Path.Combine(dir, "stat"), $"{pid} (proc x) {state} {parent} {pid} {pid} 0 -1 4194560");
        File.WriteAllText(Path.Combine(dir, "cmdline"), cmdline.Replace(' ', '\0') + "\0");
        var link = Path.Combine(dir, "exe");
        File.Delete(link);
        File.CreateSymbolicLink(link, exe);
    }

    public void SetState(int pid, char state)
    {
        var stat = Path.Combine(Proc.Root, pid.ToString(CultureInfo.InvariantCulture), "stat");
        var fields = File.ReadAllText(stat).Split(' ');
        fields[3] = state.ToString();
        File.WriteAllText(stat, string.Join(' ', fields));
    }

    public void RemoveProcess(int pid) => Directory.Delete(Path.Combine(Proc.Root, pid.ToString(CultureInfo.InvariantCulture)), recursive: true);

    /// <summary>Writes <paramref name="pid"/> into <paramref name="daemon"/>'s pid file.</summary>
    public static void WritePidFile(LabDaemon daemon, int pid)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(daemon.PidFile)!);
        File.WriteAllText(daemon.PidFile, pid.ToString(CultureInfo.InvariantCulture) + "\n");
    }

    /// <summary>The client and host keys `up` would generate for <paramref name="nodes"/> nodes (the fake runner's ssh-keygen writes nothing).</summary>
    public void WriteKeys(int nodes = LabTopology.DefaultNodes)
    {
        Directory.CreateDirectory(Paths.SshDir);
        File.WriteAllText(Paths.SshPrivateKeyPath, "key");
        File.WriteAllText(Paths.SshPublicKeyPath, "ssh-ed25519 AAAAclient lab\n");
        foreach (var node in LabTopology.NodesFor(nodes))
        {
            Directory.CreateDirectory(Paths.NodeDir(node));
            File.WriteAllText(Paths.HostKeyPath(node), "key");
            File.WriteAllText(Paths.HostKeyPath(node) + ".pub", $"ssh-ed25519 AAAA{node.Name} {node.Name}\n");
        }
    }

    public void Dispose() => _root.Delete(recursive: true);
}
