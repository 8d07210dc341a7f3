using System.Text.Json.Nodes;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Tests.Preflight;

/// <summary>Builds realistic <see cref="ClusterFacts"/> and <see cref="NodeFacts"/> from small JSON strings.</summary>
internal static class Facts
{
    public const string CalicoNodePath = "daemonsets kube-system/calico-node";

    public static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    public static ApiObject Found(string path, string json) => new(path, Json(json));

    /// <summary>A Linux node with an InternalIP and Calico's annotation.</summary>
    public static JsonObject Node(string name, string ip, string os = "linux", bool calicoAnnotation = true, string kernel = "6.8.0-45-generic") => Json(Fill(
        """
        {"metadata": {"name": "@name", "labels": {"kubernetes.io/os": "@os"}, "annotations": @annotations},
         "status": {"addresses": [{"type": "InternalIP", "address": "@ip"}, {"type": "Hostname", "address": "@name"}],
          "nodeInfo": {"kernelVersion": "@kernel", "osImage": "Ubuntu 24.04 LTS", "architecture": "amd64", "operatingSystem": "@os"}}}
        """,
        ("@annotations", calicoAnnotation ? "{\"projectcalico.org/IPv4Address\": \"@ip/24\"}" : "{}"),
        ("@name", name), ("@os", os), ("@ip", ip), ("@kernel", kernel)));

    /// <summary>A manifest calico-node DaemonSet (kube-system) with the given image, env and envFrom.</summary>
    public static ApiObject CalicoNode(
        string image = "docker.io/calico/node:v3.29.3",
        string env = """[{"name": "DATASTORE_TYPE", "value": "kubernetes"}]""",
        string envFrom = """[{"configMapRef": {"name": "kubernetes-services-endpoint", "optional": true}}]""",
        string initContainers = "[]",
        string volumes = """[{"name": "sys-fs", "hostPath": {"path": "/sys/fs/", "type": "DirectoryOrCreate"}}, {"name": "bpffs", "hostPath": {"path": "/sys/fs/bpf", "type": "Directory"}}]""",
        string ns = "kube-system") =>
        new($"daemonsets {ns}/calico-node", Json(Fill(
            """
            {"metadata": {"name": "calico-node", "namespace": "@ns"},
             "spec": {"template": {"spec": {
               "initContainers": @initContainers,
               "containers": [{"name": "calico-node", "image": "@image", "env": @env, "envFrom": @envFrom}],
               "volumes": @volumes}}}}
            """,
            ("@ns", ns), ("@initContainers", initContainers), ("@image", image), ("@envFrom", envFrom), ("@env", env), ("@volumes", volumes))));

