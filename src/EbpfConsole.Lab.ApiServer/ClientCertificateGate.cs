using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace EbpfConsole.Lab.ApiServer;

/// <summary>
/// Admits requests whose TLS client certificate was issued by the lab CA for client authentication (a custom
/// chain check: the CA is not in any system store). Results are cached per certificate thumbprint.
/// </summary>
internal sealed class ClientCertificateGate(X509Certificate2 ca)
{
    private const int MaxCached = 64;
    private readonly ConcurrentDictionary<string, bool> _verdicts = new(StringComparer.Ordinal);

    public bool Admits(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        var key = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        if (_verdicts.TryGetValue(key, out var known))
        {
            return known;
        }

        var verdict = LabPki.IsIssuedBy(certificate, ca);
        if (_verdicts.Count < MaxCached)
        {
            _verdicts[key] = verdict;
        }

        return verdict;
    }
}
