namespace EbpfConsole.Lab;

/// <summary>Preconditions of every lab operation: root, and the tools the lab drives.</summary>
public static class LabEnvironment
{
    public const string RootMessage = "the lab needs root (network namespaces, iptables, sshd): run it with sudo";

    /// <summary>Each program the lab runs, with the tool (package-level name) the user knows it by.</summary>
    public static IReadOnlyList<(string Program, string Tool)> RequiredPrograms { get; } =
    [
        ("ip", "ip"), ("ss", "ip"), ("bridge", "ip"),
        ("iptables", "iptables"), ("iptables-restore", "iptables"),
        ("sshd", "sshd"), ("ssh-keygen", "ssh-keygen"),
        ("nginx", "nginx"), ("curl", "curl"), ("conntrack", "conntrack"),
        ("unshare", "unshare"), ("setsid", "setsid"), ("sysctl", "sysctl"), ("kill", "kill"),
    ];

    private static readonly string[] ExtraDirs = ["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/bin", "/bin"];

    /// <summary>Throws a <see cref="LabException"/> unless running as root with every tool installed.</summary>
    public static void EnsureReady(bool isRoot, Func<string, string?> locate)
    {
        ArgumentNullException.ThrowIfNull(locate);
        if (!isRoot)
        {
            throw new LabException(RootMessage);
        }

        var missing = RequiredPrograms.Where(p => locate(p.Program) is null).Select(p => p.Tool).Distinct().ToList();
        if (missing.Count > 0)
        {
            throw new LabException($"the lab needs {string.Join(", ", missing)}, which {(missing.Count == 1 ? "is" : "are")} not installed: run ./install.sh");
        }
    }

    public static void EnsureReady() => EnsureReady(Environment.IsPrivilegedProcess, Locate);

    /// <summary>The full path of <paramref name="program"/> on PATH or in the usual bin/sbin directories, or null.</summary>
    public static string? Locate(string program)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(ExtraDirs);
        return dirs.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
    }
}
