using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using EbpfConsole.Lab;
using EbpfConsole.Lab.ApiServer;

namespace EbpfConsole.Integration.Tests.LabApi;

/// <summary>The lab PKI and kubeconfig: generated once, kept, regenerated when broken; shapes kubectl accepts.</summary>
[SupportedOSPlatform("linux")]
public sealed class LabPkiTests : IDisposable
{
    private readonly LabPaths _paths = new(Path.Combine(Path.GetTempPath(), $"ebpf-console-labpki-{Guid.NewGuid():N}"));

    public void Dispose() => Directory.Delete(_paths.StateDir, recursive: true);

    [Fact]
    public async Task Ensure_CreatesCaServerAndClientCertificates()
    {
        using var pki = await LabPki.EnsureAsync(_paths);

        Assert.Equal("CN=ebpf-console-lab-ca", pki.CaCertificate.Subject);
        Assert.True(pki.CaCertificate.NotAfter > DateTime.UtcNow.AddYears(9));
        Assert.Equal("CN=kube-apiserver", pki.ServerCertificate.Subject);
        var san = pki.ServerCertificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["127.0.0.1", "10.99.0.1", "10.96.0.1"], san.EnumerateIPAddresses().Select(a => a.ToString()));
        Assert.Equal(["kubernetes", "kubernetes.default", "kubernetes.default.svc", "localhost"], san.EnumerateDnsNames());
        Assert.Contains("CN=kubernetes-admin", pki.ClientCertificate.Subject, StringComparison.Ordinal);
        Assert.Contains("O=system:masters", pki.ClientCertificate.Subject, StringComparison.Ordinal);
        Assert.True(LabPki.IsIssuedBy(pki.ServerCertificate, pki.CaCertificate, LabPki.ServerAuthOid));
        Assert.True(LabPki.IsIssuedBy(pki.ClientCertificate, pki.CaCertificate, LabPki.ClientAuthOid));
        Assert.False(LabPki.IsIssuedBy(pki.ServerCertificate, pki.CaCertificate, LabPki.ClientAuthOid));
        Assert.Equal(2048, pki.ServerCertificate.GetRSAPublicKey()!.KeySize);
    }

    [Fact]
    public async Task Ensure_WritesPrivateKeysOwnerOnly()
    {
        using var pki = await LabPki.EnsureAsync(_paths);
        foreach (var key in new[] { _paths.CaKeyPath, _paths.ServerKeyPath, _paths.ClientKeyPath, _paths.ViewerKeyPath })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }
    }

    [Fact]
    public async Task Ensure_Again_KeepsTheSameCertificates()
    {
        string first;
        using (var pki = await LabPki.EnsureAsync(_paths))
        {
            first = pki.CaCertificate.Thumbprint + pki.ServerCertificate.Thumbprint + pki.ClientCertificate.Thumbprint;
        }

        using var again = await LabPki.EnsureAsync(_paths);
        Assert.Equal(first, again.CaCertificate.Thumbprint + again.ServerCertificate.Thumbprint + again.ClientCertificate.Thumbprint);
    }

    [Fact]
    public async Task Ensure_WithAMissingOrUnreadableFile_Regenerates()
    {
        string firstCa;
        using (var pki = await LabPki.EnsureAsync(_paths))
        {
            firstCa = pki.CaCertificate.Thumbprint;
        }

        File.Delete(_paths.ClientKeyPath);
        using (var regenerated = await LabPki.EnsureAsync(_paths))
        {
            Assert.NotEqual(firstCa, regenerated.CaCertificate.Thumbprint);
            firstCa = regenerated.CaCertificate.Thumbprint;
        }

        await File.WriteAllTextAsync(_paths.ServerCertPath, "not a certificate");
        using var again = await LabPki.EnsureAsync(_paths);
        Assert.NotEqual(firstCa, again.CaCertificate.Thumbprint);
        Assert.True(LabPki.IsIssuedBy(again.ClientCertificate, again.CaCertificate));
    }

    [Fact]
    public async Task Kubeconfig_EmbedsThePkiAndIsOwnerOnly()
    {
        using var pki = await LabPki.EnsureAsync(_paths);
        var path = LabKubeconfig.Write(_paths);

        Assert.Equal(_paths.KubeconfigPath, path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var text = await File.ReadAllTextAsync(path);
        Assert.Contains("    server: https://127.0.0.1:6443\n", text, StringComparison.Ordinal);
        Assert.Contains("current-context: ebpf-console-lab\n", text, StringComparison.Ordinal);
        Assert.Contains("- name: lab-admin\n", text, StringComparison.Ordinal);
        var caData = Field(text, "certificate-authority-data");
        Assert.Equal(await File.ReadAllTextAsync(_paths.CaCertPath), System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(caData)));

        // KubernetesClient reads it the way the console will.
        var config = k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        Assert.Equal("https://127.0.0.1:6443", config.Host.TrimEnd('/'));
        Assert.Equal("default", config.Namespace);
        Assert.Equal(pki.CaCertificate.Thumbprint, Assert.Single(config.SslCaCerts).Thumbprint);
        Assert.Equal(await File.ReadAllTextAsync(_paths.ClientCertPath), System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(config.ClientCertificateData)));
        Assert.Equal(await File.ReadAllTextAsync(_paths.ClientKeyPath), System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(config.ClientCertificateKeyData)));
    }

    [Fact]
    public async Task Ensure_IssuesAReadOnlyViewerCertificateAndItsKubeconfig()
    {
        using var pki = await LabPki.EnsureAsync(_paths);
        var path = LabKubeconfig.WriteViewer(_paths);

        Assert.Contains("CN=ebpf-console-viewer", pki.ViewerCertificate.Subject, StringComparison.Ordinal);
        Assert.Contains("O=ebpf-console:viewers", pki.ViewerCertificate.Subject, StringComparison.Ordinal);
        Assert.True(LabPki.IsIssuedBy(pki.ViewerCertificate, pki.CaCertificate, LabPki.ClientAuthOid));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_paths.ViewerKeyPath));
        Assert.Equal(Path.Combine(_paths.ApiDir, "viewer.kubeconfig"), path);
        var config = k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        Assert.Equal(await File.ReadAllTextAsync(_paths.ViewerCertPath), System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(config.ClientCertificateData)));
        Assert.Contains("- name: lab-viewer\n", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    private static string Field(string text, string name) =>
        text.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(name + ": ", StringComparison.Ordinal))[(name.Length + 2)..];
}
