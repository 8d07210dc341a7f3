using System.Text.Json.Nodes;
using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Lab.Cluster;

internal sealed partial class LabReconciler
{
    public const string DatapathConfigMap = "lab-datapath";
    public const string ManualSource = "manual: ebpf-console lab mode";

    /// <summary>The datapath the objects call for, from the calico-node and kube-proxy pods (present = scheduled, running or not).</summary>
    public DatapathDecision Decide()
    {
        var pods = List(ResourceCatalog.Pods);
        var calico = pods.Where(p => PodBuilder.ContainerNames(p).Contains(FelixModel.ContainerName))
            .Select(p => FelixState.Of(p) is { } state && PodBuilder.IsRunning(p)
                ? new CalicoNodeState(ClusterJson.Str(p, "spec", "nodeName") ?? string.Empty, true, PodBuilder.IsReady(p), state.BpfActive, state.Settings.ExternalServiceMode)
                : new CalicoNodeState(ClusterJson.Str(p, "spec", "nodeName") ?? string.Empty, PodBuilder.IsRunning(p), false, false, "Tunnel"))
            .ToList();
        var kubeProxyPresent = pods.Where(p => PodBuilder.ContainerNames(p).Contains(KubeProxyModel.ContainerName))
            .Select(p => ClusterJson.Str(p, "spec", "nodeName") ?? string.Empty).Distinct().ToList();
        var current = _datapath.ManualOverride is null ? _datapath.Current : null;
        return DatapathDecision.Decide(calico, kubeProxyPresent, LabTopology.IngressNode.Name, current);
    }

    private async Task ReconcileDatapathAsync(CancellationToken ct)
    {
        DatapathDecision decision;
        try
        {
            decision = Decide();
        }
        catch (ApiException ex)
        {
            _diagnostics?.Invoke($"lab controller: datapath: {ex.Message}");
            return;
        }

        string mode;
        string source;
        string reason;
        if (_datapath.ManualOverride is { } forced)
        {
            (mode, source) = (forced.ToName(), ManualSource);
            reason = $"A trainer forced {forced.ToName()} with `ebpf-console lab mode`; the API objects call for {decision.ModeName} ({decision.Reason}).";
        }
        else
        {
            (mode, source, reason) = (decision.ModeName, "api", Sentence(decision.Reason));
            if (_datapath.Current != decision.ModeName)
            {
                try
                {
                    await _datapath.ApplyAsync(decision.Mode, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is LabException or IOException or TimeoutException or InvalidOperationException)
                {
                    _diagnostics?.Invoke($"lab controller: applying datapath {decision.ModeName}: {ex.Message}");
                    return;
                }
            }
        }

        try
        {
            RecordDatapath(mode, source, reason);
        }
        catch (ApiException ex)
        {
            _diagnostics?.Invoke($"lab controller: recording the datapath: {ex.Message}");
        }
    }

    /// <summary>ConfigMap kube-system/lab-datapath {mode, source, reason}: what is in force, for kubectl users and the console.</summary>
    private void RecordDatapath(string mode, string source, string reason)
    {
        var data = new JsonObject { ["mode"] = mode, ["source"] = source, ["reason"] = reason };
        var existing = ConfigMap("kube-system", DatapathConfigMap);
        if (existing is null)
        {
            if (_store.TryGet(ResourceCatalog.Namespaces, null, "kube-system") is null)
            {
                return;
            }

            _store.Create(ResourceCatalog.ConfigMaps, "kube-system", new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject
                {
                    ["name"] = DatapathConfigMap,
                    ["namespace"] = "kube-system",
                    ["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "ebpf-console-lab" },
                },
                ["data"] = data,
            });
        }
        else if (!JsonNode.DeepEquals(existing["data"], data))
        {
            existing["data"] = data;
            ((JsonObject)existing["metadata"]!).Remove("resourceVersion");
            _store.Update(ResourceCatalog.ConfigMaps, "kube-system", DatapathConfigMap, existing);
        }
    }

    private static string Sentence(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..] + (text.EndsWith('.') ? string.Empty : ".");
}
