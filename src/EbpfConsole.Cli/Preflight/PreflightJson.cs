using System.Text.Json;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Cli.Preflight;

/// <summary>
/// `preflight --json`: <c>checks: [{id, title, node, verdict, evidence, remediation, reason, scope}]</c> (node null for cluster
/// checks; verdict pass, warn, fail or unknown), plus <c>cluster</c> (what discovery found), <c>nodes</c> (address, failure,
/// seconds), <c>summary</c> (counts) and <c>exitCode</c>; <c>error</c> when preflight could not run.
/// </summary>
internal static class PreflightJson
{
    public static void Write(Stream output, PreflightSnapshot run)
    {
        ArgumentNullException.ThrowIfNull(run);
        // Relaxed escaping: evidence and reasons keep ≥, ✓, quotes and < > readable (this is a file for people and jq, not HTML).
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("error", run.Error);
        WriteCluster(json, run.Cluster);
        json.WriteStartArray("checks");
        foreach (var result in run.AllResults)
        {
            json.WriteStartObject();
            json.WriteString("id", result.Id);
            json.WriteString("title", result.Title);
            json.WriteString("scope", result.Scope == CheckScope.Cluster ? "cluster" : "node");
            json.WriteString("node", result.Node);
            json.WriteString("verdict", result.Verdict.ToName());
            json.WriteString("reason", result.Reason);
            json.WriteString("evidence", result.Evidence);
            json.WriteString("remediation", result.Remediation);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("nodes");
        foreach (var node in run.Nodes)
        {
            json.WriteStartObject();
            json.WriteString("name", node.Node);
            json.WriteString("address", node.Address);
            json.WriteString("failure", node.Failure);
            if (node.Elapsed is { } elapsed)
            {
                json.WriteNumber("seconds", Math.Round(elapsed.TotalSeconds, 3));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        var counts = PreflightOutcome.Count(run);
        json.WriteStartObject("summary");
        json.WriteNumber("pass", counts.Pass);
        json.WriteNumber("warn", counts.Warn);
        json.WriteNumber("fail", counts.Fail);
        json.WriteNumber("unknown", counts.Unknown);
        json.WriteEndObject();
        json.WriteNumber("exitCode", PreflightOutcome.ExitCode(run));
        json.WriteEndObject();
    }

    private static void WriteCluster(Utf8JsonWriter json, ClusterSummary? cluster)
    {
        if (cluster is null)
        {
            json.WriteNull("cluster");
            return;
        }

        json.WriteStartObject("cluster");
        json.WriteString("server", cluster.Server);
        json.WriteString("serverVersion", cluster.ServerVersion);
        json.WriteString("installType", cluster.InstallType);
        json.WriteString("calicoVersion", cluster.CalicoVersion);
        json.WriteString("calicoNamespace", cluster.CalicoNamespace);
        json.WriteString("kubeProxy", cluster.KubeProxy);
        json.WriteBoolean("bpfEnabled", cluster.BpfEnabled);
        json.WriteString("bpfExternalServiceMode", cluster.ExternalServiceMode);
        json.WriteString("kubernetesEndpoints", cluster.KubernetesEndpoints);
        json.WriteString("calicoApiGroup", cluster.CalicoApiGroup);
        json.WriteStartArray("nodes");
        foreach (var node in cluster.Nodes)
        {
            json.WriteStartObject();
            json.WriteString("name", node.Name);
            json.WriteString("internalIP", node.InternalIp);
            json.WriteString("kernel", node.Kernel);
            json.WriteString("osImage", node.OsImage);
            json.WriteString("architecture", node.Architecture);
            json.WriteString("operatingSystem", node.OperatingSystem);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
