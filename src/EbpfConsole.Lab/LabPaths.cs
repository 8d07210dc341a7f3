namespace EbpfConsole.Lab;

/// <summary>
/// Where the lab keeps its state: keys (kept across `up`s), generated configs, pid files, logs, the
/// datapath mode and the lock. <c>EBPF_CONSOLE_LAB_DIR</c> overrides the default directory.
/// </summary>
public sealed class LabPaths
{
    public const string EnvironmentVariable = "EBPF_CONSOLE_LAB_DIR";
    public const string DefaultStateDir = "/var/lib/ebpf-console/lab";

    public LabPaths(string stateDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDir);
        StateDir = Path.GetFullPath(stateDir);
    }

    public string StateDir { get; }

    public string LockPath => Path.Combine(StateDir, "lab.lock");

    public string ModePath => Path.Combine(StateDir, "mode");

    public string SshDir => Path.Combine(StateDir, "ssh");

    /// <summary>The client key the lab's sshd instances accept (ed25519, user root).</summary>
    public string SshPrivateKeyPath => Path.Combine(SshDir, "id_ed25519");

    public string SshPublicKeyPath => SshPrivateKeyPath + ".pub";

    /// <summary>Plain OpenSSH known_hosts entries for every node IP.</summary>
    public string KnownHostsPath => Path.Combine(SshDir, "known_hosts");

    public string AuthorizedKeysPath => Path.Combine(SshDir, "authorized_keys");

    public string NginxDir => Path.Combine(StateDir, "pod-nginx");

    public string NginxConfigPath => Path.Combine(NginxDir, "nginx.conf");

    public string NginxPidPath => Path.Combine(NginxDir, "nginx.pid");

    public string AccessLogPath => Path.Combine(NginxDir, "access.log");

    public string NginxErrorLogPath => Path.Combine(NginxDir, "error.log");

    public string NginxTempDir => Path.Combine(NginxDir, "tmp");

    public static LabPaths FromEnvironment()
    {
        var dir = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return new LabPaths(string.IsNullOrWhiteSpace(dir) ? DefaultStateDir : dir);
    }

    public string NodeDir(LabHost node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Path.Combine(StateDir, node.Name);
    }

    public string HostKeyPath(LabHost node) => Path.Combine(NodeDir(node), "ssh_host_ed25519_key");

    public string SshdConfigPath(LabHost node) => Path.Combine(NodeDir(node), "sshd_config");

    public string SshdPidPath(LabHost node) => Path.Combine(NodeDir(node), "sshd.pid");

    public string SshdLogPath(LabHost node) => Path.Combine(NodeDir(node), "sshd.log");
}
