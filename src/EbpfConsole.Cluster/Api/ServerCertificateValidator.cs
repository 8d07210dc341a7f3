using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace EbpfConsole.Cluster.Api;

/// <summary>
/// Verifies the API server's certificate: against the kubeconfig's certificate-authority only (when it gives one)
/// or the system's CAs, and always against the server name. KubernetesClient's own check accepts a name mismatch
/// whenever it builds the chain itself; this one does not, and it remembers why it refused, so the error can say
/// "not trusted" or "name mismatch" instead of "the remote certificate was rejected".
/// </summary>
internal sealed class ServerCertificateValidator(X509Certificate2Collection? caCertificates, bool skipVerify)
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private volatile string? _lastRefusal;

    /// <summary>Why the last certificate was refused, e.g. "the server certificate is not trusted: …"; null if none was.</summary>
    public string? LastRefusal => _lastRefusal;

    public void Install(SocketsHttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        handler.SslOptions.RemoteCertificateValidationCallback = Validate;
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (skipVerify)
        {
            return true;
        }

        var refusal = Check(sender as SslStream, certificate, chain, errors);
        if (refusal is not null)
        {
            _lastRefusal = refusal;
        }

        return refusal is null;
    }

    private string? Check(SslStream? stream, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return "the server sent no certificate";
        }

        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (caCertificates is { Count: > 0 })
        {
            if (TrustProblem(server, chain) is { } problem)
            {
                return problem;
            }
        }
        else if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            var status = chain?.ChainStatus.FirstOrDefault().StatusInformation?.Trim();
            return $"the server certificate is not trusted by the system's CAs (issued by '{server.Issuer}'{(string.IsNullOrEmpty(status) ? string.Empty : $": {status.TrimEnd('.')}")}); " +
                "give the cluster's certificate-authority in the kubeconfig";
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            var host = stream?.TargetHostName;
            return $"the server certificate does not match the name '{host}' (it is for {Names(server)})";
        }

        return null;
    }

    private string? TrustProblem(X509Certificate2 server, X509Chain? presented)
    {
        using var custom = new X509Chain();
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(caCertificates!);
        custom.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ServerAuthOid));
        if (presented is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        }

        if (custom.Build(server))
        {
            return null;
        }

        var flags = custom.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        var authorities = string.Join(", ", caCertificates!.Select(c => $"'{c.Subject}'"));
        if ((flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
        {
            return $"the server certificate is not trusted: it was issued by '{server.Issuer}', not by the kubeconfig's certificate-authority {authorities}";
        }

        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
        {
            return $"the server certificate is outside its validity ({server.NotBefore:u} to {server.NotAfter:u})";
        }

        if ((flags & X509ChainStatusFlags.NotValidForUsage) != 0)
        {
            return "the server certificate is not valid for server authentication";
        }

        var status = string.Join("; ", custom.ChainStatus.Select(s => s.StatusInformation.Trim().TrimEnd('.')).Distinct(StringComparer.Ordinal));
        return $"the server certificate is not trusted: {status}";
    }

    private static string Names(X509Certificate2 certificate)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(e => e.EnumerateDnsNames().Select(d => $"DNS:{d}").Concat(e.EnumerateIPAddresses().Select(ip => $"IP:{ip}")))
            .ToList();
        return names.Count > 0 ? string.Join(", ", names) : $"'{certificate.Subject}'";
    }
}
