using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EbpfConsole.Cluster.Reading;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Lab.ApiServer;

namespace EbpfConsole.Integration.Tests.Cluster;

/// <summary>The RBAC pre-check and RBAC denials with the lab's read-only viewer and an identity without any role.</summary>
public sealed class ClusterPermissionTests(HealthyClusterApiFixture fixture) : IClassFixture<HealthyClusterApiFixture>
{
    [Fact]
    public async Task ReadAsync_Viewer_ReadsEverythingButMayNotMutate()
    {
        var kubeconfig = LabKubeconfig.WriteViewer(fixture.Paths, Path.Combine(fixture.StateDir, "viewer.kubeconfig"), fixture.Server);
        using var connection = fixture.Open(kubeconfig);

        var facts = await new KubernetesClusterReader(connection).ReadAsync(CancellationToken.None);

        Assert.Equal(LabKubeconfig.ViewerUserName, facts.Identity);
        Assert.Equal(2, facts.Nodes.Items.Count);
        Assert.True(facts.KubeProxyDaemonSet.Found);
        Assert.Null(facts.PermissionsError);
        var denied = facts.Permissions.Where(p => !p.Allowed).Select(p => p.Need).ToList();
        var expected = MigrationPermissions.For(false, "crd.projectcalico.org", "kube-system").Where(n => n.Verb != "get").ToList();
        Assert.Equal(expected, denied);
        Assert.All(facts.Permissions.Where(p => p.Need.Verb == "get"), p => Assert.True(p.Allowed));
    }

    [Fact]
    public async Task ReadAsync_IdentityWithoutRoles_MayNotListNodes()
    {
        var kubeconfig = IssueKubeconfig("nobody", "no-group");
        using var connection = fixture.Open(kubeconfig);

        var ex = await Assert.ThrowsAsync<ClusterUnavailableException>(() => new KubernetesClusterReader(connection).ReadAsync(CancellationToken.None));

        Assert.Equal(
            "user 'lab-admin' may not list nodes, so preflight cannot know them: 403 Forbidden: nodes is forbidden: " +
            "User \"nobody\" cannot list resource \"nodes\" in API group \"\" at the cluster scope",
            ex.Message);
    }

    /// <summary>A kubeconfig whose client certificate the lab CA issued to <paramref name="user"/> in <paramref name="group"/>.</summary>
    private string IssueKubeconfig(string user, string group)
    {
        using var ca = X509Certificate2.CreateFromPemFile(fixture.Paths.CaCertPath, fixture.Paths.CaKeyPath);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={user}, O={group}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(LabPki.ClientAuthOid)], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        return fixture.WriteFile($"{user}.kubeconfig", LabKubeconfig.Render(
            fixture.Server, File.ReadAllText(fixture.Paths.CaCertPath), certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem()));
    }
}
