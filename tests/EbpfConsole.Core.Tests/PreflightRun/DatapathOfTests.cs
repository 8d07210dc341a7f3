using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Tests.PreflightRun;

public sealed class DatapathOfTests
{
    [Theory]
    [InlineData(false, "Tunnel", "iptables", DatapathMode.Iptables)]
    [InlineData(true, "Tunnel", "absent", DatapathMode.EbpfTunnel)]
    [InlineData(true, "DSR", "iptables", DatapathMode.EbpfDsr)]
    [InlineData(false, "Tunnel", "ipvs", null)]
    [InlineData(false, "Tunnel", "absent", null)]
    public void DatapathOf_FollowsBpfAndKubeProxy(bool bpf, string serviceMode, string kubeProxy, DatapathMode? expected)
    {
        var cluster = new ClusterSummary("https://x:6443", null, "manifest", "v3.29.3", "kube-system", kubeProxy, bpf, serviceMode, "", "crd.projectcalico.org/v1", []);

        Assert.Equal(expected, ClusterSummaries.DatapathOf(cluster));
    }
}
