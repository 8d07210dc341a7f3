using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EbpfConsole.Lab.ApiServer;

/// <summary>
/// The lab's PKI: a self-signed CA, the API server's certificate, the admin client's certificate and a read-only
/// viewer's (<see cref="ViewerCommonName"/>, group <see cref="ViewerOrganization"/>), all
/// RSA 2048 (kubectl and KubernetesClient both load them), as PEM files under <see cref="LabPaths.PkiDir"/>
/// with private keys 0600. Generated once per lab; kept across daemon restarts and regenerated only when a
/// file is missing, unreadable, expired or no longer issued by the CA on disk.
/// </summary>
public sealed class LabPki : IDisposable
{
    public const string CaCommonName = "ebpf-console-lab-ca";
    public const string ServerCommonName = "kube-apiserver";
    public const string ClientCommonName = "kubernetes-admin";
    public const string ClientOrganization = "system:masters";
    public const string ViewerCommonName = Api.Authorization.LabIdentity.ViewerUser;
    public const string ViewerOrganization = Api.Authorization.LabIdentity.ViewersGroup;

    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PublicFile = PrivateFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode PrivateDir = PrivateFile | UnixFileMode.UserExecute;

    /// <summary>The addresses the server certificate names: loopback, the lab's link, the `kubernetes` Service IP.</summary>
    public static IReadOnlyList<IPAddress> ServerIps { get; } =
        [IPAddress.Loopback, IPAddress.Parse(LabTopology.HostIp), IPAddress.Parse("10.96.0.1")];

