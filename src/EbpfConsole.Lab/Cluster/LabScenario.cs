using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Cluster;

/// <summary>
/// What a scenario sets on one lab node's real namespace: whether bpffs is mounted (P5), extra links (e.g. kube-ipvs0,
/// P10), and whether cgroup v2 is mounted at /run/calico/cgroup as calico-node does (<see cref="Cgroup2"/>, P6).
/// </summary>
public sealed record LabNodeFacts(bool Bpffs, IReadOnlyList<string> Links)
{
    /// <summary>True (the default): cgroup2 is mounted at /run/calico/cgroup in the node's mount namespace.</summary>
    public bool Cgroup2 { get; init; } = true;

    public static LabNodeFacts Default { get; } = new(true, []);
}

/// <summary>
/// A starting state of the lab, loaded from data in assets/lab/scenarios (issue 4: healthy, kubekey-default,
/// missing-bpffs, operator). A scenario file may build on another one ("extends") with JSON merge patches,
/// text replacements and removals of named objects; see <see cref="LabScenarioReader"/>.
/// </summary>
public sealed record LabScenario(
    string Name,
    string Description,
    string KubernetesVersion,
    IReadOnlyDictionary<string, LabNodeFacts> Nodes,
    IReadOnlyList<JsonObject> Objects)
{
    public const string Default = "healthy";

    /// <summary>Where the scenario files are: assets/lab/scenarios beside the running binary.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "assets", "lab", "scenarios");

    /// <summary>The scenario names found in the assets directory, sorted, <see cref="Default"/> first.</summary>
    public static IReadOnlyList<string> Names => LabScenarioReader.NamesIn(Directory);

    /// <summary>Extra labels the scenario puts on each node (e.g. KubeKey's worker role), by node name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> NodeLabels { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Loads one scenario; unknown name or malformed data → LabException naming the file.</summary>
    public static LabScenario Load(string name) => LabScenarioReader.Load(Directory, name);

    /// <summary>The facts for <paramref name="node"/> (defaults when the scenario says nothing).</summary>
    public LabNodeFacts FactsFor(string node) => Nodes.TryGetValue(node, out var facts) ? facts : LabNodeFacts.Default;

    /// <summary>The extra labels for <paramref name="node"/> (none when the scenario says nothing).</summary>
    public IReadOnlyDictionary<string, string> LabelsFor(string node) =>
        NodeLabels.TryGetValue(node, out var labels) ? labels : new Dictionary<string, string>();
}
