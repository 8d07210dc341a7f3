using System.Globalization;
using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Lab.Cluster;

internal sealed partial class LabReconciler
{
    private void RunKubelet()
    {
        var pods = List(ResourceCatalog.Pods);
        foreach (var pod in pods.Where(p => PodBuilder.Phase(p) is null or "Pending"))
        {
            var scheduled = DateTimeOffset.TryParse(ClusterJson.Annotation(pod, PodBuilder.ScheduledAtAnnotation), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
                ? at
                : DateTimeOffset.TryParse(ClusterJson.Str(pod, "metadata", "creationTimestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created) ? created : Now;
            if (Now - scheduled >= StartDelay && ClusterJson.Str(pod, "spec", "nodeName") is not null)
            {
                StartPod(pod, List(ResourceCatalog.Pods)); // fresh: pods started earlier in this pass hold their IPs now
            }
        }
    }

    private void StartPod(JsonObject pod, IReadOnlyList<JsonObject> pods)
    {
        var node = ClusterJson.Str(pod, "spec", "nodeName")!;
        var hostIp = NodeIp(node);
        var podIp = PodBuilder.HostNetwork(pod) ? hostIp : AllocateIp(pod, node, pods);
        var ns = ClusterJson.Namespace(pod)!;
        var name = ClusterJson.Name(pod);
        string? notReady = null;
        foreach (var container in ClusterJson.Objects(ClusterJson.Arr(pod, "spec", "containers")))
        {
            var containerName = ClusterJson.Str(container, "name") ?? string.Empty;
            _events.Normal(pod, "Pulled", $"Container image \"{ClusterJson.Str(container, "image")}\" already present on machine", "kubelet", node);
            _events.Normal(pod, "Created", $"Created container {containerName}", "kubelet", node);
            _events.Normal(pod, "Started", $"Started container {containerName}", "kubelet", node);
            if (containerName == FelixModel.ContainerName)
            {
                var state = StartFelix(pod, container, pid: 58, previous: null);
                notReady ??= state.Ready ? null : FelixModel.NotReadyMessage;
            }
            else if (PodLogReader.IsNginx(pod))
            {
                // A new nginx pod's log starts now, not with what the lab's nginx logged before it existed.
                var offset = File.Exists(_paths.AccessLogPath) ? new FileInfo(_paths.AccessLogPath).Length : 0;
                MergePatchObject(ResourceCatalog.Pods, pod, new JsonObject
                {
                    ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [PodLogReader.AccessLogOffsetAnnotation] = offset.ToString(CultureInfo.InvariantCulture) } },
                });
            }
            else if (containerName == KubeProxyModel.ContainerName)
            {
                var mode = KubeProxyModel.Mode(ClusterJson.Str(ConfigMap("kube-system", "kube-proxy"), "data", "config.conf"));
                _logs.Append(ns, name, containerName, Now, KubeProxyModel.Start(node, hostIp, mode, Scenario.KubernetesVersion).Select(l => LogFormat.Klog(Now, l)));
            }
        }

        var fresh = _store.TryGet(ResourceCatalog.Pods, ns, name);
        if (fresh is not null)
        {
            WriteStatus(ResourceCatalog.Pods, fresh, PodBuilder.RunningStatus(fresh, hostIp, podIp, Now, Now, 0, notReady));
        }
    }

    /// <summary>Starts the emulated Felix of a calico-node container: logs, Warning events, the remembered state on the pod.</summary>
    private FelixState StartFelix(JsonObject pod, JsonObject container, int pid, FelixState? previous)
    {
        var node = ClusterJson.Str(pod, "spec", "nodeName") ?? string.Empty;
        var ns = ClusterJson.Namespace(pod)!;
        FelixState state;
        if (previous is null)
        {
            var env = FelixModel.Environment(container, cm => ConfigMap(ns, cm));
            var felixEnv = env.Where(p => p.Key.StartsWith("FELIX_", StringComparison.OrdinalIgnoreCase)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            state = new FelixState(FelixModel.Override(env), felixEnv, FelixSettings.Defaults, false, false, pid);
        }
        else
        {
            state = previous with { Pid = pid };
        }

        var settings = CurrentFelixSettings(node, state);
        var start = FelixModel.Start(node, settings, state.Override, Scenario.FactsFor(node), FelixModel.VersionOf(ClusterJson.Str(container, "image")));
        state = state with { Settings = settings, Ready = start.Ready, BpfActive = start.BpfActive };
        _logs.Append(ns, ClusterJson.Name(pod), FelixModel.ContainerName, Now, start.Lines.Select(l => LogFormat.Felix(Now, pid, l)));
        MergePatchObject(ResourceCatalog.Pods, pod, new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [FelixState.Annotation] = state.ToAnnotation() } } });
        if (!start.Ready)
        {
            _events.Warning(pod, "Unhealthy", $"Readiness probe failed: {FelixModel.NotReadyMessage}", "kubelet", node);
            if (start.Warning is not null)
            {
                _events.Warning(pod, "FelixNotReady", start.Warning, "calico-node", node);
            }
        }

