namespace EbpfConsole.Core.Preflight;

/// <summary>The verdict rules of DOMAIN.md P1–P20 (+ RBAC): pure functions of the facts read. CONTRACT STUB — helper fills.</summary>
public static class PreflightRules
{
    /// <summary>Every cluster-scope check, in catalog order.</summary>
    public static IReadOnlyList<CheckResult> EvaluateCluster(ClusterFacts cluster) => throw new NotImplementedException();

    /// <summary>Every node-scope check for one node, in catalog order. API-only node checks (P13) never depend on SSH.</summary>
    public static IReadOnlyList<CheckResult> EvaluateNode(ClusterFacts cluster, NodeFacts node) => throw new NotImplementedException();
}

/// <summary>The one script preflight runs on each node, and how its output becomes <see cref="NodeFacts"/>. CONTRACT STUB.</summary>
public static class NodeProbeScript
{
    /// <summary>The script for <paramref name="nodeName"/> (it needs the API endpoints and the peers' IPs from the facts).</summary>
    public static string Build(ClusterFacts cluster, string nodeName) => throw new NotImplementedException();

    /// <summary>Splits the script's output into sections; a failed run becomes <see cref="NodeFacts.Failed"/>.</summary>
    public static NodeFacts ToFacts(string nodeName, string address, ShellResult result) => throw new NotImplementedException();
}

/// <summary>Builds <see cref="ClusterSummary"/> from the facts. CONTRACT STUB.</summary>
public static class ClusterSummaries
{
    public static ClusterSummary From(ClusterFacts cluster) => throw new NotImplementedException();
}

/// <summary>Every check's definition, in order (P1…P20, RBAC). CONTRACT STUB.</summary>
public static class CheckCatalog
{
    public static IReadOnlyList<CheckDefinition> All { get; } = [];

    public static IReadOnlyList<CheckDefinition> NodeChecks => All.Where(c => c.Scope == CheckScope.Node).ToArray();

    public static IReadOnlyList<CheckDefinition> ClusterChecks => All.Where(c => c.Scope == CheckScope.Cluster).ToArray();

    public static CheckDefinition? Find(string id) => All.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase));
}
