using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Cluster;

/// <summary>The Felix settings the lab emulates, after precedence (env &gt; FelixConfiguration node.NAME &gt; default).</summary>
internal sealed record FelixSettings(bool BpfEnabled, string ExternalServiceMode, bool KubeProxyIptablesCleanup)
{
    public static FelixSettings Defaults { get; } = new(false, "Tunnel", true);

    public bool IsDsr => string.Equals(ExternalServiceMode, "DSR", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The API server address a calico-node container started with (KUBERNETES_SERVICE_HOST/PORT).</summary>
internal sealed record ServiceEndpoint(string Host, string Port)
{
    /// <summary>What Kubernetes injects into every container: the `kubernetes` Service's ClusterIP (reached through kube-proxy).</summary>
    public static ServiceEndpoint ClusterIp { get; } = new("10.96.0.1", "443");
}

/// <summary>One line a container logs: level, source file:line and message (formatted by <see cref="LogFormat"/>).</summary>
internal sealed record LogLine(string Level, string Source, int Line, string Message);

/// <summary>How a Felix start went: Ready or not (and why), whether the BPF dataplane is in force, what it logged.</summary>
internal sealed record FelixStart(bool Ready, bool BpfActive, string ExternalServiceMode, string? NotReadyMessage, string? Warning, IReadOnlyList<LogLine> Lines);

/// <summary>
/// The emulated Felix as pure functions (DOMAIN.md: M3, M6, P8, P17): the container's environment, the effective
/// configuration, and what a start does with them, with the log lines real Felix prints.
/// </summary>
internal static class FelixModel
{
    public const string ContainerName = "calico-node";
    public const string NotReadyMessage = "calico/node is not ready: felix is not ready: readiness probe reporting 503";

    /// <summary>The calico-node container of a pod or template (by name, else the first one).</summary>
    public static JsonObject? Container(JsonObject podOrTemplate)
    {
        var containers = ClusterJson.Objects(ClusterJson.Arr(podOrTemplate, "spec", "containers")).ToList();
        return containers.FirstOrDefault(c => ClusterJson.Str(c, "name") == ContainerName) ?? containers.FirstOrDefault();
    }

    /// <summary>
    /// A container's environment as kubelet builds it at start: every envFrom ConfigMap that exists (looked up in the
    /// pod's namespace), then the explicit env values on top (valueFrom is left out: the lab does not need it).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment(JsonObject? container, Func<string, JsonObject?> configMap)
    {
        ArgumentNullException.ThrowIfNull(configMap);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in ClusterJson.Objects(ClusterJson.Arr(container, "envFrom")))
        {
            if (ClusterJson.Str(source, "configMapRef", "name") is { } name && configMap(name) is { } cm)
            {
                var prefix = ClusterJson.Str(source, "prefix") ?? string.Empty;
                foreach (var (key, value) in ClusterJson.Map(cm, "data"))
                {
                    env[prefix + key] = value;
                }
            }
        }

        foreach (var variable in ClusterJson.Objects(ClusterJson.Arr(container, "env")))
        {
            if (ClusterJson.Str(variable, "name") is { } name && ClusterJson.Str(variable, "value") is { } value)
            {
                env[name] = value;
            }
        }

        return env;
    }

    /// <summary>The KUBERNETES_SERVICE_HOST/PORT override in <paramref name="env"/>, or null (Felix then uses the ClusterIP).</summary>
    public static ServiceEndpoint? Override(IReadOnlyDictionary<string, string> env) =>
        env.TryGetValue("KUBERNETES_SERVICE_HOST", out var host) && host.Length > 0
            ? new ServiceEndpoint(host, env.GetValueOrDefault("KUBERNETES_SERVICE_PORT") ?? "443")
            : null;

    /// <summary>Effective settings: env FELIX_* &gt; FelixConfiguration node.NAME &gt; FelixConfiguration default (P17).</summary>
    public static FelixSettings Effective(JsonObject? defaultSpec, JsonObject? nodeSpec, IReadOnlyDictionary<string, string> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var settings = FelixSettings.Defaults;
        foreach (var spec in new[] { defaultSpec, nodeSpec })
        {
            if (spec is null)
            {
                continue;
            }

            settings = settings with
            {
                BpfEnabled = ClusterJson.Bool(spec, "bpfEnabled") ?? settings.BpfEnabled,
                ExternalServiceMode = ClusterJson.Str(spec, "bpfExternalServiceMode") is { Length: > 0 } mode ? mode : settings.ExternalServiceMode,
                KubeProxyIptablesCleanup = ClusterJson.Bool(spec, "bpfKubeProxyIptablesCleanupEnabled") ?? settings.KubeProxyIptablesCleanup,
            };
        }

        var felixEnv = env.Where(p => p.Key.StartsWith("FELIX_", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(p => p.Key.ToUpperInvariant(), p => p.Value, StringComparer.Ordinal);
        return settings with
        {
            BpfEnabled = ClusterJson.ParseBool(felixEnv.GetValueOrDefault("FELIX_BPFENABLED")) ?? settings.BpfEnabled,
            ExternalServiceMode = felixEnv.GetValueOrDefault("FELIX_BPFEXTERNALSERVICEMODE") is { Length: > 0 } m ? m : settings.ExternalServiceMode,
            KubeProxyIptablesCleanup = ClusterJson.ParseBool(felixEnv.GetValueOrDefault("FELIX_BPFKUBEPROXYIPTABLESCLEANUPENABLED")) ?? settings.KubeProxyIptablesCleanup,
        };
    }

    /// <summary>
    /// A Felix start on <paramref name="node"/>. BPF on needs the override (the API server without kube-proxy's
    /// service) and bpffs; otherwise calico-node stays not Ready. BPF off: Ready on the iptables dataplane.
    /// </summary>
    /// <summary>The Calico version Felix reports when the image does not say (the scenarios' default).</summary>
    public const string DefaultVersion = "v3.29.3";

    /// <summary>The version in an image reference's tag ("docker.io/calico/node:v3.31.0" → v3.31.0), else <see cref="DefaultVersion"/>.</summary>
    public static string VersionOf(string? image) =>
        image is { } i && i.LastIndexOf(':') is var colon and > 0 && i[(colon + 1)..] is { Length: > 0 } tag && !tag.Contains('/', StringComparison.Ordinal) ? tag : DefaultVersion;

    public static FelixStart Start(string node, FelixSettings settings, ServiceEndpoint? serviceOverride, LabNodeFacts facts, string version = DefaultVersion)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(facts);
        var endpoint = serviceOverride ?? ServiceEndpoint.ClusterIp;
        var lines = new List<LogLine>
        {
            Info("felix/daemon.go", 375, $"Kubernetes server override env vars. KUBERNETES_SERVICE_HOST=\"{endpoint.Host}\" KUBERNETES_SERVICE_PORT=\"{endpoint.Port}\""),
            Info("felix/daemon.go", 398, "Loading configuration..."),
        };
        if (settings.BpfEnabled && serviceOverride is null)
        {
            lines.Add(new LogLine("WARNING", "felix/daemon.go", 412,
                $"Failed to get config from datastore error=Get \"https://{endpoint.Host}:{endpoint.Port}/apis/crd.projectcalico.org/v1/clusterinformations/default\": dial tcp {endpoint.Host}:{endpoint.Port}: i/o timeout"));
            lines.Add(new LogLine("WARNING", "felix/daemon.go", 418,
                "BPF dataplane enabled but KUBERNETES_SERVICE_HOST is the kube-proxy service address; without kube-proxy Felix cannot reach the API server. Set it via ConfigMap kubernetes-services-endpoint and restart calico-node."));
            return new FelixStart(false, false, settings.ExternalServiceMode, NotReadyMessage,
                $"calico-node on {node}: BPF is enabled but the pod started without ConfigMap kubernetes-services-endpoint, so Felix cannot reach the API server; create the ConfigMap and restart calico-node",
                lines);
        }

        lines.Add(Info("felix/daemon.go", 486, $"Successfully loaded configuration. GOMAXPROCS=2 bpfEnabled={Lower(settings.BpfEnabled)} bpfExternalServiceMode=\"{settings.ExternalServiceMode}\" version=\"{version}\""));
        if (facts.Links.Contains("kube-ipvs0", StringComparer.Ordinal) && !settings.BpfEnabled)
        {
            lines.Add(Info("felix/daemon.go", 553, "Kube-proxy in ipvs mode, enabling felix kube-proxy ipvs support."));
        }

        lines.Add(Info("felix/int_dataplane.go", 302, "Creating internal dataplane driver."));
        if (settings.BpfEnabled && !facts.Bpffs)
        {
            lines.Add(Info("felix/bpf.go", 1876, "BPF filesystem is not mounted at /sys/fs/bpf. Trying to mount it..."));
            lines.Add(new LogLine("PANIC", "felix/int_dataplane.go", 976, "error creating bpf maps error=failed to mount BPF filesystem at /sys/fs/bpf: operation not permitted"));
            return new FelixStart(false, false, settings.ExternalServiceMode, NotReadyMessage,
                $"calico-node on {node}: BPF is enabled but the node has no BPF filesystem at /sys/fs/bpf (preflight P5); mount it and restart calico-node",
                lines);
        }

        if (settings.BpfEnabled)
        {
            if (settings.KubeProxyIptablesCleanup)
            {
                lines.Add(Info("felix/int_dataplane.go", 542, "BPF enabled, configuring iptables layer to clean up kube-proxy's rules."));
            }

            lines.Add(Info("felix/int_dataplane.go", 973, "BPF enabled, starting BPF endpoint manager and map manager."));
            lines.Add(Info("felix/bpf_ep_mgr.go", 3051, $"BPF external service mode in force. bpfExternalServiceMode=\"{settings.ExternalServiceMode}\""));
            lines.Add(Info("felix/int_dataplane.go", 2544, "BPF enabled, disabling unprivileged BPF usage."));
        }

        lines.Add(Info("felix/health.go", 206, "Overall health status changed newStatus=&health.HealthReport{Live:true, Ready:true, Detail:\"\"}"));
        return new FelixStart(true, settings.BpfEnabled, settings.ExternalServiceMode, null, null, lines);
    }

    /// <summary>The line Felix logs before it exits to pick up changed BPF settings.</summary>
    public static LogLine RestartLine(FelixSettings before, FelixSettings after) =>
        new("WARNING", "felix/daemon.go", 1198,
            $"Felix configuration changed. Need to restart. bpfEnabled={Lower(before.BpfEnabled)}->{Lower(after.BpfEnabled)} bpfExternalServiceMode=\"{before.ExternalServiceMode}\"->\"{after.ExternalServiceMode}\"");

    /// <summary>What Felix logs each time it removes kube-proxy's rules again (BPF on, cleanup enabled, kube-proxy still running).</summary>
    public static LogLine ConflictLine() =>
        Info("felix/table.go", 1055, "Removing kube-proxy's iptables rules (bpfKubeProxyIptablesCleanupEnabled=true); kube-proxy is still running on this node and keeps re-adding them. chain=\"KUBE-NODEPORTS\" table=\"nat\"");

    /// <summary>True when a change of <paramref name="after"/> against what Felix started with needs a Felix restart.</summary>
    public static bool NeedsRestart(FelixSettings before, FelixSettings after) =>
        before.BpfEnabled != after.BpfEnabled
        || !string.Equals(before.ExternalServiceMode, after.ExternalServiceMode, StringComparison.OrdinalIgnoreCase)
        || before.KubeProxyIptablesCleanup != after.KubeProxyIptablesCleanup;

    private static LogLine Info(string source, int line, string message) => new("INFO", source, line, message);

    private static string Lower(bool value) => value ? "true" : "false";
}
