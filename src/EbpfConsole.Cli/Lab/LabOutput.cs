using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab;

namespace EbpfConsole.Cli.Lab;

/// <summary>Renders lab results for people (one line per fact) and for scripts (camelCase JSON).</summary>
public static class LabOutput
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>`client 10.99.0.100 -> node-1:30604  200  pod saw 10.99.0.11`.</summary>
    public static string CurlLine(CurlResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var head = $"{result.From} {result.FromIp} -> {result.Target}:{LabTopology.NodePort.ToString(CultureInfo.InvariantCulture)}";
        return result.Succeeded
            ? $"{head}  {result.Status.ToString(CultureInfo.InvariantCulture)}  pod saw {result.PodSaw}"
            : $"{head}  {(result.Status == 0 ? "failed" : result.Status.ToString(CultureInfo.InvariantCulture))}  {result.Error}";
    }

    public static string CurlJson(IEnumerable<CurlResult> results) =>
        JsonSerializer.Serialize(results.Select(r => new CurlDto(r.From, r.FromIp, r.Target, r.Status, r.PodSaw, r.Error)), Json);

    public static string StatusJson(LabStatus status, LabPaths paths)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(paths);
        var dto = new StatusDto(
            status.Up,
            status.Datapath ?? status.Mode?.ToName(),
            status.Nodes.Select(Host).ToList(),
            status.Clients.Select(Host).ToList(),
            Host(status.Pod),
            status.StateDir,
            new SshDto("root", paths.SshPrivateKeyPath, paths.KnownHostsPath),
            new ApiServerDto(status.ApiServerUrl, status.Kubeconfig, status.ViewerKubeconfig, status.ApiServerUp),
            status.Scenario,
            status.ManualOverride ? ManualOverrideSource : ApiObjectsSource,
            status.Health);
        return JsonSerializer.Serialize(dto, Json);
    }

    /// <summary>`datapathSource` in the JSON: the lab controller follows the API objects, or `lab mode` forced the datapath.</summary>
    public const string ApiObjectsSource = "api-objects";

    public const string ManualOverrideSource = "manual-override";

    public static IEnumerable<string> StatusLines(LabStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var datapath = status.Datapath ?? status.Mode?.ToName();
        yield return $"lab: {(status.Up ? "up" : "not up")}, {status.Nodes.Count} nodes, mode {datapath ?? "(none recorded)"}, state {status.StateDir}";
        foreach (var host in status.Nodes.Concat(status.Clients).Append(status.Pod))
        {
            yield return $"  {host.Name,-8} {host.Ip,-12} netns {host.Namespace}{(LabTopology.Nodes.Contains(host) ? "  (datapath)" : string.Empty)}";
        }

        yield return $"api server: {status.ApiServerUrl} ({(status.ApiServerUp ? "up" : "down")})";
        yield return $"kubeconfig: {status.Kubeconfig ?? "(none yet: 'ebpf-console lab up' writes it)"}";
        if (status.ViewerKubeconfig is { } viewer)
        {
            yield return $"viewer kubeconfig (read-only): {viewer}";
        }

        yield return $"scenario: {status.Scenario ?? "(none recorded)"}";
        yield return $"datapath: {datapath ?? "(none recorded)"} ({DatapathSource(status)})";
        yield return "health: " + string.Join("  ", HealthItems(status.Health));
    }

    /// <summary>Each probe as "key ok|FAIL"; with more than <see cref="SshdListedUpTo"/> nodes the sshd probes become one item ("sshd ok on 50 nodes", or the failing ones).</summary>
    public static IEnumerable<string> HealthItems(IReadOnlyDictionary<string, bool> health)
    {
        ArgumentNullException.ThrowIfNull(health);
        var sshd = health.Where(h => h.Key.StartsWith("sshd:", StringComparison.Ordinal)).ToList();
        var grouped = false;
        foreach (var (key, ok) in health)
        {
            if (sshd.Count <= SshdListedUpTo || !key.StartsWith("sshd:", StringComparison.Ordinal))
            {
                yield return $"{key} {(ok ? "ok" : "FAIL")}";
            }
            else if (!grouped)
            {
                grouped = true;
                var failing = sshd.Where(h => !h.Value).Select(h => h.Key["sshd:".Length..]).ToList();
                yield return failing.Count == 0
                    ? $"sshd ok on {sshd.Count.ToString(CultureInfo.InvariantCulture)} nodes"
                    : $"sshd FAIL on {string.Join(",", failing)} (ok on {(sshd.Count - failing.Count).ToString(CultureInfo.InvariantCulture)})";
            }
        }
    }

    /// <summary>Up to this many nodes, each sshd probe is listed on its own.</summary>
    public const int SshdListedUpTo = 5;

    /// <summary>What `lab mode` prints: the mode in force and who decides it.</summary>
    public static string ModeLine(string requested, LabStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var datapath = status.Datapath ?? "(none recorded)";
        return status.ManualOverride
            ? $"mode {datapath} ({DatapathSource(status)}; 'ebpf-console lab mode auto' hands it back to the API objects)"
            : $"mode {requested}: {DatapathSource(status)}, datapath {datapath} now (the lab controller re-applies what they say within seconds)";
    }

    private static string DatapathSource(LabStatus status) => status.ManualOverride ? "manual override" : "set by the API objects";

    private static HostDto Host(LabHost host) => new(host.Name, host.Ip, host.Namespace);

    private sealed record HostDto(string Name, string Ip, string Namespace);

    private sealed record SshDto(string User, string PrivateKey, string KnownHosts);

    private sealed record CurlDto(string From, string FromIp, string Target, int Status, string? PodSaw, string? Error);

    private sealed record StatusDto(
        bool Up,
        string? Mode,
        IReadOnlyList<HostDto> Nodes,
        IReadOnlyList<HostDto> Clients,
        HostDto Pod,
        string StateDir,
        SshDto Ssh,
        ApiServerDto ApiServer,
        string? Scenario,
        string DatapathSource,
        IReadOnlyDictionary<string, bool> Health);

    private sealed record ApiServerDto(string Url, string? Kubeconfig, string? ViewerKubeconfig, bool Up);
}
