namespace EbpfConsole.Lab.Api.Protobuf.Tables;

/// <summary>
/// core/v1 Namespace, ConfigMap and Service (k8s.io/api core/v1/generated.proto; JSON names and omitempty
/// from types.go). Format: see <see cref="ProtoTable"/>.
/// </summary>
internal static class CoreTable
{
    public const string Text = """
        message v1.Namespace
          1 metadata v1.ObjectMeta
          2 spec v1.NamespaceSpec
          3 status v1.NamespaceStatus

        message v1.NamespaceSpec
          1 finalizers []string

        message v1.NamespaceStatus
          1 phase string
          2 conditions []v1.NamespaceCondition

        message v1.NamespaceCondition
          1 type string keep
          2 status string keep
          4 lastTransitionTime time
          5 reason string
          6 message string

        message v1.ConfigMap
          1 metadata v1.ObjectMeta
          2 data map<string,string>
          3 binaryData map<string,bytes>
          4 immutable bool keep

        message v1.Service
          1 metadata v1.ObjectMeta
          2 spec v1.ServiceSpec
          3 status v1.ServiceStatus

        message v1.ServiceSpec
          1 ports []v1.ServicePort
          2 selector map<string,string>
          3 clusterIP string
          4 type string
          5 externalIPs []string
          7 sessionAffinity string
          8 loadBalancerIP string
          9 loadBalancerSourceRanges []string
          10 externalName string
          11 externalTrafficPolicy string
          12 healthCheckNodePort int32
          13 publishNotReadyAddresses bool
          14 sessionAffinityConfig v1.SessionAffinityConfig
          17 ipFamilyPolicy string keep
          18 clusterIPs []string
          19 ipFamilies []string
          20 allocateLoadBalancerNodePorts bool keep
          21 loadBalancerClass string keep
          22 internalTrafficPolicy string keep
          23 trafficDistribution string keep

        message v1.ServicePort
          1 name string
          2 protocol string
          3 port int32 keep
          4 targetPort intstr
          5 nodePort int32
          6 appProtocol string keep

        message v1.SessionAffinityConfig
          1 clientIP v1.ClientIPConfig

        message v1.ClientIPConfig
          1 timeoutSeconds int32 keep

        message v1.ServiceStatus
          1 loadBalancer v1.LoadBalancerStatus
          2 conditions []v1.Condition

        message v1.LoadBalancerStatus
          1 ingress []v1.LoadBalancerIngress

        message v1.LoadBalancerIngress
          1 ip string
          2 hostname string
          3 ipMode string keep
          4 ports []v1.PortStatus

        message v1.PortStatus
          1 port int32 keep
          2 protocol string keep
          3 error string keep
        """;
}
