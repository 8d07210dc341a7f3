namespace EbpfConsole.Core.Preflight;

/// <summary>Every check's definition, in order (P1…P20, RBAC), as DOMAIN.md's preflight table describes them.</summary>
public static class CheckCatalog
{
    public static IReadOnlyList<CheckDefinition> All { get; } =
    [
        new("P1", "Calico install/version", CheckScope.Cluster,
            "API: installations.operator.tigera.io/default (operator) else DaemonSet kube-system/calico-node (manifest); version = calico-node image tag",
            "Upgrade Calico: eBPF is a tech preview up to v3.15 and many fixes landed before v3.24; v3.29+ is recommended."),
        new("P2", "Kernel version", CheckScope.Node,
            "SSH: uname -r, cat /proc/version (\"Red Hat\" or an el8/el9_4 release → RHEL floor)",
            "Upgrade the kernel (RHEL ≥ 4.18.0-305, others ≥ 5.10). On an unsupported kernel Felix silently falls back to iptables "
            + "(\"BPF dataplane mode enabled but not supported by the kernel. Disabling BPF mode.\") and, with kube-proxy already off, Services break."),
        new("P3", "Architecture", CheckScope.Node,
            "SSH: uname -m",
            "eBPF mode supports x86_64 and (less tested) aarch64 only: keep the iptables dataplane on other architectures."),
        new("P4", "No Windows nodes", CheckScope.Cluster,
            "API: nodes with label kubernetes.io/os=windows or nodeInfo.operatingSystem windows",
            "Do not enable eBPF on a mixed Linux/Windows cluster: NodePort traffic towards Windows nodes is dropped."),
        new("P5", "BPF filesystem", CheckScope.Node,
            "SSH: mount | grep /sys/fs/bpf (type bpf); API: calico-node's mount-bpffs init container and /sys/fs hostPath",
            "Mount it: `mount -t bpf bpf /sys/fs/bpf`, and persist it with a systemd sys-fs-bpf.mount unit (or an fstab line)."),
        new("P6", "cgroup v2 (CTLB)", CheckScope.Node,
            "SSH: stat -fc %T /run/calico/cgroup (cgroup2fs after calico-node restarts)",
            "Connect-time load balancing needs cgroup v2 at /run/calico/cgroup: make sure /var/run/calico is mounted into calico-node, "
            + "or set FelixConfiguration cgroupV2Path to the host's cgroup2 mount (#6907, #6279)."),
        new("P7", "Datastore", CheckScope.Cluster,
            "API: calico-node env DATASTORE_TYPE (and ETCD_ENDPOINTS)",
            "eBPF mode with the etcd datastore is not supported by this console: move Calico to the Kubernetes datastore first."),
        new("P8", "API ConfigMap plumbing", CheckScope.Cluster,
            "API: calico-node envFrom configMapRef kubernetes-services-endpoint; no explicit KUBERNETES_SERVICE_HOST env",
            "Add `envFrom: [{configMapRef: {name: kubernetes-services-endpoint, optional: true}}]` to calico-node (KubeKey v1.0.x / "
            + "Calico 3.15.1 templates lack it) or upgrade; remove an explicit KUBERNETES_SERVICE_HOST env that overrides it (#5979)."),
        new("P9", "API server endpoint", CheckScope.Node,
            "API: ConfigMap kubernetes-services-endpoint, endpoints/kubernetes, kube-proxy kubeconfig.conf server:; SSH: TCP connect from the node",
            "Use one API address reachable from every node without kube-proxy (an LB/VIP for HA control planes) in ConfigMap "
            + "kubernetes-services-endpoint; avoid 127.0.0.1 on operator installs (#9141)."),
        new("P10", "kube-proxy mode", CheckScope.Node,
            "API: ConfigMap kube-system/kube-proxy config.conf mode:; SSH: ip link show kube-ipvs0",
            "Switch kube-proxy to iptables mode (ConfigMap mode: iptables), restart kube-proxy, then reboot the nodes one by one so "
            + "kube-ipvs0 and the IPVS state are gone (M1; #8530, #12476 lost whole nodes incl. SSH)."),
        new("P11", "kube-proxy removable", CheckScope.Cluster,
            "API: DaemonSet kube-system/kube-proxy labels/annotations (Helm, ArgoCD, Flux, addon manager, EKS add-on)",
            "Whatever manages kube-proxy will re-create it: disable it there, or leave it running and set FelixConfiguration "
            + "bpfKubeProxyIptablesCleanupEnabled: false (and a distinct bpfKubeProxyHealthzPort)."),
        new("P12", "Data interface", CheckScope.Node,
            "SSH: ip -o -4 addr show, ip -o link (the NIC holding the node's InternalIP) vs bpfDataIfacePattern (env, FelixConfiguration, version default)",
            "Set FelixConfiguration bpfDataIfacePattern to a regex that matches the node's data NIC (e.g. add bond.* before v3.28.1)."),
        new("P13", "Node IP autodetection", CheckScope.Node,
            "API: Node annotation projectcalico.org/IPv4Address",
            "Fix calico-node's IP_AUTODETECTION_METHOD (e.g. can-reach=<API IP>, interface=eth0) so every node gets projectcalico.org/IPv4Address."),
        new("P14", "VXLAN between nodes", CheckScope.Node,
            "API: IPPools vxlanMode; SSH: iptables-save rules on UDP 4789",
            "eBPF mode forwards NodePort traffic between nodes in VXLAN: open UDP 4789 between all nodes (host firewalls and cloud security groups)."),
        new("P15", "MTU", CheckScope.Node,
            "SSH: ip -o link (data NIC MTU vs cali* MTU); API: calico-config veth_mtu, FelixConfiguration vxlanMTU",
            "Lower the pod MTU (calico-config veth_mtu / Installation calicoNetwork.mtu / FelixConfiguration vxlanMTU) to at most the NIC MTU − 50."),
        new("P16", "DSR-capable network", CheckScope.Node,
            "SSH: /sys/class/dmi/id/sys_vendor (cloud), ip -o -4 addr show (multi-homed); API: nodes' InternalIPs in the data NIC's subnet",
            "Stay on bpfExternalServiceMode Tunnel (the client IP is still kept), or fix the network for DSR: AWS source/destination "
            + "check off, GCP IP forwarding on, one L2 segment, or exclude paths with bpfDSROptoutCIDRs (#10640, #9675)."),
        new("P17", "Felix overrides", CheckScope.Cluster,
            "API: calico-node env FELIX_BPF*, FELIX_DEFAULTENDPOINTTOHOSTACTION; FelixConfiguration default and node.<name> (env > node.<name> > default)",
            "Align the settings: remove the env (or node.<name>) override, or set the same value everywhere (#7252)."),
        new("P18", "Calico API surface", CheckScope.Cluster,
            "API discovery: projectcalico.org/v3 served? else crd.projectcalico.org/v1",
            "Calico's CRDs are not served: install Calico (or its CRDs) before migrating."),
        new("P19", "Operator specifics", CheckScope.Cluster,
            "API: Installation bpfNetworkBootstrap together with ConfigMap kubernetes-services-endpoint",
            "Choose one: remove ConfigMap kubernetes-services-endpoint or set bpfNetworkBootstrap: Disabled."),
        new("P20", "Long idle TCP flows", CheckScope.Node,
            "SSH: ss -tniH state established (lastsnd/lastrcv ≥ 1 h)",
            "BPF conntrack drops TCP flows idle for more than 1 h (TCPEstablished timeout, #9372): raise bpfConntrackTimeouts (≥ v3.30), "
            + "enable TCP keepalives, or migrate in a maintenance window."),
        new("RBAC", "Migration permissions", CheckScope.Cluster,
            "API: SelfSubjectAccessReview for every permission the migration steps M0–M8 need",
            "Ask for the missing permissions (or run the migration with an identity that has them)."),
    ];

    public static IReadOnlyList<CheckDefinition> NodeChecks => All.Where(c => c.Scope == CheckScope.Node).ToArray();

    public static IReadOnlyList<CheckDefinition> ClusterChecks => All.Where(c => c.Scope == CheckScope.Cluster).ToArray();

    public static CheckDefinition? Find(string id) => All.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase));
}
