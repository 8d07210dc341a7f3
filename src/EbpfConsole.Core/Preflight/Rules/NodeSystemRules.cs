using System.Text.Json.Nodes;

namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>Node checks about the host itself, read over SSH: P2 kernel, P3 architecture, P5 BPF filesystem, P6 cgroup v2.</summary>
internal static class NodeSystemRules
{
    /// <summary>P2: RHEL (Red Hat in /proc/version or an elN release): fail &lt; 4.18.0-193, warn &lt; 4.18.0-305; others fail &lt; 5.3, warn &lt; 5.10.</summary>
    public static CheckResult P2(NodeView node)
    {
        if (node.Section(ProbeSections.Kernel, out var why) is not { } kernel)
        {
            return Outcome.Unknown("P2", node.Name, why, node.Tried(ProbeSections.Kernel, ProbeSections.ProcVersion));
        }

        var procVersion = node.Section(ProbeSections.ProcVersion, out _);
        var evidence = Outcome.Lines([NodeView.Show(kernel), procVersion is null ? "" : NodeView.Show(procVersion)]);
        var text = NodeView.FirstLine(kernel.Output) ?? "";
        if (kernel.ExitCode is not 0 || KernelRelease.Parse(text) is not { } release)
        {
            return Outcome.Unknown("P2", node.Name, $"could not parse the kernel release '{text}'", evidence);
        }

        if (KernelRelease.IsRhel(text, procVersion?.Output))
        {
            if (release.IsOlderThan(4, 18, 0, 193))
            {
                return Outcome.Fail("P2", node.Name, $"RHEL kernel {release.Short(true)} is older than 4.18.0-193", evidence);
            }

            return release.IsOlderThan(4, 18, 0, 305)
                ? Outcome.Warn("P2", node.Name, $"RHEL kernel {release.Short(true)} is older than 4.18.0-305", evidence)
                : Outcome.Pass("P2", node.Name, $"RHEL kernel {release.Short(true)} (≥ 4.18.0-305)", evidence);
        }

        if (release.IsOlderThan(5, 3))
        {
            return Outcome.Fail("P2", node.Name, $"kernel {release.Short(false)} is older than 5.3", evidence);
        }

        return release.IsOlderThan(5, 10)
            ? Outcome.Warn("P2", node.Name, $"kernel {release.Short(false)} is older than 5.10", evidence)
            : Outcome.Pass("P2", node.Name, $"kernel {release.Short(false)} (≥ 5.10)", evidence);
    }

    /// <summary>P3: x86_64 pass, aarch64 warn, others fail.</summary>
    public static CheckResult P3(NodeView node)
    {
        if (node.Section(ProbeSections.Arch, out var why) is not { } arch)
        {
            return Outcome.Unknown("P3", node.Name, why, node.Tried(ProbeSections.Arch));
        }

        var machine = NodeView.FirstLine(arch.Output) ?? "";
        var evidence = NodeView.Show(arch);
        return machine switch
        {
            "x86_64" or "amd64" => Outcome.Pass("P3", node.Name, $"{machine}", evidence),
            "aarch64" or "arm64" => Outcome.Warn("P3", node.Name, $"{machine}: eBPF mode is less tested on arm64", evidence),
            "" => Outcome.Unknown("P3", node.Name, "uname -m printed nothing", evidence),
            _ => Outcome.Fail("P3", node.Name, $"{machine}: eBPF mode supports x86_64 and aarch64 only", evidence),
        };
    }

