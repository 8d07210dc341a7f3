using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Tests.Preflight;

/// <summary>
/// The lab's scenarios (assets/lab/scenarios/*.json: extends, remove, objects, patches) turned into the facts the API
/// reader and the node probe would produce on the lab: nodes node-1/node-2 at 10.99.0.11/12 on eth0 (MTU 1500), run as
/// root, bpffs mounted unless the scenario says not, the scenario's extra links (kube-ipvs0), the pod veth on node-2.
/// </summary>
internal static class LabScenarioFacts
{
    public static readonly (string Name, string Ip)[] LabNodes = [("node-1", "10.99.0.11"), ("node-2", "10.99.0.12")];

    public static (ClusterFacts Cluster, IReadOnlyList<NodeFacts> Nodes) Load(string scenario)
    {
        var (objects, nodes) = Resolve(scenario);
        JsonObject? Find(string kind, string ns, string name) => objects.FirstOrDefault(o =>
            Text(o, "kind") == kind && (Text(o["metadata"], "namespace") ?? "") == ns && Text(o["metadata"], "name") == name);
        ApiObject Get(string path, string kind, params (string Ns, string Name)[] where)
        {
            foreach (var (ns, name) in where)
            {
                if (Find(kind, ns, name) is { } found)
                {
                    return new ApiObject($"{path} {(ns.Length == 0 ? "" : ns + "/")}{name}", found);
                }
            }

            return ApiObject.Missing($"{path} {(where[0].Ns.Length == 0 ? "" : where[0].Ns + "/")}{where[0].Name}");
        }

        var installation = Get("installations.operator.tigera.io", "Installation", ("", "default"));
        var served = new HashSet<string>(["v1", "apps/v1"], StringComparer.Ordinal);
        foreach (var o in objects)
        {
            served.Add(Text(o, "apiVersion")!);
        }

        var cluster = new ClusterFacts
        {
            Server = "https://127.0.0.1:6443",
            ServerVersion = "v1.32.4",
            Identity = "lab-admin",
            Nodes = new ApiList("nodes", LabNodes.Select(n => LabNode(n.Name, n.Ip, nodes[n.Name])).ToList()),
            Installation = installation,
            CalicoNodeDaemonSet = Get("daemonsets", "DaemonSet", ("kube-system", "calico-node"), ("calico-system", "calico-node")),
            KubeProxyDaemonSet = Get("daemonsets", "DaemonSet", ("kube-system", "kube-proxy")),
            KubeProxyConfigMap = Get("configmaps", "ConfigMap", ("kube-system", "kube-proxy")),
            KubernetesEndpoints = Get("endpoints", "Endpoints", ("default", "kubernetes")),
            ServicesEndpointConfigMap = Get("configmaps", "ConfigMap", (installation.Found ? "tigera-operator" : "kube-system", "kubernetes-services-endpoint")),
            CalicoConfigMap = Get("configmaps", "ConfigMap", ("kube-system", "calico-config")),
            FelixConfigurations = new ApiList("felixconfigurations.crd.projectcalico.org", objects.Where(o => Text(o, "kind") == "FelixConfiguration").ToList()),
            IpPools = new ApiList("ippools.crd.projectcalico.org", objects.Where(o => Text(o, "kind") == "IPPool").ToList()),
            ServedGroupVersions = served,
        };
        cluster = cluster with
        {
            Permissions = MigrationPermissions.For(installation.Found, "crd.projectcalico.org", installation.Found ? "calico-system" : "kube-system")
                .Select(n => new PermissionResult(n, true, null)).ToList(),
        };
        var facts = LabNodes.Select((n, i) => NodeOutputs(n.Name, n.Ip, nodes[n.Name], podOnNode: i == 1)).ToList();
        return (cluster, facts);
    }

    /// <summary>assets/lab/scenarios of the checkout: above the test binaries, else above this source file.</summary>
    public static string ScenarioDirectory([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "assets", "lab", "scenarios");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException($"assets/lab/scenarios not found above {AppContext.BaseDirectory} or {sourceFile}");
    }

