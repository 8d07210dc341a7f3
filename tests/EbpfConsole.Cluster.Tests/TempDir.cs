using EbpfConsole.Cluster.Config;

namespace EbpfConsole.Cluster.Tests;

/// <summary>A temporary directory for kubeconfig files, and a fake process environment rooted in it.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ebpf-console-cluster-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public string Home => System.IO.Path.Combine(Path, "home");

    public string ServiceAccount => System.IO.Path.Combine(Path, "serviceaccount");

    public KubeconfigEnvironment Environment => new(name => Variables.TryGetValue(name, out var value) ? value : null, Home, ServiceAccount);

    public string Write(string relative, string text)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    /// <summary>An executable shell script.</summary>
    public string Script(string relative, string body)
    {
        var full = Write(relative, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return full;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Kubeconfig text for tests.</summary>
internal static class Kubeconfigs
{
    /// <summary>One cluster/user/context per name; <paramref name="current"/> is current-context (none when null).</summary>
    public static string With(string? current, params (string Name, string Server)[] contexts)
    {
        var text = new System.Text.StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        foreach (var (name, server) in contexts)
        {
            text.Append("- name: ").Append(name).Append("\n  cluster:\n    server: ").Append(server).Append('\n');
        }

        text.Append("users:\n");
        foreach (var (name, _) in contexts)
        {
            text.Append("- name: ").Append(name).Append("-user\n  user:\n    token: t-").Append(name).Append('\n');
        }

        text.Append("contexts:\n");
        foreach (var (name, _) in contexts)
        {
            text.Append("- name: ").Append(name).Append("\n  context:\n    cluster: ").Append(name).Append("\n    user: ").Append(name).Append("-user\n");
        }

        if (current is not null)
        {
            text.Append("current-context: ").Append(current).Append('\n');
        }

        return text.ToString();
    }
}
