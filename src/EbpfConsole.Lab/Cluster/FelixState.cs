using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Cluster;

/// <summary>
/// What an emulated Felix started with and what it did, kept as an annotation on its calico-node pod
/// (persisted with the store, so a restarted daemon remembers whether the pod saw the ConfigMap).
/// </summary>
internal sealed record FelixState(ServiceEndpoint? Override, IReadOnlyDictionary<string, string> FelixEnv, FelixSettings Settings, bool Ready, bool BpfActive, int Pid)
{
    public const string Annotation = ClusterJson.AnnotationPrefix + "felix";

    public static FelixState? Of(JsonObject pod)
    {
        if (ClusterJson.Annotation(pod, Annotation) is not { } text)
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(text) is not JsonObject o)
            {
                return null;
            }

            var endpoint = ClusterJson.Str(o, "kubernetesServiceHost") is { } host ? new ServiceEndpoint(host, ClusterJson.Str(o, "kubernetesServicePort") ?? "443") : null;
            var settings = new FelixSettings(
                ClusterJson.Bool(o, "bpfEnabled") ?? false,
                ClusterJson.Str(o, "bpfExternalServiceMode") ?? "Tunnel",
                ClusterJson.Bool(o, "bpfKubeProxyIptablesCleanupEnabled") ?? true);
            return new FelixState(endpoint, ClusterJson.Map(o, "env"), settings, ClusterJson.Bool(o, "ready") ?? false, ClusterJson.Bool(o, "bpfActive") ?? false, ClusterJson.Int(o, "pid") ?? 1);
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // edited by hand into something else: treated as never started
        }
    }

    public string ToAnnotation()
    {
        var o = new JsonObject
        {
            ["kubernetesServiceHost"] = Override?.Host,
            ["kubernetesServicePort"] = Override?.Port,
            ["bpfEnabled"] = Settings.BpfEnabled,
            ["bpfExternalServiceMode"] = Settings.ExternalServiceMode,
            ["bpfKubeProxyIptablesCleanupEnabled"] = Settings.KubeProxyIptablesCleanup,
            ["ready"] = Ready,
            ["bpfActive"] = BpfActive,
            ["pid"] = Pid,
            ["env"] = ClusterJson.ToObject(FelixEnv),
        };
        return o.ToJsonString();
    }
}
