using System.Diagnostics;
using System.Text.Json;
using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Walkthrough;

/// <summary>
/// The reference walkthrough (DOMAIN.md) on the lab with the real kubectl alone: the API server endpoint,
/// the kubernetes-services-endpoint ConfigMap, calico-node restarted, kube-proxy disabled, BPF on, DSR on,
/// the nginx NodePort — and nginx's logged source IP changes from node-1's IP to the client's.
/// </summary>
[Collection(LabUsers.Name)]
public sealed class KubectlWalkthroughTests
{
    private const string Client = "10.99.0.100";
    private const string Node1 = "10.99.0.11";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    [Fact]
    public void Walkthrough_WithKubectlAlone_ChangesTheSourceIpNginxLogs()
    {
        InstalledConsole.RequireRoot();
        Assert.Equal(0, InstalledConsole.Run("lab", "down").ExitCode);
        var up = InstalledConsole.Run("lab", "up");
        Assert.True(up.ExitCode == 0, up.Stderr);
        var kubeconfig = InstalledConsole.Run("lab", "kubeconfig");
        Assert.True(kubeconfig.ExitCode == 0, kubeconfig.Stderr);
        using var kubectl = new Kubectl(kubeconfig.Stdout.Trim());

        var nodes = kubectl.Ok("get", "nodes", "-o", "wide");
        Assert.Matches(@"node-1\s+Ready\s+control-plane\s+\S+\s+v1\.\d+\.\d+\s+10\.99\.0\.11\s", nodes);
        Assert.Matches(@"node-2\s+Ready\s+<none>\s+\S+\s+v1\.\d+\.\d+\s+10\.99\.0\.12\s", nodes);
        Assert.Matches(@"kubernetes\s+10\.99\.0\.1:6443\s", kubectl.Ok("get", "endpoints", "kubernetes", "-o", "wide"));

        // Step 7 first, as a baseline: nginx behind NodePort 30604; kube-proxy's iptables SNAT to node-1.
        Assert.Contains("deployment.apps/nginx created", kubectl.Ok("apply", "-f", RepoAssets.PathOf("walkthrough/nginx-nodeport.yaml")));
        var nginxPod = WaitForPod(kubectl, "default", "app=nginx");
        Assert.Equal(Node1, PodSaw());
        Eventually(() => kubectl.Ok("logs", nginxPod).Contains(Node1 + " - ", StringComparison.Ordinal), "nginx's log names node-1's IP (SNAT)");

        // Step 2: the ConfigMap; step 3: restart calico-node and calico-kube-controllers, wait for Running.
        Assert.Contains("configmap/kubernetes-services-endpoint created",
            kubectl.Ok("apply", "-f", RepoAssets.PathOf("walkthrough/kubernetes-services-endpoint.yaml")));
        var before = PodNames(kubectl, "kube-system", "k8s-app=calico-node");
        Assert.Contains("deleted", kubectl.Ok("delete", "pod", "-n", "kube-system", "-l", "k8s-app=calico-node"));
        kubectl.Ok("delete", "pod", "-n", "kube-system", "-l", "k8s-app=calico-kube-controllers");
        Eventually(() => PodNames(kubectl, "kube-system", "k8s-app=calico-node") is { Count: 2 } now && !now.Intersect(before).Any(),
            "two new calico-node pods");
        kubectl.Ok("wait", "--for=condition=Ready", "pod", "-n", "kube-system", "-l", "k8s-app=calico-node", "--timeout=60s");

        // Step 4: disable kube-proxy; step 5: BPF on.
        Assert.Contains("daemonset.apps/kube-proxy patched", kubectl.Ok("patch", "ds", "-n", "kube-system", "kube-proxy", "-p",
            """{"spec":{"template":{"spec":{"nodeSelector":{"non-calico": "true"}}}}}"""));
        Eventually(() => kubectl.Ok("get", "pods", "-n", "kube-system", "-l", "k8s-app=kube-proxy", "-o", "name").Trim().Length == 0, "kube-proxy pods gone");
        kubectl.Ok("patch", "felixconfiguration", "default", "--type", "merge", "-p", """{"spec":{"bpfEnabled":true}}""");
        Eventually(() => LabMode() == "ebpf-tunnel", "the lab datapath switched to ebpf-tunnel");
        Assert.Equal(Client, PodSaw());
        var calicoNode = PodNames(kubectl, "kube-system", "k8s-app=calico-node")[0];
        Eventually(() => kubectl.Ok("logs", "-n", "kube-system", calicoNode).Contains("BPF enabled, starting BPF endpoint manager", StringComparison.Ordinal),
            "calico-node logs Felix's BPF start line");

        // Step 6: DSR.
        kubectl.Ok("patch", "felixconfiguration", "default", "--type", "merge", "-p", """{"spec":{"bpfExternalServiceMode":"DSR"}}""");
        Assert.Contains("bpfExternalServiceMode: DSR", kubectl.Ok("get", "felixconfiguration", "default", "-o", "yaml"));
        Eventually(() => LabMode() == "ebpf-dsr", "the lab datapath switched to ebpf-dsr");
        Assert.Equal(Client, PodSaw());
        Eventually(() => LastLogLine(kubectl, nginxPod).StartsWith(Client + " - ", StringComparison.Ordinal), "nginx's newest log line names the client's IP");
        Assert.StartsWith(Client + " - ", InstalledConsole.Run("lab", "logs", "--tail", "1").Stdout, StringComparison.Ordinal);
        Assert.Matches(@"kube-system\s+calico-node-\S+\s+1/1\s+Running", kubectl.Ok("get", "pods", "-A", "-o", "wide"));
    }

