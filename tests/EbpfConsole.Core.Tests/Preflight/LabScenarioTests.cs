using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Tests.Preflight;

/// <summary>Lab truth (issue 5): each scenario yields exactly the failures it stands for.</summary>
public sealed class LabScenarioTests
{
    [Fact]
    public void Healthy_NoFailAnywhere()
    {
        var results = Evaluate("healthy");

        Assert.Empty(results.Where(r => r.Verdict is Verdict.Fail or Verdict.Unknown).Select(Describe));
        Assert.Equal(Verdict.Pass, results.Single(r => r.Id == "P1").Verdict);
        Assert.Equal(Verdict.Pass, results.Single(r => r.Id == "P8").Verdict);
        Assert.All(results.Where(r => r.Id == "P5"), r => Assert.Equal(Verdict.Pass, r.Verdict));
    }

    [Fact]
    public void KubekeyDefault_P10FailsOnBothNodes_AndNothingElseFails()
    {
        var results = Evaluate("kubekey-default");

        var fails = results.Where(r => r.Verdict == Verdict.Fail).ToList();
        Assert.Equal(["P10 node-1", "P10 node-2"], fails.Select(r => $"{r.Id} {r.Node}"));
        Assert.All(fails, r => Assert.Contains("config.conf mode: ipvs", r.Evidence, StringComparison.Ordinal));
        Assert.All(fails, r => Assert.Contains("kube-ipvs0", r.Reason, StringComparison.Ordinal));
        Assert.Equal(Verdict.Warn, results.Single(r => r.Id == "P11").Verdict);
    }

    [Fact]
    public void MissingBpffs_P5FailsOnNode2Only()
    {
        var results = Evaluate("missing-bpffs");

        var fails = results.Where(r => r.Verdict == Verdict.Fail).ToList();
        Assert.Equal(["P5 node-2"], fails.Select(r => $"{r.Id} {r.Node}"));
        Assert.Equal(Verdict.Pass, results.Single(r => r.Id == "P5" && r.Node == "node-1").Verdict);
    }

    [Fact]
    public void Operator_NoFail_AndReadAsOperatorInstall()
    {
        var (cluster, nodes) = LabScenarioFacts.Load("operator");
        var results = Evaluate("operator");

        Assert.Empty(results.Where(r => r.Verdict is Verdict.Fail or Verdict.Unknown).Select(Describe));
        Assert.Equal("operator install of Calico v3.29.3", results.Single(r => r.Id == "P1").Reason);
        var summary = ClusterSummaries.From(cluster);
        Assert.Equal("operator", summary.InstallType);
        Assert.Equal("calico-system", summary.CalicoNamespace);
        Assert.Equal(2, nodes.Count);
    }

    private static List<CheckResult> Evaluate(string scenario)
    {
        var (cluster, nodes) = LabScenarioFacts.Load(scenario);
        return [.. PreflightRules.EvaluateCluster(cluster), .. nodes.SelectMany(n => PreflightRules.EvaluateNode(cluster, n))];
    }

    private static string Describe(CheckResult r) => $"{r.Id} {r.Node}: {r.Verdict} {r.Reason}";
}
