using System.Globalization;
using System.Text;

namespace EbpfConsole.Lab.ApiServer;

/// <summary>
/// The kubeconfig for the lab's API server: cluster and context "ebpf-console-lab", user "lab-admin" with
/// the CA and the admin client certificate and key embedded (base64 PEM); the viewer's kubeconfig has user
/// "lab-viewer" with the read-only certificate. Written by hand: the shape is fixed.
/// </summary>
public static class LabKubeconfig
{
    public const string ClusterName = "ebpf-console-lab";
    public const string ContextName = "ebpf-console-lab";
    public const string UserName = "lab-admin";
    public const string ViewerUserName = "lab-viewer";

    /// <summary>The server URL kubectl uses by default: loopback, the lab's API port.</summary>
    public static string DefaultServer { get; } =
        string.Create(CultureInfo.InvariantCulture, $"https://127.0.0.1:{LabTopology.ApiServerPort}");

    /// <summary>Writes <see cref="LabPaths.KubeconfigPath"/> (0600) from the PKI files; returns its path.</summary>
    public static string Write(LabPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Write(paths, paths.KubeconfigPath, DefaultServer);
    }

    /// <summary>Writes <see cref="LabPaths.ViewerKubeconfigPath"/> (0600) for the read-only viewer; returns its path.</summary>
    public static string WriteViewer(LabPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return WriteViewer(paths, paths.ViewerKubeconfigPath, DefaultServer);
    }

    /// <summary>Writes the viewer's kubeconfig for <paramref name="server"/> to <paramref name="path"/> (0600); returns the path.</summary>
    public static string WriteViewer(LabPaths paths, string path, string server)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Write(paths, path, server, paths.ViewerCertPath, paths.ViewerKeyPath, ViewerUserName);
    }

    /// <summary>Writes a kubeconfig for <paramref name="server"/> to <paramref name="path"/> (0600); returns the path.</summary>
    public static string Write(LabPaths paths, string path, string server)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Write(paths, path, server, paths.ClientCertPath, paths.ClientKeyPath, UserName);
    }

    private static string Write(LabPaths paths, string path, string server, string certPath, string keyPath, string user)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(server);
        if (!OperatingSystem.IsLinux())
        {
            throw new LabException("the lab kubeconfig needs Linux (file modes)");
        }

        string text;
        try
        {
            text = Render(server, File.ReadAllText(paths.CaCertPath), File.ReadAllText(certPath), File.ReadAllText(keyPath), user);
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
    public static string Render(string server, string caPem, string clientCertPem, string clientKeyPem) =>
        Render(server, caPem, clientCertPem, clientKeyPem, UserName);

    /// <summary>The kubeconfig text for <paramref name="server"/>, the given PEM material and kubeconfig user name.</summary>
    public static string Render(string server, string caPem, string clientCertPem, string clientKeyPem, string user)
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
        text.Append("- name: ").Append(user).Append('\n');
        text.Append("  user:\n");
        text.Append("    client-certificate-data: ").Append(Base64(clientCertPem)).Append('\n');
        text.Append("    client-key-data: ").Append(Base64(clientKeyPem)).Append('\n');
        text.Append("contexts:\n");
        text.Append("- name: ").Append(ContextName).Append('\n');
        text.Append("  context:\n");
        text.Append("    cluster: ").Append(ClusterName).Append('\n');
        text.Append("    user: ").Append(user).Append('\n');
        text.Append("    namespace: default\n");
        text.Append("current-context: ").Append(ContextName).Append('\n');
        text.Append("preferences: {}\n");
        return text.ToString();
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
}