    public static ApiObject KubeProxyConfigMap(string mode = "iptables", string server = "https://10.0.0.10:6443") =>
        new("configmaps kube-system/kube-proxy", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "kube-proxy", ["namespace"] = "kube-system" },
            ["data"] = new JsonObject
            {
                ["config.conf"] = $"apiVersion: kubeproxy.config.k8s.io/v1alpha1\nipvs:\n  scheduler: \"\"\n  strictARP: false\nkind: KubeProxyConfiguration\nmode: {mode}\n",
                ["kubeconfig.conf"] = $"apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: {server}\n  name: default\n",
            },
        });

    public static ApiObject KubeProxyDaemonSet(string labels = """{"k8s-app": "kube-proxy"}""", string annotations = "{}") =>
        Found("daemonsets kube-system/kube-proxy", Fill(
            """
            {"metadata": {"name": "kube-proxy", "namespace": "kube-system", "labels": @labels, "annotations": @annotations},
             "spec": {"template": {"spec": {"nodeSelector": {"kubernetes.io/os": "linux"},
               "containers": [{"name": "kube-proxy", "image": "registry.k8s.io/kube-proxy:v1.32.4", "command": ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf"]}]}}}}
            """,
            ("@labels", labels), ("@annotations", annotations)));

    public static ApiObject Endpoints(params string[] ips) => new("endpoints default/kubernetes", new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = "kubernetes", ["namespace"] = "default" },
        ["subsets"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray(ips.Select(ip => (JsonNode)new JsonObject { ["ip"] = ip }).ToArray()),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 6443, ["protocol"] = "TCP" }),
        }),
    });

    public static ApiObject ServicesConfigMap(string host, string port = "6443", string ns = "kube-system") =>
        new($"configmaps {ns}/kubernetes-services-endpoint", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "kubernetes-services-endpoint", ["namespace"] = ns },
            ["data"] = new JsonObject { ["KUBERNETES_SERVICE_HOST"] = host, ["KUBERNETES_SERVICE_PORT"] = port },
        });

    public static JsonObject Felix(string name, string spec) => Json(Fill("""{"metadata": {"name": "@name"}, "spec": @spec}""", ("@name", name), ("@spec", spec)));

    /// <summary>Replaces placeholders in order (JSON templates without brace escaping).</summary>
    public static string Fill(string template, params (string Placeholder, string Value)[] values) =>
        values.Aggregate(template, (text, v) => text.Replace(v.Placeholder, v.Value, StringComparison.Ordinal));

    /// <summary>A healthy two-node manifest cluster (v3.29.3, iptables kube-proxy, one API endpoint, CRDs served).</summary>
    public static ClusterFacts Cluster() => new()
    {
        Server = "https://10.0.0.10:6443",
        ServerVersion = "v1.32.4",
        Identity = "admin",
        Nodes = new ApiList("nodes", [Node("node-1", "10.0.0.11"), Node("node-2", "10.0.0.12")]),
        Installation = ApiObject.Missing("installations.operator.tigera.io/default"),
        CalicoNodeDaemonSet = CalicoNode(),
        KubeProxyDaemonSet = KubeProxyDaemonSet(),
        KubeProxyConfigMap = KubeProxyConfigMap(),
        KubernetesEndpoints = Endpoints("10.0.0.10"),
        ServicesEndpointConfigMap = ApiObject.Missing("configmaps kube-system/kubernetes-services-endpoint"),
        CalicoConfigMap = ApiObject.Missing("configmaps kube-system/calico-config"),
        FelixConfigurations = new ApiList("felixconfigurations", [Felix("default", """{"logSeverityScreen": "Info"}""")]),
        IpPools = new ApiList("ippools", [Json("""{"metadata": {"name": "default-ipv4-ippool"}, "spec": {"cidr": "10.244.0.0/16", "ipipMode": "Always", "vxlanMode": "Never"}}""")]),
        ServedGroupVersions = new HashSet<string>(["v1", "apps/v1", "crd.projectcalico.org/v1"], StringComparer.Ordinal),
    };

    /// <summary>The probe sections of a healthy Ubuntu node at <paramref name="ip"/> on eth0; override with <paramref name="overrides"/>.</summary>
    public static NodeFacts NodeOutputs(string name = "node-1", string ip = "10.0.0.11", params (string Key, ProbeOutput Output)[] overrides)
    {
        var outputs = new Dictionary<string, ProbeOutput>(StringComparer.Ordinal)
        {
            ["kernel"] = new("uname -r", 0, "6.8.0-45-generic"),
            ["os"] = new("cat /proc/version", 0, "Linux version 6.8.0-45-generic (buildd@lcy02-amd64-115) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0) #45-Ubuntu SMP PREEMPT_DYNAMIC"),
            ["arch"] = new("uname -m", 0, "x86_64"),
            ["bpffs"] = new("mount | grep /sys/fs/bpf", 0, "bpf on /sys/fs/bpf type bpf (rw,nosuid,nodev,noexec,relatime,mode=700)"),
            ["links"] = new("ip -o link", 0, "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
                + "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group default qlen 1000\\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\n"
                + "7: cali1a2b3c4d5e6@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1430 qdisc noqueue state UP mode DEFAULT group default\\    link/ether ee:ee:ee:ee:ee:ee brd ff:ff:ff:ff:ff:ff link-netns cni-1"),
            ["addrs"] = new("ip -o -4 addr show", 0, "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n"
                + $"2: eth0    inet {ip}/24 brd 10.0.0.255 scope global eth0\\       valid_lft forever preferred_lft forever"),
            ["kube-ipvs0"] = new("ip link show kube-ipvs0", 1, "Device \"kube-ipvs0\" does not exist."),
            ["cgroup"] = new("stat -fc %T /run/calico/cgroup", 0, "cgroup2fs"),
            ["vendor"] = new("cat /sys/class/dmi/id/sys_vendor", 0, "QEMU"),
            ["iptables"] = new("iptables-save | grep 4789", 1, "iptables-save exit 0"),
            ["tcp"] = new("ss -tniH state established", 0, "0      0      10.0.0.11:22 10.0.0.99:51515\n\t cubic wscale:7,7 rto:204 rtt:0.5/0.2 lastsnd:120 lastrcv:120 lastack:120"),
            ["api-0"] = new("timeout 3 bash -c '</dev/tcp/10.0.0.10/6443'", 0, "connected"),
        };
        foreach (var (key, output) in overrides)
        {
            outputs[key] = output;
        }

        return new NodeFacts(name, ip, null, outputs);
    }

    public static NodeFacts Without(this NodeFacts facts, string key) =>
        facts with { Outputs = facts.Outputs.Where(kv => kv.Key != key).ToDictionary(kv => kv.Key, kv => kv.Value) };

    public static CheckResult Only(this IReadOnlyList<CheckResult> results, string id) => Assert.Single(results, r => r.Id == id);

    public static CheckResult Node(ClusterFacts cluster, NodeFacts node, string id) => PreflightRules.EvaluateNode(cluster, node).Only(id);

    public static CheckResult ClusterCheck(ClusterFacts cluster, string id) => PreflightRules.EvaluateCluster(cluster).Only(id);
}