    public static IReadOnlyList<string> ServerDnsNames { get; } =
        ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "localhost"];

    private LabPki(X509Certificate2 ca, X509Certificate2 server, X509Certificate2 client, X509Certificate2 viewer)
    {
        CaCertificate = ca;
        ServerCertificate = server;
        ClientCertificate = client;
        ViewerCertificate = viewer;
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 CaCertificate { get; }

    /// <summary>The API server's certificate with its private key.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>The admin client certificate with its private key.</summary>
    public X509Certificate2 ClientCertificate { get; }

    /// <summary>The read-only viewer's client certificate with its private key.</summary>
    public X509Certificate2 ViewerCertificate { get; }

    /// <summary>Loads the PKI from <paramref name="paths"/>, generating what is missing or unusable.</summary>
    public static async Task<LabPki> EnsureAsync(LabPaths paths, TimeProvider? time = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (!OperatingSystem.IsLinux())
        {
            throw new LabException("the lab PKI needs Linux (file modes)");
        }

        var now = (time ?? TimeProvider.System).GetUtcNow();
        var existing = TryLoad(paths, now);
        if (existing is not null)
        {
            return existing;
        }

        Directory.CreateDirectory(paths.PkiDir, PrivateDir);
        File.SetUnixFileMode(paths.PkiDir, PrivateDir);
        using var caKey = RSA.Create(2048);
        using var ca = CreateCa(caKey, now);
        using var serverKey = RSA.Create(2048);
        using var server = CreateLeaf(ca, serverKey, $"CN={ServerCommonName}", ServerAuthOid, now, san: true);
        using var clientKey = RSA.Create(2048);
        using var client = CreateLeaf(ca, clientKey, $"CN={ClientCommonName}, O={ClientOrganization}", ClientAuthOid, now, san: false);
        using var viewerKey = RSA.Create(2048);
        using var viewer = CreateLeaf(ca, viewerKey, $"CN={ViewerCommonName}, O={ViewerOrganization}", ClientAuthOid, now, san: false);

        await WriteAsync(paths.CaKeyPath, caKey.ExportRSAPrivateKeyPem(), PrivateFile, ct).ConfigureAwait(false);
        await WriteAsync(paths.CaCertPath, ca.ExportCertificatePem(), PublicFile, ct).ConfigureAwait(false);
        await WriteAsync(paths.ServerKeyPath, serverKey.ExportRSAPrivateKeyPem(), PrivateFile, ct).ConfigureAwait(false);
        await WriteAsync(paths.ServerCertPath, server.ExportCertificatePem(), PublicFile, ct).ConfigureAwait(false);
        await WriteAsync(paths.ClientKeyPath, clientKey.ExportRSAPrivateKeyPem(), PrivateFile, ct).ConfigureAwait(false);
        await WriteAsync(paths.ClientCertPath, client.ExportCertificatePem(), PublicFile, ct).ConfigureAwait(false);
        await WriteAsync(paths.ViewerKeyPath, viewerKey.ExportRSAPrivateKeyPem(), PrivateFile, ct).ConfigureAwait(false);
        await WriteAsync(paths.ViewerCertPath, viewer.ExportCertificatePem(), PublicFile, ct).ConfigureAwait(false);
        return TryLoad(paths, now) ?? throw new LabException($"the lab PKI in {paths.PkiDir} could not be read back after it was written");
    }

    /// <summary>True when <paramref name="certificate"/> was issued by <paramref name="ca"/> for client authentication and is valid now.</summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 ca, string purposeOid = ClientAuthOid)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(ca);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(purposeOid));
        try
        {
            return chain.Build(certificate)
                && chain.ChainElements.Count == 2
                && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(ca.RawDataMemory.Span);
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }

    public void Dispose()
    {
        CaCertificate.Dispose();
        ServerCertificate.Dispose();
        ClientCertificate.Dispose();
        ViewerCertificate.Dispose();
    }

    private static LabPki? TryLoad(LabPaths paths, DateTimeOffset now)
    {
        X509Certificate2? ca = null;
        X509Certificate2? server = null;
        X509Certificate2? client = null;
        X509Certificate2? viewer = null;
        try
        {
            using (var caWithKey = X509Certificate2.CreateFromPemFile(paths.CaCertPath, paths.CaKeyPath))
            {
                ca = X509CertificateLoader.LoadCertificate(caWithKey.RawData);
            }

            server = X509Certificate2.CreateFromPemFile(paths.ServerCertPath, paths.ServerKeyPath);
            client = X509Certificate2.CreateFromPemFile(paths.ClientCertPath, paths.ClientKeyPath);
            viewer = X509Certificate2.CreateFromPemFile(paths.ViewerCertPath, paths.ViewerKeyPath);
            if (ValidAt(ca, now) && ValidAt(server, now) && ValidAt(client, now) && ValidAt(viewer, now)
                && IsIssuedBy(server, ca, ServerAuthOid) && IsIssuedBy(client, ca, ClientAuthOid) && IsIssuedBy(viewer, ca, ClientAuthOid))
            {
                return new LabPki(ca, server, client, viewer);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            // Missing or unreadable: regenerated below.
        }

        ca?.Dispose();
        server?.Dispose();
        client?.Dispose();
        viewer?.Dispose();
        return null;
    }

    private static bool ValidAt(X509Certificate2 certificate, DateTimeOffset now) =>
        certificate.NotBefore.ToUniversalTime() <= now.UtcDateTime && now.UtcDateTime < certificate.NotAfter.ToUniversalTime();

    private static X509Certificate2 CreateCa(RSA key, DateTimeOffset now)
    {
        var request = new CertificateRequest($"CN={CaCommonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddHours(-1), now.AddYears(10));
    }

    private static X509Certificate2 CreateLeaf(X509Certificate2 ca, RSA key, string subject, string purposeOid, DateTimeOffset now, bool san)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(purposeOid)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (san)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (var dns in ServerDnsNames)
            {
                names.AddDnsName(dns);
            }

            foreach (var ip in ServerIps)
            {
                names.AddIpAddress(ip);
            }

            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var signed = request.Create(ca, now.AddHours(-1), ca.NotAfter.ToUniversalTime().AddDays(-1), serial);
        return signed.CopyWithPrivateKey(key);
    }

    [SupportedOSPlatform("linux")]
    private static async Task WriteAsync(string path, string pem, UnixFileMode mode, CancellationToken ct)
    {
        var temp = $"{path}.tmp-{Environment.ProcessId}";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = mode };
        await using (var stream = new FileStream(temp, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(pem.AsMemory(), ct).ConfigureAwait(false);
            await writer.WriteAsync("\n".AsMemory(), ct).ConfigureAwait(false);
        }

        File.SetUnixFileMode(temp, mode);
        File.Move(temp, path, overwrite: true);
    }
}