    [Fact]
    public void GetWatch_StreamsAPodThatComesBack()
    {
        InstalledConsole.RequireRoot();
        LabScenarios.Ensure("healthy");
        using var kubectl = new Kubectl(InstalledConsole.Run("lab", "kubeconfig").Stdout.Trim());
        var old = PodNames(kubectl, "kube-system", "k8s-app=calico-kube-controllers").Single();

        using var watch = kubectl.Start("get", "pods", "-n", "kube-system", "-l", "k8s-app=calico-kube-controllers", "-w");
        watch.WaitFor(o => o.Contains(old, StringComparison.Ordinal), Settle, "the current pod");
        kubectl.Ok("delete", "pod", "-n", "kube-system", old);
        watch.WaitFor(o => o.Split('\n').Any(l => l.StartsWith("calico-kube-controllers-", StringComparison.Ordinal) && !l.StartsWith(old, StringComparison.Ordinal) && l.Contains("Running", StringComparison.Ordinal)),
            Settle, "a new calico-kube-controllers pod Running");
    }

    private static string PodSaw()
    {
        var curl = InstalledConsole.Run("lab", "curl", "--json");
        Assert.True(curl.ExitCode == 0, curl.Stderr + curl.Stdout);
        using var json = JsonDocument.Parse(curl.Stdout);
        return json.RootElement[0].GetProperty("podSaw").GetString()!;
    }

    private static string? LabMode()
    {
        using var json = JsonDocument.Parse(InstalledConsole.Run("lab", "status", "--json").Stdout);
        return json.RootElement.GetProperty("mode").GetString();
    }

    private static string LastLogLine(Kubectl kubectl, string pod) =>
        kubectl.Ok("logs", pod, "--tail", "1").Trim();

    private static List<string> PodNames(Kubectl kubectl, string ns, string selector) =>
        kubectl.Ok("get", "pods", "-n", ns, "-l", selector, "-o", "jsonpath={.items[*].metadata.name}")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static string WaitForPod(Kubectl kubectl, string ns, string selector)
    {
        Eventually(() => PodNames(kubectl, ns, selector).Count == 1, $"a pod {selector} in {ns}");
        kubectl.Ok("wait", "--for=condition=Ready", "pod", "-n", ns, "-l", selector, "--timeout=60s");
        return PodNames(kubectl, ns, selector).Single();
    }

    private static void Eventually(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Settle)
            {
                Assert.Fail($"not within {Settle.TotalSeconds} s: {what}");
            }

            Thread.Sleep(250);
        }
    }
}
