using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Cluster;

/// <summary>What a scenario sets on one lab node's real namespace: whether bpffs is mounted, extra links (e.g. kube-ipvs0).</summary>
public sealed record LabNodeFacts(bool Bpffs, IReadOnlyList<string> Links)
{
    public static LabNodeFacts Default { get; } = new(true, []);
}

/// <summary>
/// CONTRACT STUB (helper C1 replaces the bodies; signatures fixed). A starting state of the lab, loaded from
/// data in assets/lab/scenarios (issue 4: healthy, kubekey-default, missing-bpffs, operator).
/// </summary>
public sealed record LabScenario(
    string Name,
    string Description,
    string KubernetesVersion,
    IReadOnlyDictionary<string, LabNodeFacts> Nodes,
    IReadOnlyList<JsonObject> Objects)
{
    public const string Default = "healthy";

    /// <summary>The scenario names found in the assets directory, sorted, <see cref="Default"/> first.</summary>
    public static IReadOnlyList<string> Names => throw new NotImplementedException();

    /// <summary>Loads one scenario; unknown name or malformed data → LabException naming the file.</summary>
    public static LabScenario Load(string name) => throw new NotImplementedException();

    /// <summary>The facts for <paramref name="node"/> (defaults when the scenario says nothing).</summary>
    public LabNodeFacts FactsFor(string node) => Nodes.TryGetValue(node, out var facts) ? facts : LabNodeFacts.Default;
}
