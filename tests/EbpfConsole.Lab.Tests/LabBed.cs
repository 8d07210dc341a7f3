using System.Globalization;
using EbpfConsole.Lab;

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
    }

    public string Root => _root.FullName;

    public LabPaths Paths { get; }

    public LabMachine Machine { get; }

    public ProcFs Proc { get; }

    public FakeRunner Runner { get; } = new();

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
        };

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

    /// <summary>The client and host keys `up` would generate (the fake runner's ssh-keygen writes nothing).</summary>
    public void WriteKeys()
    {
        Directory.CreateDirectory(Paths.SshDir);
        File.WriteAllText(Paths.SshPrivateKeyPath, "key");
        File.WriteAllText(Paths.SshPublicKeyPath, "ssh-ed25519 AAAAclient lab\n");
        foreach (var node in LabTopology.Nodes)
        {
            Directory.CreateDirectory(Paths.NodeDir(node));
            File.WriteAllText(Paths.HostKeyPath(node), "key");
            File.WriteAllText(Paths.HostKeyPath(node) + ".pub", $"ssh-ed25519 AAAA{node.Name} {node.Name}\n");
        }
    }

    public void Dispose() => _root.Delete(recursive: true);
}
