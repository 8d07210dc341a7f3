using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Core.Migration;

/// <summary>The objects of DOMAIN.md's migration table, for a target.</summary>
public static class MigrationObjects
{
    public const string OperatorNamespace = "tigera-operator";
    public const string ServicesEndpointName = "kubernetes-services-endpoint";

    public static ObjectRef KubeProxyDaemonSet { get; } = new("apps/v1", "daemonsets", "kube-system", "kube-proxy", "DaemonSet");

    public static ObjectRef KubeProxyConfigMap { get; } = new("v1", "configmaps", "kube-system", "kube-proxy", "ConfigMap");

    public static ObjectRef Installation { get; } = new("operator.tigera.io/v1", "installations", null, "default", "Installation");

    public static ObjectRef CalicoNodeDaemonSet(MigrationTarget target) =>
        new("apps/v1", "daemonsets", target.CalicoNamespace, "calico-node", "DaemonSet");

    /// <summary>M2's ConfigMap: kube-system (manifest) or tigera-operator (operator).</summary>
    public static ObjectRef ServicesEndpointConfigMap(MigrationTarget target) =>
        new("v1", "configmaps", target.Install == InstallKind.Operator ? OperatorNamespace : "kube-system", ServicesEndpointName, "ConfigMap");

    /// <summary>FelixConfiguration default through the given group/version.</summary>
    public static ObjectRef FelixDefault(bool v3Served) => v3Served
        ? new("projectcalico.org/v3", "felixconfigurations", null, "default", "FelixConfiguration")
        : new("crd.projectcalico.org/v1", "felixconfigurations", null, "default", "FelixConfiguration");

    /// <summary>M8's test workload (its own names, so a user's nginx is never touched).</summary>
    public static ObjectRef TestDeployment { get; } = new("apps/v1", "deployments", "default", "ebpf-console-nginx", "Deployment");

    public static ObjectRef TestService { get; } = new("v1", "services", "default", "ebpf-console-nginx", "Service");

    /// <summary>Everything M0 snapshots (DOMAIN.md M0) and a full rollback compares against.</summary>
    public static IReadOnlyList<ObjectRef> Touched(MigrationTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        List<ObjectRef> refs = [KubeProxyDaemonSet, KubeProxyConfigMap, CalicoNodeDaemonSet(target), target.FelixDefault, ServicesEndpointConfigMap(target)];
        if (target.Install == InstallKind.Operator)
        {
            refs.Add(Installation);
        }

        return refs;
    }
}