        return state;
    }

    /// <summary>Effective Felix settings for <paramref name="node"/>: FelixConfiguration default, node.NAME, then the env the container started with.</summary>
    private FelixSettings CurrentFelixSettings(string node, FelixState state)
    {
        var defaults = _store.TryGet(ResourceCatalog.FelixConfigurations, null, "default");
        var perNode = _store.TryGet(ResourceCatalog.FelixConfigurations, null, "node." + node);
        return FelixModel.Effective(ClusterJson.Obj(defaults, "spec"), ClusterJson.Obj(perNode, "spec"), state.FelixEnv);
    }

    /// <summary>Felix restarts in place on a BPF setting change; while BPF is on and kube-proxy still runs beside it, they fight.</summary>
    private void RunFelix()
    {
        var pods = List(ResourceCatalog.Pods);
        var kubeProxyNodes = KubeProxyNodes(pods);
        foreach (var pod in pods.Where(PodBuilder.IsRunning))
        {
            if (FelixState.Of(pod) is not { } state)
            {
                continue;
            }

            var node = ClusterJson.Str(pod, "spec", "nodeName") ?? string.Empty;
            var settings = CurrentFelixSettings(node, state);
            if (FelixModel.NeedsRestart(state.Settings, settings))
            {
                RestartFelix(pod, state, settings);
                continue;
            }

            if (state.BpfActive && settings.KubeProxyIptablesCleanup && kubeProxyNodes.TryGetValue(node, out var kubeProxy))
            {
                if (_lastConflict.TryGetValue(ClusterJson.Uid(pod), out var last) && Now - last < ConflictInterval)
                {
                    continue;
                }

                _lastConflict[ClusterJson.Uid(pod)] = Now;
                _logs.Append(ClusterJson.Namespace(pod)!, ClusterJson.Name(pod), FelixModel.ContainerName, Now, [LogFormat.Felix(Now, state.Pid, FelixModel.ConflictLine())]);
                _logs.Append(ClusterJson.Namespace(kubeProxy)!, ClusterJson.Name(kubeProxy), KubeProxyModel.ContainerName, Now, KubeProxyModel.Resync().Select(l => LogFormat.Klog(Now, l)));
                _events.Warning(pod, "KubeProxyConflict",
                    $"Felix (BPF dataplane) keeps removing kube-proxy's iptables rules on {node} and kube-proxy ({ClusterJson.Name(kubeProxy)}) keeps restoring them; disable kube-proxy (DOMAIN.md M4) or set bpfKubeProxyIptablesCleanupEnabled: false",
                    "calico-node", node);
            }
        }
    }

    private void RestartFelix(JsonObject pod, FelixState state, FelixSettings settings)
    {
        var ns = ClusterJson.Namespace(pod)!;
        var node = ClusterJson.Str(pod, "spec", "nodeName") ?? string.Empty;
        _logs.Append(ns, ClusterJson.Name(pod), FelixModel.ContainerName, Now, [LogFormat.Felix(Now, state.Pid, FelixModel.RestartLine(state.Settings, settings))]);
        var container = FelixModel.Container(pod) ?? [];
        var restarted = StartFelix(pod, container, state.Pid + 100, state);
        _events.Normal(pod, "Pulled", $"Container image \"{ClusterJson.Str(container, "image")}\" already present on machine", "kubelet", node);
        _events.Normal(pod, "Started", $"Started container {FelixModel.ContainerName}", "kubelet", node);
        if (_store.TryGet(ResourceCatalog.Pods, ns, ClusterJson.Name(pod)) is { } fresh)
        {
            var podIp = ClusterJson.Str(fresh, "status", "podIP") ?? NodeIp(node);
            WriteStatus(ResourceCatalog.Pods, fresh, PodBuilder.RunningStatus(fresh, NodeIp(node), podIp, Now, Now, PodBuilder.RestartCount(fresh) + 1, restarted.Ready ? null : FelixModel.NotReadyMessage));
        }
    }

    /// <summary>Running kube-proxy pods by node.</summary>
    private static Dictionary<string, JsonObject> KubeProxyNodes(IEnumerable<JsonObject> pods)
    {
        var byNode = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var pod in pods.Where(p => PodBuilder.IsRunning(p) && PodBuilder.ContainerNames(p).Contains(KubeProxyModel.ContainerName)))
        {
            byNode.TryAdd(ClusterJson.Str(pod, "spec", "nodeName") ?? string.Empty, pod);
        }

        return byNode;
    }

    /// <summary>The first nginx pod on the backend node gets 10.244.2.5 (the real nginx); others the next free 10.244.N.x.</summary>
    private static string AllocateIp(JsonObject pod, string node, IEnumerable<JsonObject> pods)
    {
        var used = pods.Where(p => !PodBuilder.HostNetwork(p) && ClusterJson.Uid(p) != ClusterJson.Uid(pod))
            .Select(p => ClusterJson.Str(p, "status", "podIP")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (ClusterJson.Labels(pod).GetValueOrDefault("app") == "nginx" && node == LabTopology.BackendNode.Name && !used.Contains(LabTopology.Pod.Ip))
        {
            return LabTopology.Pod.Ip;
        }

        var index = LabTopology.NodeIndex(node) ?? 99;
        for (var last = 10; last < 255; last++)
        {
            var ip = $"10.244.{index}.{last}";
            if (!used.Contains(ip))
            {
                return ip;
            }
        }

        return $"10.244.{index}.254";
    }
}
