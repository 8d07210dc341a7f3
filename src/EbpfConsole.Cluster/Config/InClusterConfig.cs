using System.Text;
using System.Text.Json.Nodes;
using EbpfConsole.Core.Preflight;
using k8s;
using k8s.Authentication;

namespace EbpfConsole.Cluster.Config;

/// <summary>
/// The in-cluster configuration, as client-go builds it: https://KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT,
/// the service account token (re-read as the kubelet rotates it) and ca.crt. Paths come from
/// <see cref="KubeconfigEnvironment"/> so tests can fake them.
/// </summary>
internal static class InClusterConfig
{
    public const string TokenFile = "token";
    public const string CaFile = "ca.crt";
    public const string NamespaceFile = "namespace";

    public static bool IsAvailable(KubeconfigEnvironment environment) =>
        !string.IsNullOrEmpty(environment.Variable("KUBERNETES_SERVICE_HOST"))
        && !string.IsNullOrEmpty(environment.Variable("KUBERNETES_SERVICE_PORT"))
        && File.Exists(Path.Combine(environment.ServiceAccountDirectory, TokenFile))
        && File.Exists(Path.Combine(environment.ServiceAccountDirectory, CaFile));

    /// <summary>The configuration and the identity (the token's subject, e.g. system:serviceaccount:ns:name).</summary>
    public static (KubernetesClientConfiguration Config, string Identity) Build(KubeconfigEnvironment environment)
    {
        var host = environment.Variable("KUBERNETES_SERVICE_HOST")!;
        var portText = environment.Variable("KUBERNETES_SERVICE_PORT")!;
        var where = $"in-cluster service account ({environment.ServiceAccountDirectory})";
        if (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new ClusterUnavailableException($"{where}: KUBERNETES_SERVICE_PORT '{portText}' is not a port number");
        }

        var tokenPath = Path.Combine(environment.ServiceAccountDirectory, TokenFile);
        var caPath = Path.Combine(environment.ServiceAccountDirectory, CaFile);
        var config = new KubernetesClientConfiguration
        {
            Host = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"https://{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host)}:{port}"),
            TokenProvider = new TokenFileAuth(tokenPath),
        };
        try
        {
            var ca = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            ca.ImportFromPemFile(caPath);
            config.SslCaCerts = ca;
            var namespacePath = Path.Combine(environment.ServiceAccountDirectory, NamespaceFile);
            if (File.Exists(namespacePath))
            {
                config.Namespace = File.ReadAllText(namespacePath).Trim();
            }

            return (config, SubjectOf(File.ReadAllText(tokenPath)) ?? "in-cluster service account");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new ClusterUnavailableException($"{where}: cannot read {caPath} or {tokenPath}: {OneLine.Of(ex.Message)}", ex);
        }
    }

    /// <summary>The "sub" claim of a JWT (no signature check: it only names the identity in messages), or null.</summary>
    internal static string? SubjectOf(string token)
    {
        var parts = token.Trim().Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return json?["sub"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)json["sub"] : null;
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
