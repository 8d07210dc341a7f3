namespace EbpfConsole.Lab;

/// <summary>
/// Where the lab keeps its state: keys (kept across `up`s), generated configs, pid files, logs, the
/// datapath mode. <c>EBPF_CONSOLE_LAB_DIR</c> overrides the default directory. The lock and the record of
/// which state directory owns the running lab are machine-global (<see cref="LabMachine"/>).
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

    /// <summary>The emulated API server's directory: objects, PKI, kubeconfig, pid and log, pod logs. `lab down` removes it.</summary>
    public string ApiDir => Path.Combine(StateDir, "api");

    /// <summary>The lab's migration journal: beside the API objects, so it lives and goes with them (lab down removes both).</summary>
    public string MigrationJournalPath => Path.Combine(ApiDir, "migration.jsonl");

    /// <summary>The API objects (JSON), written after every mutation so a restarted server loses nothing.</summary>
    public string ApiStatePath => Path.Combine(ApiDir, "objects.json");

    /// <summary>The daemon's settings (scenario, listen addresses); its command line names it, which identifies the process.</summary>
    public string ApiServerConfigPath => Path.Combine(ApiDir, "apiserver.json");

    public string ApiServerPidPath => Path.Combine(ApiDir, "apiserver.pid");

    public string ApiServerLogPath => Path.Combine(ApiDir, "apiserver.log");

    /// <summary>The lab's CA, the server's and the admin client's certificates and keys (PEM), generated once per lab.</summary>
    public string PkiDir => Path.Combine(ApiDir, "pki");

    public string CaCertPath => Path.Combine(PkiDir, "ca.crt");

    public string CaKeyPath => Path.Combine(PkiDir, "ca.key");

    public string ServerCertPath => Path.Combine(PkiDir, "apiserver.crt");

    public string ServerKeyPath => Path.Combine(PkiDir, "apiserver.key");

    public string ClientCertPath => Path.Combine(PkiDir, "admin.crt");

    public string ClientKeyPath => Path.Combine(PkiDir, "admin.key");

    /// <summary>The read-only client's certificate (CN=ebpf-console-viewer, O=ebpf-console:viewers) and key.</summary>
    public string ViewerCertPath => Path.Combine(PkiDir, "viewer.crt");

    public string ViewerKeyPath => Path.Combine(PkiDir, "viewer.key");

    /// <summary>The kubeconfig for the lab's API server (CA, admin client certificate and key embedded).</summary>
    public string KubeconfigPath => Path.Combine(ApiDir, "kubeconfig");

    /// <summary>A kubeconfig beside <see cref="KubeconfigPath"/> for the read-only viewer: get, list and watch; every write is 403 Forbidden.</summary>
    public string ViewerKubeconfigPath => Path.Combine(ApiDir, "viewer.kubeconfig");

    /// <summary>Container logs of emulated pods, one file per pod and container.</summary>
    public string PodLogDir => Path.Combine(ApiDir, "pod-logs");

    /// <summary>Present while a trainer's `lab mode` overrides what the API objects say (holds the forced mode).</summary>
    public string ModeOverridePath => Path.Combine(StateDir, "mode.override");

    public static LabPaths FromEnvironment()
    {
        var dir = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return new LabPaths(string.IsNullOrWhiteSpace(dir) ? DefaultStateDir : dir);
    }

    /// <summary>
    /// Creates the state directory (private: it holds the lab's SSH private keys) and proves it writable; a
    /// path that is a file, under a file, or on a read-only file system is a <see cref="LabException"/> naming it.
    /// </summary>
    public void EnsureStateDir()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new LabException("the lab needs Linux (network namespaces)");
        }

        var probe = Path.Combine(StateDir, $".write-test-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(StateDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LabException($"the lab state directory {StateDir} is not usable ({ex.Message}); set {EnvironmentVariable} to a writable directory", ex);
        }
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
