using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EbpfConsole.Cluster.Reading;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Lab.ApiServer;

namespace EbpfConsole.Integration.Tests.Cluster;

/// <summary>First contact that fails: one line naming the server and the cause, as <see cref="ClusterUnavailableException"/>.</summary>
public sealed class ClusterFailureTests(HealthyClusterApiFixture fixture) : IClassFixture<HealthyClusterApiFixture>
{
    [Fact]
    public async Task ReadAsync_ServerDown_SaysConnectionRefusedWithTheUrl()
    {
        var server = $"https://127.0.0.1:{FreePort()}";
        using var connection = fixture.Open(Kubeconfig("down", server));

        var ex = await Assert.ThrowsAsync<ClusterUnavailableException>(() => new KubernetesClusterReader(connection).ReadAsync(CancellationToken.None));

        Assert.Equal($"connection refused by {server} (is the API server running, and is this the right server in the kubeconfig?)", ex.Message);
    }

    [Fact]
    public async Task ReadAsync_ServerThatNeverAnswers_TimesOutNamingTheUrl()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    held.Add(await silent.AcceptTcpClientAsync());
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    return;
                }
            }
        });
        var server = $"https://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        using var connection = fixture.Open(Kubeconfig("silent", server), TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<ClusterUnavailableException>(() => new KubernetesClusterReader(connection).ReadAsync(CancellationToken.None));

        Assert.Equal($"no answer from {server}/version within 1s", ex.Message);
    }

    [Fact]
    public async Task ReadAsync_WrongCertificateAuthority_SaysNotTrusted()
    {
        using var otherCa = SelfSigned("CN=some-other-ca", ca: true);
        using var connection = fixture.Open(Kubeconfig("wrong-ca", fixture.Server, caPem: otherCa.ExportCertificatePem()));

        var ex = await Assert.ThrowsAsync<ClusterUnavailableException>(() => new KubernetesClusterReader(connection).ReadAsync(CancellationToken.None));

        Assert.Equal(
            $"TLS handshake with {fixture.Server} failed: the server certificate is not trusted: it was issued by 'CN={LabPki.CaCommonName}', " +
            "not by the kubeconfig's certificate-authority 'CN=some-other-ca'",
            ex.Message);
    }

    [Fact]
    public async Task ReadAsync_ServerNameNotInCertificate_SaysNameMismatch()
    {
        var text = File.ReadAllText(fixture.KubeconfigPath).Replace("    server: ", "    tls-server-name: wrong.example\n    server: ", StringComparison.Ordinal);
        using var connection = fixture.Open(fixture.WriteFile("mismatch.kubeconfig", text));

        var ex = await Assert.ThrowsAsync<ClusterUnavailableException>(() => new KubernetesClusterReader(connection).ReadAsync(CancellationToken.None));

        Assert.StartsWith($"TLS handshake with {fixture.Server} failed: the server certificate does not match the name 'wrong.example' (it is for DNS:kubernetes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("IP:127.0.0.1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ClientCertificateOfAnotherCa_IsUnauthorizedNamingTheUser()
    {
        using var stranger = SelfSigned("CN=stranger", ca: false);
        var key = stranger.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem();
        using var connection = fixture.Open(Kubeconfig("stranger", fixture.Server, certPem: stranger.ExportCertificatePem(), keyPem: key));

        var ex = await Assert.ThrowsAsync<ClusterUnavailableException>(() => new KubernetesClusterReader(connection).ReadAsync(CancellationToken.None));

        Assert.StartsWith($"the API server {fixture.Server} refused the credentials of user 'lab-admin' (401 Unauthorized", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    private string Kubeconfig(string name, string server, string? caPem = null, string? certPem = null, string? keyPem = null) =>
        fixture.WriteFile($"{name}.kubeconfig", LabKubeconfig.Render(
            server,
            caPem ?? File.ReadAllText(fixture.Paths.CaCertPath),
            certPem ?? File.ReadAllText(fixture.Paths.ClientCertPath),
            keyPem ?? File.ReadAllText(fixture.Paths.ClientKeyPath)));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static X509Certificate2 SelfSigned(string subject, bool ca)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
        if (!ca)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        }

        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