    private static (List<JsonObject> Objects, Dictionary<string, JsonObject> Nodes) Resolve(string scenario)
    {
        var doc = JsonNode.Parse(File.ReadAllText(Path.Combine(ScenarioDirectory(), scenario + ".json")))!.AsObject();
        var (objects, nodes) = Text(doc, "extends") is { } parent
            ? Resolve(parent)
            : ([], LabNodes.ToDictionary(n => n.Name, _ => new JsonObject()));
        foreach (var remove in (doc["remove"] as JsonArray ?? []).OfType<JsonObject>())
        {
            objects.RemoveAll(o => Same(o, remove));
        }

        foreach (var added in (doc["objects"] as JsonArray ?? []).OfType<JsonObject>())
        {
            objects.RemoveAll(o => Same(o, Key(added)));
            objects.Add(added.DeepClone().AsObject());
        }

        foreach (var patch in (doc["patches"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var target = objects.Single(o => Same(o, patch));
            if (patch["replaceText"] is JsonObject replace)
            {
                var path = Text(replace, "pointer")!.Trim('/').Split('/');
                var parentNode = path[..^1].Aggregate((JsonNode)target, (node, part) => node[part]!).AsObject();
                var text = parentNode[path[^1]]!.GetValue<string>();
                Assert.Contains(Text(replace, "from")!, text, StringComparison.Ordinal);
                parentNode[path[^1]] = text.Replace(Text(replace, "from")!, Text(replace, "to")!, StringComparison.Ordinal);
            }

            if (patch["merge"] is JsonObject merge)
            {
                Merge(target, merge);
            }
        }

        foreach (var (name, node) in (doc["nodes"] as JsonObject ?? []))
        {
            Merge(nodes[name], node!.AsObject());
        }

        return (objects, nodes);
    }

    private static JsonObject LabNode(string name, string ip, JsonObject scenarioNode)
    {
        var node = Facts.Node(name, ip, kernel: "6.1.0-25-amd64");
        foreach (var (key, value) in scenarioNode["labels"] as JsonObject ?? [])
        {
            node["metadata"]!["labels"]![key] = value!.DeepClone();
        }

        return node;
    }

    private static NodeFacts NodeOutputs(string name, string ip, JsonObject scenarioNode, bool podOnNode)
    {
        var bpffs = scenarioNode["bpffs"]?.GetValue<bool>() ?? true;
        var extraLinks = (scenarioNode["links"] as JsonArray ?? []).Select(l => l!.GetValue<string>()).ToList();
        var links = "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
            + "2: eth0@if9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 02:99:00:00:00:11 brd ff:ff:ff:ff:ff:ff link-netnsid 0"
            + (podOnNode ? "\n3: calic440f455693@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether ee:ee:ee:ee:ee:ee brd ff:ff:ff:ff:ff:ff link-netns eclab-pod" : "")
            + string.Concat(extraLinks.Select((l, i) => $"\n{5 + i}: {l}: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    link/ether 1a:2b:3c:4d:5e:6f brd ff:ff:ff:ff:ff:ff"));
        var ipvs = extraLinks.Contains("kube-ipvs0")
            ? new ProbeOutput("ip link show kube-ipvs0", 0, "5: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/ether 1a:2b:3c:4d:5e:6f brd ff:ff:ff:ff:ff:ff")
            : new ProbeOutput("ip link show kube-ipvs0", 1, "Device \"kube-ipvs0\" does not exist.");
        return Facts.NodeOutputs(name, ip, [
            ("kernel", new ProbeOutput("uname -r", 0, "6.1.0-25-amd64")),
            ("os", new ProbeOutput("cat /proc/version", 0, "Linux version 6.1.0-25-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0)")),
            ("bpffs", bpffs ? new ProbeOutput("mount | grep /sys/fs/bpf", 0, "bpf on /sys/fs/bpf type bpf (rw,relatime)") : new ProbeOutput("mount | grep /sys/fs/bpf", 1, "")),
            ("links", new ProbeOutput("ip -o link", 0, links)),
            ("addrs", new ProbeOutput("ip -o -4 addr show", 0, $"1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n2: eth0    inet {ip}/24 brd 10.99.0.255 scope global eth0\\       valid_lft forever preferred_lft forever")),
            ("kube-ipvs0", ipvs),
            ("vendor", new ProbeOutput("cat /sys/class/dmi/id/sys_vendor", 0, "QEMU")),
            ("api-0", new ProbeOutput("timeout 3 bash -c '</dev/tcp/10.99.0.1/6443'", 0, "connected"))]);
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private static JsonObject Key(JsonObject obj) => new()
    {
        ["kind"] = Text(obj, "kind"),
        ["namespace"] = Text(obj["metadata"], "namespace"),
        ["name"] = Text(obj["metadata"], "name"),
    };

    private static bool Same(JsonObject obj, JsonObject key) =>
        Text(obj, "kind") == Text(key, "kind") && (Text(obj["metadata"], "namespace") ?? "") == (Text(key, "namespace") ?? "") && Text(obj["metadata"], "name") == Text(key, "name");

    private static string? Text(JsonNode? node, string field) => node is JsonObject o && o[field] is JsonValue v ? v.GetValue<string>() : null;
}
