using EbpfConsole.Cluster.Config;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Cluster.Tests;

public sealed class KubeconfigSourceTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Resolve_FlagBeatsKubeconfigVariableAndDefaultFile()
    {
        var flag = _dir.Write("flag.yaml", Kubeconfigs.With("a", ("a", "https://a.invalid")));
        _dir.Variables["KUBECONFIG"] = _dir.Write("env.yaml", Kubeconfigs.With("b", ("b", "https://b.invalid")));
        _dir.Write("home/.kube/config", Kubeconfigs.With("c", ("c", "https://c.invalid")));

        var source = KubeconfigSource.Resolve(new KubeconfigOptions(flag), _dir.Environment);

        Assert.Equal(KubeconfigSourceKind.Flag, source.Kind);
        Assert.Equal([flag], source.Files);
    }

    [Fact]
    public void Resolve_KubeconfigVariable_SkipsMissingEntriesAndKeepsOrder()
    {
        var first = _dir.Write("one.yaml", "{}");
        var second = _dir.Write("two.yaml", "{}");
        _dir.Variables["KUBECONFIG"] = $"{first}::{_dir.Path}/missing.yaml:{second}";
        _dir.Write("home/.kube/config", "{}");

        var source = KubeconfigSource.Resolve(new KubeconfigOptions(), _dir.Environment);

        Assert.Equal(KubeconfigSourceKind.EnvironmentList, source.Kind);
        Assert.Equal([first, second], source.Files);
        Assert.StartsWith("KUBECONFIG ", source.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_WithoutFlagOrVariable_UsesHomeKubeConfig()
    {
        var home = _dir.Write("home/.kube/config", "{}");

        var source = KubeconfigSource.Resolve(new KubeconfigOptions(), _dir.Environment);

        Assert.Equal(KubeconfigSourceKind.DefaultFile, source.Kind);
        Assert.Equal([home], source.Files);
    }

    [Fact]
    public void Resolve_InAPod_UsesTheServiceAccount()
    {
        _dir.Variables["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
        _dir.Variables["KUBERNETES_SERVICE_PORT"] = "443";
        _dir.Write("serviceaccount/token", "x");
        _dir.Write("serviceaccount/ca.crt", "x");

        var source = KubeconfigSource.Resolve(new KubeconfigOptions(), _dir.Environment);

        Assert.Equal(KubeconfigSourceKind.InCluster, source.Kind);
        Assert.Empty(source.Files);
    }

    [Fact]
    public void Resolve_ServiceHostWithoutToken_IsNotInCluster()
    {
        _dir.Variables["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
        _dir.Variables["KUBERNETES_SERVICE_PORT"] = "443";
        _dir.Write("serviceaccount/ca.crt", "x");

        var ex = Assert.Throws<ClusterUnavailableException>(() => KubeconfigSource.Resolve(new KubeconfigOptions(), _dir.Environment));

        Assert.Equal(
            $"kubeconfig {_dir.Home}/.kube/config: not found (KUBECONFIG is not set and this is not a pod); set KUBECONFIG, pass --kubeconfig, or use --lab for the lab",
            ex.Message);
    }

    [Fact]
    public void Resolve_MissingFlagFile_NamesItAndSaysWhatToDo()
    {
        var missing = Path.Combine(_dir.Path, "nope.yaml");

        var ex = Assert.Throws<ClusterUnavailableException>(() => KubeconfigSource.Resolve(new KubeconfigOptions(missing), _dir.Environment));

        Assert.Equal($"kubeconfig {missing}: not found; set KUBECONFIG, pass --kubeconfig, or use --lab for the lab", ex.Message);
    }

    [Fact]
    public void Resolve_FlagIsADirectory_SaysSo()
    {
        var ex = Assert.Throws<ClusterUnavailableException>(() => KubeconfigSource.Resolve(new KubeconfigOptions(_dir.Path), _dir.Environment));

        Assert.Contains("is a directory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_KubeconfigVariableWithOnlyMissingFiles_NamesTheList()
    {
        _dir.Variables["KUBECONFIG"] = $"{_dir.Path}/a:{_dir.Path}/b";

        var ex = Assert.Throws<ClusterUnavailableException>(() => KubeconfigSource.Resolve(new KubeconfigOptions(), _dir.Environment));

        Assert.Equal($"KUBECONFIG {_dir.Path}/a:{_dir.Path}/b: none of these files exists; set KUBECONFIG, pass --kubeconfig, or use --lab for the lab", ex.Message);
    }

    [Fact]
    public void Resolve_TildeInFlag_IsTheHomeDirectory()
    {
        var file = _dir.Write("home/k.yaml", "{}");

        var source = KubeconfigSource.Resolve(new KubeconfigOptions("~/k.yaml"), _dir.Environment);

        Assert.Equal([file], source.Files);
    }
}