    /// <summary>
    /// P5: pass when bpffs is mounted on /sys/fs/bpf. Not mounted: warn when calico-node's mount-bpffs init container
    /// (`calico-node -init`, v3.24+) with a /sys/fs hostPath will mount it; fail otherwise (nothing will).
    /// </summary>
    public static CheckResult P5(NodeView node)
    {
        if (node.Section(ProbeSections.BpfFs, out var why) is not { } mounts)
        {
            return Outcome.Unknown("P5", node.Name, why, node.Tried(ProbeSections.BpfFs));
        }

        var evidence = NodeView.Show(mounts);
        if (IsBpfMounted(mounts.Output))
        {
            return Outcome.Pass("P5", node.Name, "bpffs mounted on /sys/fs/bpf", evidence);
        }

        if (mounts.ExitCode is not (0 or 1))
        {
            return Outcome.Unknown("P5", node.Name, $"`{mounts.Command}` failed (exit {mounts.ExitCode}): {NodeView.FirstLine(mounts.Output) ?? "no output"}", evidence);
        }

        var ds = node.Cluster.CalicoNodeDaemonSet;
        if (ds.Error is { } error)
        {
            return Outcome.Unknown("P5", node.Name, $"bpffs not mounted; could not read {ds.Path} to tell whether calico-node mounts it: {error}",
                Outcome.Lines([evidence, ApiJson.Absence(ds)]));
        }

        var (initContainer, hostPath) = InitMount(ds.Json);
        var dsEvidence = Outcome.Lines([
            evidence,
            ds.Found ? $"{ds.Path}: init container mount-bpffs = {initContainer ?? "(none)"}" : ApiJson.Absence(ds),
            ds.Found ? $"{ds.Path}: hostPath volume for /sys/fs = {hostPath ?? "(none)"}" : ""]);
        return initContainer is not null && hostPath is not null
            ? Outcome.Warn("P5", node.Name, $"bpffs not mounted yet; calico-node's init container {initContainer} mounts it when calico-node starts", dsEvidence,
                "Restart calico-node on this node (or mount it: `mount -t bpf bpf /sys/fs/bpf`) and check again before enabling BPF.")
            : Outcome.Fail("P5", node.Name, "bpffs not mounted on /sys/fs/bpf and calico-node has no init container that mounts it", dsEvidence);
    }

    /// <summary>P6: /run/calico/cgroup is cgroup2fs → pass; else warn (#6907, #6279).</summary>
    public static CheckResult P6(NodeView node)
    {
        if (node.Section(ProbeSections.Cgroup, out var why) is not { } stat)
        {
            return Outcome.Unknown("P6", node.Name, why, node.Tried(ProbeSections.Cgroup));
        }

        var evidence = NodeView.Show(stat);
        var type = NodeView.FirstLine(stat.Output) ?? "";
        if (stat.ExitCode == 0 && type == "cgroup2fs")
        {
            return Outcome.Pass("P6", node.Name, "/run/calico/cgroup is cgroup v2", evidence);
        }

        var reason = stat.ExitCode == 0
            ? $"/run/calico/cgroup is {type}, not cgroup2fs"
            : stat.Output.Contains("No such file", StringComparison.Ordinal)
                ? "/run/calico/cgroup does not exist (calico-node mounts it at start on v3.24+)"
                : $"/run/calico/cgroup could not be read: {type}";
        return Outcome.Warn("P6", node.Name, reason + ": connect-time load balancing may not work", evidence);
    }

    /// <summary>"bpf on /sys/fs/bpf type bpf (rw,…)" (mount) or "bpf /sys/fs/bpf bpf rw,…" (/proc/mounts).</summary>
    internal static bool IsBpfMounted(string output) => output.Split('\n').Any(line =>
    {
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (f.Length >= 5 && f[1] == "on" && f[2].TrimEnd('/') == "/sys/fs/bpf" && f[3] == "type" && f[4] == "bpf")
            || (f.Length >= 3 && f[1].TrimEnd('/') == "/sys/fs/bpf" && f[2] == "bpf");
    });

    /// <summary>calico-node's init container that mounts bpffs (mount-bpffs / `calico-node -init`) and its /sys/fs hostPath volume.</summary>
    internal static (string? InitContainer, string? HostPath) InitMount(JsonObject? daemonSet)
    {
        var init = ApiJson.Objects(daemonSet, "spec.template.spec.initContainers").FirstOrDefault(c =>
            ApiJson.Text(c, "name") == "mount-bpffs"
            || (ApiJson.At(c, "command") is JsonArray cmd && cmd.Select(ApiJson.Scalar).Contains("-init")));
        var hostPath = ApiJson.Objects(daemonSet, "spec.template.spec.volumes")
            .Select(v => ApiJson.Text(v, "hostPath.path"))
            .FirstOrDefault(p => p is not null && (p.TrimEnd('/') == "/sys/fs" || p.TrimEnd('/') == "/sys/fs/bpf"));
        return (init is null ? null : ApiJson.Text(init, "name") ?? "(unnamed)", hostPath);
    }
}
