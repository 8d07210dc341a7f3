using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Migration;

namespace EbpfConsole.Core.Tests.Migration;

public sealed class MigrationPlanTests
{
    [Fact]
    public void For_HasTheTenStepsInOrder()
    {
        var steps = MigrationPlan.For(TestClusters.Healthy().Target);

        Assert.Equal([StepId.M0, StepId.M1, StepId.M2, StepId.M3, StepId.M4, StepId.M5, StepId.M6, StepId.M7, StepId.M8, StepId.M10], steps.Select(s => s.Id));
        Assert.All(steps, s => Assert.False(string.IsNullOrWhiteSpace(s.Title)));
        Assert.All(steps, s => Assert.Contains("M", s.Why, StringComparison.Ordinal));
    }

    [Fact]
    public void Find_ReturnsTheStep_AndThrowsForNone()
    {
        var steps = MigrationPlan.For(TestClusters.Healthy().Target);

        Assert.Equal(StepId.M7, MigrationPlan.Find(steps, StepId.M7).Id);
        Assert.Throws<ArgumentException>(() => MigrationPlan.Find(steps.Take(3).ToList(), StepId.M7));
    }

    [Fact]
    public void NotApplicable_HealthyManifest_M1AndM5()
    {
        var cluster = TestClusters.Healthy();

        var na = Reasons(cluster.Target);

        Assert.Equal([StepId.M1, StepId.M5], na.Keys.Order());
        Assert.Equal("kube-proxy is iptables, not ipvs (P10): nothing to switch", na[StepId.M1]);
        Assert.Equal("manifest install: M2, M3, M4 and M6 do this step by step", na[StepId.M5]);
    }

    [Fact]
    public void NotApplicable_Ipvs_M1Applies()
    {
        Assert.DoesNotContain(StepId.M1, Reasons(TestClusters.Ipvs().Target).Keys);
    }

    [Fact]
    public void NotApplicable_Operator329_M3AndM5()
    {
        var na = Reasons(TestClusters.Operator329().Target);

        Assert.Equal([StepId.M1, StepId.M3, StepId.M5], na.Keys.Order());
        Assert.Equal("the operator rolls calico-node itself when the ConfigMap changes", na[StepId.M3]);
        Assert.Equal("Calico v3.29.3 is older than v3.31: the operator path is M2, M4 and M6", na[StepId.M5]);
    }

    [Fact]
    public void NotApplicable_Operator331_OnlyM5DoesTheSwitch()
    {
        var na = Reasons(TestClusters.Operator331().Target);

        Assert.Equal([StepId.M1, StepId.M2, StepId.M3, StepId.M4, StepId.M6], na.Keys.Order());
        Assert.Contains("P19", na[StepId.M2], StringComparison.Ordinal);
        Assert.Equal("M5 lets the operator disable kube-proxy (kubeProxyManagement: Enabled)", na[StepId.M4]);
        Assert.Equal("M5 switches the dataplane through the operator's bootstrap", na[StepId.M6]);
    }

    [Fact]
    public void After_FollowsTheVariant()
    {
        var manifest = MigrationPlan.For(TestClusters.Healthy().Target);
        var op = MigrationPlan.For(TestClusters.Operator329().Target);
        var boot = MigrationPlan.For(TestClusters.Operator331().Target);
        var ipvs = MigrationPlan.For(TestClusters.Ipvs().Target);

        Assert.Equal([StepId.M3], MigrationPlan.Find(manifest, StepId.M4).After);
        Assert.Equal([StepId.M2], MigrationPlan.Find(op, StepId.M4).After);
        Assert.Equal([StepId.M6], MigrationPlan.Find(manifest, StepId.M7).After);
        Assert.Equal([StepId.M5], MigrationPlan.Find(boot, StepId.M7).After);
        Assert.Equal([StepId.M0], MigrationPlan.Find(manifest, StepId.M2).After);
        Assert.Equal([StepId.M0, StepId.M1], MigrationPlan.Find(ipvs, StepId.M2).After);
        Assert.Equal([StepId.M4], MigrationPlan.Find(manifest, StepId.M6).After);
    }

    [Fact]
    public void BlockingChecks_M0EverythingButP10AndP16_M7P14AndP16()
    {
        var steps = MigrationPlan.For(TestClusters.Healthy().Target);

        var m0 = MigrationPlan.Find(steps, StepId.M0).BlockingChecks;
        Assert.Equal(21, m0.Count + 2);
        Assert.DoesNotContain("P10", m0);
        Assert.DoesNotContain("P16", m0);
        Assert.Contains("P2", m0);
        Assert.Contains("RBAC", m0);
        Assert.Equal(["P14", "P16"], MigrationPlan.Find(steps, StepId.M7).BlockingChecks);
    }

    [Fact]
    public void Flags_DatapathStepsAndOnDemand()
    {
        var steps = MigrationPlan.For(TestClusters.Healthy().Target);

        Assert.Equal([StepId.M4, StepId.M5, StepId.M6, StepId.M7], steps.Where(s => s.ChangesDatapath).Select(s => s.Id));
        Assert.Equal([StepId.M10], steps.Where(s => s.OnDemandOnly).Select(s => s.Id));
        Assert.Equal(DatapathMode.EbpfTunnel, MigrationPlan.Find(steps, StepId.M5).DatapathAfterApply);
        Assert.Equal(DatapathMode.EbpfTunnel, MigrationPlan.Find(steps, StepId.M6).DatapathAfterApply);
        Assert.Equal(DatapathMode.EbpfDsr, MigrationPlan.Find(steps, StepId.M7).DatapathAfterApply);
        Assert.Null(MigrationPlan.Find(steps, StepId.M4).DatapathAfterApply);
    }

    private static Dictionary<StepId, string> Reasons(MigrationTarget target) =>
        MigrationPlan.For(target).Select(s => (s.Id, Reason: s.NotApplicableReason(target)))
            .Where(p => p.Reason is not null)
            .ToDictionary(p => p.Id, p => p.Reason!);
}
