using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab.Cluster;

namespace EbpfConsole.Lab.Tests.Cluster;

public sealed class DatapathDecisionTests
{
    private static CalicoNodeState Iptables(string node) => new(node, true, true, false, "Tunnel");

    private static CalicoNodeState Bpf(string node, string mode = "Tunnel") => new(node, true, true, true, mode);

    private static CalicoNodeState NotReady(string node) => new(node, true, false, false, "Tunnel");

    [Fact]
    public void KubeProxyOnIngressNode_FelixIptables_IsIptables()
    {
        var d = DatapathDecision.Decide([Iptables("node-1"), Iptables("node-2")], ["node-1", "node-2"], "node-1");

        Assert.Equal(DatapathMode.Iptables, d.Mode);
        Assert.Equal("iptables", d.ModeName);
        Assert.Contains("kube-proxy runs on the ingress node node-1", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NoKubeProxy_FelixIptables_IsNone()
    {
        var d = DatapathDecision.Decide([Iptables("node-1"), Iptables("node-2")], [], "node-1");

        Assert.Null(d.Mode);
        Assert.Equal("none", d.ModeName);
        Assert.Contains("NodePorts are not served", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void KubeProxyOnlyOnTheBackendNode_IsNone()
    {
        Assert.Null(DatapathDecision.Decide([Iptables("node-1"), Iptables("node-2")], ["node-2"], "node-1").Mode);
    }

    [Fact]
    public void AllCalicoNodesBpfReady_IsEbpfTunnel()
    {
        Assert.Equal(DatapathMode.EbpfTunnel, DatapathDecision.Decide([Bpf("node-1"), Bpf("node-2")], [], "node-1").Mode);
    }

    [Fact]
    public void AllCalicoNodesBpfReadyInDsr_IsEbpfDsr()
    {
        Assert.Equal(DatapathMode.EbpfDsr, DatapathDecision.Decide([Bpf("node-1", "DSR"), Bpf("node-2", "DSR")], [], "node-1").Mode);
    }

    [Fact]
    public void BpfWithKubeProxyStillRunning_FelixWins_AndTheReasonNamesTheConflict()
    {
        var d = DatapathDecision.Decide([Bpf("node-1"), Bpf("node-2")], ["node-1", "node-2"], "node-1");

        Assert.Equal(DatapathMode.EbpfTunnel, d.Mode);
        Assert.Contains("fights Felix", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void BpfNotReadyForLackOfTheConfigMap_NoKubeProxy_IsNone()
    {
        var d = DatapathDecision.Decide([NotReady("node-1"), NotReady("node-2")], [], "node-1");

        Assert.Null(d.Mode);
        Assert.Contains("node-1: not Ready", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void OneNodeNotReadyInBpf_KubeProxyStillThere_StaysIptables()
    {
        Assert.Equal(DatapathMode.Iptables, DatapathDecision.Decide([Bpf("node-1"), NotReady("node-2")], ["node-1"], "node-1").Mode);
    }

    [Fact]
    public void CalicoNodeRestarting_KubeProxyGone_IsNone()
    {
        Assert.Null(DatapathDecision.Decide([Bpf("node-1"), new CalicoNodeState("node-2", false, false, false, "Tunnel")], [], "node-1").Mode);
    }

    [Fact]
    public void MixedDsrAndTunnel_IsTunnel()
    {
        Assert.Equal(DatapathMode.EbpfTunnel, DatapathDecision.Decide([Bpf("node-1", "DSR"), Bpf("node-2")], [], "node-1").Mode);
    }

    [Fact]
    public void NoCalicoNodePods_FollowsKubeProxy()
    {
        Assert.Equal(DatapathMode.Iptables, DatapathDecision.Decide([], ["node-1"], "node-1").Mode);
        Assert.Null(DatapathDecision.Decide([], [], "node-1").Mode);
    }

    [Fact]
    public void CalicoNodeRestartingUnderBpf_KeepsTheBpfDatapath()
    {
        var restarting = new CalicoNodeState("node-2", false, false, false, "Tunnel");

        var d = DatapathDecision.Decide([Bpf("node-1", "DSR"), restarting], [], "node-1", "ebpf-dsr");

        Assert.Equal(DatapathMode.EbpfDsr, d.Mode);
        Assert.Contains("restarting on node-2", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CalicoNodeRestartingUnderIptables_FollowsKubeProxy()
    {
        var restarting = new CalicoNodeState("node-2", false, false, false, "Tunnel");

        Assert.Equal(DatapathMode.Iptables, DatapathDecision.Decide([Iptables("node-1"), restarting], ["node-1"], "node-1", "iptables").Mode);
    }
}
