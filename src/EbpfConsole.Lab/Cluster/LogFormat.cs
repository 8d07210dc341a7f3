using System.Globalization;

namespace EbpfConsole.Lab.Cluster;

/// <summary>Log line formats of the emulated components: Felix (logrus, Calico's formatter) and kube-proxy (klog).</summary>
internal static class LogFormat
{
    /// <summary><c>2026-11-27 12:00:00.123 [INFO][58] felix/int_dataplane.go 973: message</c>.</summary>
    public static string Felix(DateTimeOffset time, int pid, LogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return $"{time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)} [{line.Level}][{pid}] {line.Source} {line.Line}: {line.Message}";
    }

    /// <summary><c>I1127 12:00:00.123456       1 server_linux.go:66] "Using iptables proxy"</c>.</summary>
    public static string Klog(DateTimeOffset time, LogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var level = line.Level switch { "WARNING" => 'W', "ERROR" => 'E', _ => 'I' };
        return $"{level}{time.UtcDateTime.ToString("MMdd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}       1 {line.Source}:{line.Line}] {line.Message}";
    }

    /// <summary>RFC 3339 with nanoseconds, what `kubectl logs --timestamps` prefixes.</summary>
    public static string Rfc3339Nano(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";
}

/// <summary>The lines the emulated kube-proxy logs (klog, kube-proxy 1.32's wording).</summary>
internal static class KubeProxyModel
{
    public const string ContainerName = "kube-proxy";

    /// <summary>The proxy mode in the kube-proxy ConfigMap's config.conf (`mode: ipvs`), "iptables" when empty or absent.</summary>
    public static string Mode(string? configConf)
    {
        foreach (var raw in (configConf ?? string.Empty).Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.StartsWith("mode:", StringComparison.Ordinal))
            {
                var value = line["mode:".Length..].Trim().Trim('"', '\'');
                return value.Length == 0 ? "iptables" : value;
            }
        }

        return "iptables";
    }

    public static IReadOnlyList<LogLine> Start(string nodeName, string nodeIp, string mode, string kubernetesVersion) =>
    [
        new("INFO", "server_linux.go", 66, $"\"Using {mode} proxy\""),
        new("INFO", "server.go", 677, $"\"Successfully retrieved node IP(s)\" IPs=[\"{nodeIp}\"]"),
        new("INFO", "server_linux.go", 169, $"\"Using {mode} Proxier\""),
        new("INFO", "server.go", 516, $"\"Version info\" version=\"{kubernetesVersion}\""),
        new("INFO", "config.go", 199, "\"Starting service config controller\""),
        new("INFO", "config.go", 105, "\"Starting endpoint slice config controller\""),
        new("INFO", "config.go", 329, $"\"Starting node config controller\" node=\"{nodeName}\""),
        new("INFO", "shared_informer.go", 320, "Caches are synced for service config"),
        new("INFO", "shared_informer.go", 320, "Caches are synced for endpoint slice config"),
        new("INFO", "shared_informer.go", 320, "Caches are synced for node config"),
    ];

    /// <summary>What kube-proxy logs when it finds its rules gone (Felix removed them) and writes them back.</summary>
    public static IReadOnlyList<LogLine> Resync() =>
    [
        new("INFO", "proxier.go", 805, "\"Syncing iptables rules\""),
        new("INFO", "proxier.go", 1494, "\"Reloading service iptables data\" numServices=4 numEndpoints=5 numFilterChains=6 numFilterRules=4 numNATChains=12 numNATRules=30"),
        new("INFO", "proxier.go", 799, "\"SyncProxyRules complete\" elapsed=\"9.8ms\""),
    ];
}
