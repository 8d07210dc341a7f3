using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using EbpfConsole.Lab.Api.Authorization;

namespace EbpfConsole.Lab.ApiServer;

/// <summary>
/// Admits requests whose TLS client certificate was issued by the lab CA for client authentication (a custom
/// chain check: the CA is not in any system store) and says who they are: CN the user, each O a group, as the
/// real API server's x509 authenticator. Results are cached per certificate thumbprint.
/// </summary>
internal sealed class ClientCertificateGate(X509Certificate2 ca)
{
    private const int MaxCached = 64;
    private const string CommonNameOid = "2.5.4.3";
    private const string OrganizationOid = "2.5.4.10";
    private readonly ConcurrentDictionary<string, LabIdentity?> _verdicts = new(StringComparer.Ordinal);

    public bool Admits(X509Certificate2? certificate) => Identify(certificate) is not null;

    /// <summary>The caller's identity, or null when the certificate is missing or not the lab CA's.</summary>
    public LabIdentity? Identify(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return null;
        }

        var key = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        if (_verdicts.TryGetValue(key, out var known))
        {
            return known;
        }

        var identity = LabPki.IsIssuedBy(certificate, ca) ? IdentityOf(certificate.SubjectName) : null;
        if (_verdicts.Count < MaxCached)
        {
            _verdicts[key] = identity;
        }

        return identity;
    }

    /// <summary>CN → user, every O → a group (multi-valued RDNs included).</summary>
    public static LabIdentity IdentityOf(X500DistinguishedName subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var user = string.Empty;
        var groups = new List<string>();
        foreach (var rdn in subject.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements)
            {
                continue;
            }

            var type = rdn.GetSingleElementType().Value;
            var value = rdn.GetSingleElementValue() ?? string.Empty;
            if (type == CommonNameOid)
            {
                user = value;
            }
            else if (type == OrganizationOid)
            {
                groups.Add(value);
            }
        }

        return new LabIdentity(user, groups);
    }
}
