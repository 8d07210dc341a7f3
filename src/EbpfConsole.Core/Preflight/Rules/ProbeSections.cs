namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>The sections of the node probe script: key → the command as shown to the user (and run), and output caps.</summary>
internal static class ProbeSections
{
    public const string Kernel = "kernel";
    public const string ProcVersion = "os";
    public const string Arch = "arch";
    public const string BpfFs = "bpffs";
    public const string Links = "links";
    public const string Addresses = "addrs";
    public const string KubeIpvs = "kube-ipvs0";
    public const string Cgroup = "cgroup";
    public const string Vendor = "vendor";
    public const string Iptables = "iptables";
    public const string Flows = "tcp";

    /// <summary>Prefix of the P9 sections: api-0, api-1, … (one per tested endpoint, in <see cref="ApiEndpoints"/> order).</summary>
    public const string ApiPrefix = "api-";

    public const int DefaultCap = 65536;

    /// <summary>ss -tni prints ~450 bytes per flow: room for ~550 flows.</summary>
    public const int FlowsCap = 262144;

    public const string IptablesFilter = "4789|^[^-:*#C]|^C[^O]";

    /// <summary>Key, command shown (what a user would type), shell function body.</summary>
    public static IReadOnlyList<(string Key, string Command, string Body, int Cap)> Static { get; } =
    [
        (Kernel, "uname -r", "uname -r", DefaultCap),
        (ProcVersion, "cat /proc/version", "cat /proc/version", DefaultCap),
        (Arch, "uname -m", "uname -m", DefaultCap),
        (BpfFs, "mount | grep /sys/fs/bpf", "mount | grep /sys/fs/bpf", DefaultCap),
        (Links, "ip -o link", "ip -o link", DefaultCap),
        (Addresses, "ip -o -4 addr show", "ip -o -4 addr show", DefaultCap),
        (KubeIpvs, "ip link show kube-ipvs0", "ip link show kube-ipvs0", DefaultCap),
        (Cgroup, "stat -fc %T /run/calico/cgroup", "stat -fc %T /run/calico/cgroup", DefaultCap),
        (Vendor, "cat /sys/class/dmi/id/sys_vendor", "cat /sys/class/dmi/id/sys_vendor", DefaultCap),
        (Flows, "ss -tniH state established", "ss -tniH state established 2>/dev/null || ss -tni state established", FlowsCap),
    ];

    /// <summary>The iptables section's shown command depends on whether the script runs as root.</summary>
    public const string IptablesShown = "${SUDO:+$SUDO }iptables-save | grep 4789";

    public const string IptablesBody = "{ $SUDO iptables-save 2>&1; echo \"iptables-save exit $?\"; } | grep -E '" + IptablesFilter + "'";

    /// <summary>The commands of every known section, for the evidence of a missing one.</summary>
    public static string CommandOf(string key) =>
        Static.FirstOrDefault(s => s.Key == key).Command
        ?? (key == Iptables ? "iptables-save | grep 4789" : key.StartsWith(ApiPrefix, StringComparison.Ordinal) ? "TCP connect to the API endpoint" : key);
}
