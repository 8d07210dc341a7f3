using System.Text.Json.Nodes;
using EbpfConsole.Lab.Cluster;

namespace EbpfConsole.Lab.Tests.Cluster;

public sealed class LabScenarioTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("eclab-scenarios-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Names_ListsTheShippedScenarios_DefaultFirst()
    {
        Assert.Equal(["healthy", "kubekey-default", "missing-bpffs", "operator", "operator-bootstrap"], LabScenario.Names);
    }

    [Theory]
    [InlineData("healthy")]
    [InlineData("kubekey-default")]
    [InlineData("missing-bpffs")]
    [InlineData("operator")]
    [InlineData("operator-bootstrap")]
    public void Load_EachScenario_HasDescriptionVersionAndTheCoreObjects(string name)
    {
        var scenario = LabScenario.Load(name);

        Assert.Equal(name, scenario.Name);
        Assert.StartsWith("v1.32.", scenario.KubernetesVersion, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(scenario.Description));
        Assert.NotNull(Find(scenario, "Endpoints", "default", "kubernetes"));
        Assert.NotNull(Find(scenario, "DaemonSet", "kube-system", "kube-proxy"));
        Assert.NotNull(Find(scenario, "FelixConfiguration", null, "default"));
        Assert.Equal("10.99.0.1", Find(scenario, "Endpoints", "default", "kubernetes")!["subsets"]![0]!["addresses"]![0]!["ip"]!.GetValue<string>());
    }

    [Fact]
    public void Healthy_IsAManifestInstallInIptablesMode_WithTheConfigMapPlumbing()
    {
        var scenario = LabScenario.Load("healthy");

        var calico = Find(scenario, "DaemonSet", "kube-system", "calico-node")!;
        var container = calico["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("kubernetes-services-endpoint", container["envFrom"]![0]!["configMapRef"]!["name"]!.GetValue<string>());
        Assert.StartsWith("docker.io/calico/node:v3.29.", container["image"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("mode: iptables", Find(scenario, "ConfigMap", "kube-system", "kube-proxy")!["data"]!["config.conf"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("server: https://10.99.0.1:6443", Find(scenario, "ConfigMap", "kube-system", "kube-proxy")!["data"]!["kubeconfig.conf"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(Find(scenario, "Deployment", "kube-system", "calico-kube-controllers"));
        Assert.Equal(LabNodeFacts.Default, scenario.FactsFor("node-1"));
        Assert.Equal(LabNodeFacts.Default, scenario.FactsFor("node-2"));
    }

    [Fact]
    public void KubekeyDefault_PutsKubeProxyInIpvsMode_WithKubeIpvs0OnBothNodes()
    {
        var scenario = LabScenario.Load("kubekey-default");

        var conf = Find(scenario, "ConfigMap", "kube-system", "kube-proxy")!["data"]!["config.conf"]!.GetValue<string>();
        Assert.Equal("ipvs", KubeProxyModel.Mode(conf));
        Assert.Equal(["kube-ipvs0"], scenario.FactsFor("node-1").Links);
        Assert.Equal(["kube-ipvs0"], scenario.FactsFor("node-2").Links);
        Assert.Contains("ipvs", scenario.Description, StringComparison.Ordinal);
        Assert.Equal(string.Empty, scenario.LabelsFor("node-1")["node-role.kubernetes.io/worker"]);
    }

    [Fact]
    public void MissingBpffs_DiffersFromHealthyOnlyInNode2Facts()
    {
        var healthy = LabScenario.Load("healthy");
        var scenario = LabScenario.Load("missing-bpffs");

        Assert.False(scenario.FactsFor("node-2").Bpffs);
        Assert.True(scenario.FactsFor("node-1").Bpffs);
        Assert.Equal(healthy.Objects.Select(o => o.ToJsonString()), scenario.Objects.Select(o => o.ToJsonString()));
    }

    [Fact]
    public void Operator_MovesCalicoToCalicoSystem_WithoutEnvFrom_AndAddsTheInstallation()
    {
        var scenario = LabScenario.Load("operator");

        Assert.Null(Find(scenario, "DaemonSet", "kube-system", "calico-node"));
        var calico = Find(scenario, "DaemonSet", "calico-system", "calico-node")!;
        Assert.Null(calico["spec"]!["template"]!["spec"]!["containers"]![0]!["envFrom"]);
        Assert.NotNull(Find(scenario, "Deployment", "calico-system", "calico-kube-controllers"));
        Assert.NotNull(Find(scenario, "Deployment", "tigera-operator", "tigera-operator"));
        Assert.Equal("Iptables", Find(scenario, "Installation", null, "default")!["spec"]!["calicoNetwork"]!["linuxDataplane"]!.GetValue<string>());
        Assert.NotNull(Find(scenario, "Namespace", null, "calico-system"));
    }

    [Fact]
    public void Load_UnknownName_NamesTheAllowedOnes()
    {
        var ex = Assert.Throws<LabException>(() => LabScenario.Load("nope"));
        Assert.Contains("unknown scenario 'nope'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("healthy, kubekey-default", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json", "malformed JSON")]
    [InlineData("""{"description":"d","kubernetesVersion":"v1.32.4","objects":[{"apiVersion":"v1","metadata":{"name":"x"}}]}""", "needs apiVersion, kind and metadata.name")]
    [InlineData("""{"description":"d","kubernetesVersion":"v1.32.4","objects":[{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x","namespace":"default"}}]}""", "not a resource the lab serves")]
    [InlineData("""{"description":"d","kubernetesVersion":"v1.32.4","objects":[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}]}""", "needs metadata.namespace")]
    [InlineData("""{"kubernetesVersion":"v1.32.4"}""", "\"description\" must be a non-empty string")]
    [InlineData("""{"extends":"bad","description":"d"}""", "\"extends\" loops")]
    [InlineData("""{"description":"d","kubernetesVersion":"v1.32.4","nodes":{"node-51":{"bpffs":false}}}""", "nodes.node-51")]
    public void Load_BadFile_IsOneLineLabExceptionNamingTheFile(string text, string expected)
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "bad.json"), text);

        var ex = Assert.Throws<LabException>(() => LabScenarioReader.Load(_dir.FullName, "bad"));

        Assert.Contains(Path.Combine(_dir.FullName, "bad.json"), ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Load_Extends_AppliesMergePatchesTextReplacementsAndRemovals()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "base.json"), """
            {"description":"base","kubernetesVersion":"v1.32.4","objects":[
              {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}},
              {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"a"},"data":{"conf":"mode: one\n","keep":"k"}},
              {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"gone","namespace":"a"}}]}
            """);
        File.WriteAllText(Path.Combine(_dir.FullName, "child.json"), """
            {"extends":"base","nodes":{"node-2":{"bpffs":false}},
             "remove":[{"kind":"ConfigMap","namespace":"a","name":"gone"}],
             "patches":[{"kind":"ConfigMap","namespace":"a","name":"c","replaceText":{"pointer":"/data/conf","from":"mode: one","to":"mode: two"}},
                        {"kind":"ConfigMap","namespace":"a","name":"c","merge":{"data":{"keep":null,"new":"n"}}}]}
            """);

        var child = LabScenarioReader.Load(_dir.FullName, "child");

        Assert.Equal("base", child.Description);
        Assert.Equal(2, child.Objects.Count);
        var data = child.Objects[1]["data"]!.AsObject();
        Assert.Equal("mode: two\n", data["conf"]!.GetValue<string>());
        Assert.False(data.ContainsKey("keep"));
        Assert.Equal("n", data["new"]!.GetValue<string>());
        Assert.False(child.FactsFor("node-2").Bpffs);
        Assert.Equal(3, LabScenarioReader.Load(_dir.FullName, "base").Objects.Count);
    }

    [Fact]
    public void Load_PatchOfAMissingObject_SaysWhichObject()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "base.json"), """{"description":"b","kubernetesVersion":"v1.32.4","objects":[]}""");
        File.WriteAllText(Path.Combine(_dir.FullName, "child.json"), """{"extends":"base","patches":[{"kind":"ConfigMap","namespace":"a","name":"c","merge":{}}]}""");

        var ex = Assert.Throws<LabException>(() => LabScenarioReader.Load(_dir.FullName, "child"));

        Assert.Contains("no object ConfigMap a/c", ex.Message, StringComparison.Ordinal);
    }

    private static JsonObject? Find(LabScenario scenario, string kind, string? ns, string name) =>
        scenario.Objects.FirstOrDefault(o => o["kind"]?.GetValue<string>() == kind && o["metadata"]?["namespace"]?.GetValue<string>() == ns && o["metadata"]!["name"]!.GetValue<string>() == name);
}
