using System.Globalization;
using System.Text;

namespace EbpfConsole.Lab.ApiServer;

/// <summary>
/// The kubeconfig for the lab's API server: cluster and context "ebpf-console-lab", user "lab-admin" with
/// the CA and the admin client certificate and key embedded (base64 PEM). Written by hand: the shape is fixed.
/// </summary>
public static class LabKubeconfig
{
    public const string ClusterName = "ebpf-console-lab";
    public const string ContextName = "ebpf-console-lab";
    public const string UserName = "lab-admin";

    /// <summary>The server URL kubectl uses by default: loopback, the lab's API port.</summary>
    public static string DefaultServer { get; } =
        string.Create(CultureInfo.InvariantCulture, $"https://127.0.0.1:{LabTopology.ApiServerPort}");

    /// <summary>Writes <see cref="LabPaths.KubeconfigPath"/> (0600) from the PKI files; returns its path.</summary>
    public static string Write(LabPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Write(paths, paths.KubeconfigPath, DefaultServer);
    }

    /// <summary>Writes a kubeconfig for <paramref name="server"/> to <paramref name="path"/> (0600); returns the path.</summary>
    public static string Write(LabPaths paths, string path, string server)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(server);
        if (!OperatingSystem.IsLinux())
        {
            throw new LabException("the lab kubeconfig needs Linux (file modes)");
        }

        string text;
        try
        {
            text = Render(server, File.ReadAllText(paths.CaCertPath), File.ReadAllText(paths.ClientCertPath), File.ReadAllText(paths.ClientKeyPath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LabException($"cannot write the lab kubeconfig: the PKI in {paths.PkiDir} is not readable ({ex.Message})", ex);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var temp = $"{path}.tmp-{Environment.ProcessId}";
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = mode };
        using (var stream = new FileStream(temp, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(text));
        }

        File.SetUnixFileMode(temp, mode);
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>The kubeconfig text for <paramref name="server"/> and the given PEM material.</summary>
    public static string Render(string server, string caPem, string clientCertPem, string clientKeyPem)
    {
        ArgumentNullException.ThrowIfNull(caPem);
        ArgumentNullException.ThrowIfNull(clientCertPem);
        ArgumentNullException.ThrowIfNull(clientKeyPem);
        var text = new StringBuilder();
        text.Append("apiVersion: v1\n");
        text.Append("kind: Config\n");
        text.Append("clusters:\n");
        text.Append("- name: ").Append(ClusterName).Append('\n');
        text.Append("  cluster:\n");
        text.Append("    server: ").Append(server).Append('\n');
        text.Append("    certificate-authority-data: ").Append(Base64(caPem)).Append('\n');
        text.Append("users:\n");
        text.Append("- name: ").Append(UserName).Append('\n');
        text.Append("  user:\n");
        text.Append("    client-certificate-data: ").Append(Base64(clientCertPem)).Append('\n');
        text.Append("    client-key-data: ").Append(Base64(clientKeyPem)).Append('\n');
        text.Append("contexts:\n");
        text.Append("- name: ").Append(ContextName).Append('\n');
        text.Append("  context:\n");
        text.Append("    cluster: ").Append(ClusterName).Append('\n');
        text.Append("    user: ").Append(UserName).Append('\n');
        text.Append("    namespace: default\n");
        text.Append("current-context: ").Append(ContextName).Append('\n');
        text.Append("preferences: {}\n");
        return text.ToString();
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
}
