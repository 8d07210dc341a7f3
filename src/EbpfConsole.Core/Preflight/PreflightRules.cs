using EbpfConsole.Core.Preflight.Rules;

namespace EbpfConsole.Core.Preflight;

/// <summary>
/// The verdict rules of DOMAIN.md P1–P20 (+ RBAC): pure functions of the facts read. Evidence is quoted verbatim
/// ("$ uname -r\n5.4.0-1045-aws", "daemonsets kube-system/calico-node: image …"); what could not be read gives unknown
/// with the reason. A node that could not be read over SSH (<see cref="NodeFacts.Failure"/>) gets unknown for every
/// SSH-based check; P13 is read from the API only.
/// </summary>
public static class PreflightRules
{
    private static readonly (string Id, Func<ClusterFacts, CheckResult> Rule)[] ClusterRuleTable =
    [
        ("P1", ClusterRules.P1),
        ("P4", ClusterRules.P4),
        ("P7", ClusterRules.P7),
        ("P8", ClusterRules.P8),
        ("P11", ClusterRules.P11),
        ("P17", CalicoConfigRules.P17),
        ("P18", CalicoConfigRules.P18),
        ("P19", CalicoConfigRules.P19),
        ("RBAC", CalicoConfigRules.Rbac),
    ];

    private static readonly (string Id, Func<NodeView, CheckResult> Rule)[] NodeRuleTable =
    [
        ("P2", NodeSystemRules.P2),
        ("P3", NodeSystemRules.P3),
        ("P5", NodeSystemRules.P5),
        ("P6", NodeSystemRules.P6),
        ("P9", NodeKubeRules.P9),
        ("P10", NodeKubeRules.P10),
        ("P12", NodeNetworkRules.P12),
        ("P13", NodeKubeRules.P13),
        ("P14", NodeNetworkRules.P14),
        ("P15", NodePathRules.P15),
        ("P16", NodePathRules.P16),
        ("P20", NodePathRules.P20),
    ];

    /// <summary>Every cluster-scope check, in catalog order.</summary>
    public static IReadOnlyList<CheckResult> EvaluateCluster(ClusterFacts cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return InCatalogOrder(CheckCatalog.ClusterChecks, ClusterRuleTable, rule => rule(cluster));
    }

    /// <summary>Every node-scope check for one node, in catalog order. API-only node checks (P13) never depend on SSH.</summary>
    public static IReadOnlyList<CheckResult> EvaluateNode(ClusterFacts cluster, NodeFacts node)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(node);
        var view = new NodeView(cluster, node);
        return InCatalogOrder(CheckCatalog.NodeChecks, NodeRuleTable, rule => rule(view));
    }

    private static List<CheckResult> InCatalogOrder<TRule>(
        IReadOnlyList<CheckDefinition> order, (string Id, TRule Rule)[] table, Func<TRule, CheckResult> run) =>
        order.Select(d => run(table.First(r => r.Id == d.Id).Rule)).ToList();
}
