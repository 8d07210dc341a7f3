using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Core.Tests.Migration.Preview;

/// <summary>Objects as the API serves them (server fields included) and the changes steps make to them.</summary>
internal static class PreviewSamples
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static JsonObject KubeProxy(string? nodeSelector = null, string resourceVersion = "4711")
    {
        var extra = nodeSelector is null ? "" : $", \"non-calico\": \"{nodeSelector}\"";
        return Obj($$$"""
        {
          "apiVersion": "apps/v1",
          "kind": "DaemonSet",
          "metadata": {
            "name": "kube-proxy",
            "namespace": "kube-system",
            "resourceVersion": "{{{resourceVersion}}}",
            "uid": "0b7c6a0e-1",
            "generation": 3,
            "annotations": {"deprecated.daemonset.template.generation": "3"},
            "labels": {"k8s-app": "kube-proxy"}
          },
          "spec": {
            "selector": {"matchLabels": {"k8s-app": "kube-proxy"}},
            "template": {
              "metadata": {"labels": {"k8s-app": "kube-proxy"}},
              "spec": {
                "containers": [{"name": "kube-proxy", "image": "registry.k8s.io/kube-proxy:v1.32.0", "command": ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf"]}],
                "hostNetwork": true,
                "nodeSelector": {"kubernetes.io/os": "linux"{{{extra}}}},
                "priorityClassName": "system-node-critical",
                "serviceAccountName": "kube-proxy",
                "tolerations": [{"operator": "Exists"}]
              }
            }
          },
          "status": {"currentNumberScheduled": 2, "desiredNumberScheduled": 2, "numberReady": 2}
        }
        """);
    }

    public static ObjectChange NodeSelectorPatch() => new(
        MigrationObjects.KubeProxyDaemonSet,
        ObjectChangeKind.Patch,
        Obj("""{"spec":{"template":{"spec":{"nodeSelector":{"non-calico":"true"}}}}}"""),
        PatchKind.Strategic,
        KubeProxy(),
        KubeProxy(nodeSelector: "true", resourceVersion: "4712"));

    public static JsonObject ServicesEndpoint() => Obj("""
        {
          "apiVersion": "v1",
          "kind": "ConfigMap",
          "metadata": {"name": "kubernetes-services-endpoint", "namespace": "kube-system"},
          "data": {"KUBERNETES_SERVICE_HOST": "10.99.0.11", "KUBERNETES_SERVICE_PORT": "6443"}
        }
        """);

    public static ObjectRef ServicesEndpointRef => new("v1", "configmaps", "kube-system", "kubernetes-services-endpoint", "ConfigMap");

    public static ObjectChange CreateConfigMap() =>
        new(ServicesEndpointRef, ObjectChangeKind.Create, ServicesEndpoint(), null, null, ServicesEndpoint());

    public static ObjectChange DeleteConfigMap()
    {
        var live = ServicesEndpoint();
        live["metadata"]!["resourceVersion"] = "900";
        return new(ServicesEndpointRef, ObjectChangeKind.Delete, null, null, live, null);
    }

    public static JsonObject KubeProxyConfig(string mode) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = "kube-proxy", ["namespace"] = "kube-system", ["resourceVersion"] = "77" },
        ["data"] = new JsonObject
        {
            ["config.conf"] = string.Join('\n',
                "apiVersion: kubeproxy.config.k8s.io/v1alpha1",
                "bindAddress: 0.0.0.0",
                "clientConnection:",
                "  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf",
                "clusterCIDR: 10.233.64.0/18",
                "iptables:",
                "  masqueradeAll: false",
                "ipvs:",
                "  scheduler: rr",
                "  strictARP: false",
                "kind: KubeProxyConfiguration",
                $"mode: {mode}",
                "nodePortAddresses: null",
                "oomScoreAdj: -999",
                "portRange: \"\"",
                "") ,
            ["kubeconfig.conf"] = "apiVersion: v1\nkind: Config\n",
        },
    };

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();
}
