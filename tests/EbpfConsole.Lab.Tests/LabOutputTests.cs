using System.Text.Json;
using EbpfConsole.Cli.Lab;
using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

public sealed class LabOutputTests
{
    private static readonly LabPaths Paths = new("/var/lib/ebpf-console/lab");

    private static LabStatus Status(bool apiServerUp = true, string? datapath = "iptables", bool manualOverride = false, string? scenario = "healthy") =>
        new(apiServerUp, DatapathModes.TryParse(datapath, out var m) ? m : null, LabTopology.Nodes, LabTopology.Clients, LabTopology.Pod, Paths.StateDir,
            LabHealth.Keys.ToDictionary(k => k, k => apiServerUp || k != LabHealth.ApiServer))
        {
            Datapath = datapath,
            Scenario = scenario,
            ManualOverride = manualOverride,
            Kubeconfig = apiServerUp ? Paths.KubeconfigPath : null,
        };

    [Fact]
    public void StatusLines_ApiServerKubeconfigScenarioAndWhoSetsTheDatapath()
    {
        var lines = LabOutput.StatusLines(Status()).ToList();

        Assert.Equal("lab: up, 2 nodes, mode iptables, state /var/lib/ebpf-console/lab", lines[0]);
        Assert.Contains("api server: https://127.0.0.1:6443 (up)", lines);
        Assert.Contains("kubeconfig: /var/lib/ebpf-console/lab/api/kubeconfig", lines);
        Assert.Contains("scenario: healthy", lines);
        Assert.Contains("datapath: iptables (set by the API objects)", lines);
        Assert.StartsWith("health: ", lines[^1], StringComparison.Ordinal);
        Assert.Contains("apiserver ok", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void StatusLines_ForcedModeAndApiServerDown()
    {
        var lines = LabOutput.StatusLines(Status(apiServerUp: false, datapath: "ebpf-dsr", manualOverride: true)).ToList();

        Assert.Contains("api server: https://127.0.0.1:6443 (down)", lines);
        Assert.Contains("datapath: ebpf-dsr (manual override)", lines);
        Assert.Contains("kubeconfig: (none yet: 'ebpf-console lab up' writes it)", lines);
        Assert.Contains("apiserver FAIL", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void StatusLines_NoneDatapathAndNoScenario()
    {
        var lines = LabOutput.StatusLines(Status(datapath: "none", scenario: null)).ToList();

        Assert.Equal("lab: up, 2 nodes, mode none, state /var/lib/ebpf-console/lab", lines[0]);
        Assert.Contains("datapath: none (set by the API objects)", lines);
        Assert.Contains("scenario: (none recorded)", lines);
    }

    [Fact]
    public void StatusJson_AddsApiServerScenarioAndDatapathSource()
    {
        using var doc = JsonDocument.Parse(LabOutput.StatusJson(Status(datapath: "ebpf-tunnel", manualOverride: true, scenario: "kubekey-default"), Paths));
        var root = doc.RootElement;

        Assert.Equal("ebpf-tunnel", root.GetProperty("mode").GetString());
        var api = root.GetProperty("apiServer");
        Assert.Equal("https://127.0.0.1:6443", api.GetProperty("url").GetString());
        Assert.Equal(Paths.KubeconfigPath, api.GetProperty("kubeconfig").GetString());
        Assert.True(api.GetProperty("up").GetBoolean());
        Assert.Equal("kubekey-default", root.GetProperty("scenario").GetString());
        Assert.Equal("manual-override", root.GetProperty("datapathSource").GetString());
        Assert.True(root.GetProperty("health").GetProperty("apiserver").GetBoolean());
        Assert.Equal("/var/lib/ebpf-console/lab", root.GetProperty("stateDir").GetString());
    }

    [Fact]
    public void StatusJson_LabDown_NullKubeconfigAndScenario_ApiObjectsSource()
    {
        using var doc = JsonDocument.Parse(LabOutput.StatusJson(Status(apiServerUp: false, datapath: null, scenario: null), Paths));
        var root = doc.RootElement;

        Assert.Equal(JsonValueKind.Null, root.GetProperty("apiServer").GetProperty("kubeconfig").ValueKind);
        Assert.False(root.GetProperty("apiServer").GetProperty("up").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("scenario").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("mode").ValueKind);
        Assert.Equal("api-objects", root.GetProperty("datapathSource").GetString());
    }

    [Fact]
    public void ModeLine_SaysWhichModeIsInForceAndWhoDecides()
    {
        Assert.Equal(
            "mode ebpf-dsr (manual override; 'ebpf-console lab mode auto' hands it back to the API objects)",
            LabOutput.ModeLine("ebpf-dsr", Status(datapath: "ebpf-dsr", manualOverride: true)));
        Assert.Equal(
            "mode auto: set by the API objects, datapath ebpf-dsr now (the lab controller re-applies what they say within seconds)",
            LabOutput.ModeLine("auto", Status(datapath: "ebpf-dsr")));
    }

    [Fact]
    public void StatusLines_FiftyNodes_EveryNodeListedSshdHealthOneItem()
    {
        var health = LabHealth.KeysFor(50).ToDictionary(k => k, k => k != "sshd:node-17");
        var status = Status() with { Nodes = LabTopology.NodesFor(50), Health = health };

        var lines = LabOutput.StatusLines(status).ToList();

        Assert.StartsWith("lab: up, 50 nodes, mode iptables", lines[0], StringComparison.Ordinal);
        Assert.Contains("  node-50  10.99.0.60   netns eclab-node-50", lines);
        Assert.Contains("  node-1   10.99.0.11   netns eclab-node-1  (datapath)", lines);
        Assert.Contains("sshd FAIL on node-17 (ok on 49)", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("sshd:node-3 ", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void StatusJson_ListsEveryNodeAndTheViewerKubeconfig()
    {
        var status = Status() with { Nodes = LabTopology.NodesFor(5), ViewerKubeconfig = Paths.ViewerKubeconfigPath };

        using var json = JsonDocument.Parse(LabOutput.StatusJson(status, Paths));

        var nodes = json.RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()).ToList();
        Assert.Equal(["node-1", "node-2", "node-3", "node-4", "node-5"], nodes);
        Assert.Equal(Paths.ViewerKubeconfigPath, json.RootElement.GetProperty("apiServer").GetProperty("viewerKubeconfig").GetString());
    }
}
