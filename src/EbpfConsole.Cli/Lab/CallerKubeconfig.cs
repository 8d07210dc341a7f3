using System.Diagnostics;
using System.Globalization;

namespace EbpfConsole.Cli.Lab;

/// <summary>
/// `lab kubeconfig` for a normal user: the installed command re-runs `lab` verbs with sudo, and the lab's
/// kubeconfig is root's (0600, it holds the admin key). When sudo ran us for a non-root user, that user
/// gets a copy of their own at ~/.kube/ebpf-console-lab.kubeconfig (0600, owned by them), as kind and k3d
/// hand out theirs; the path printed is the copy's.
/// </summary>
internal static class CallerKubeconfig
{
    public const string FileName = "ebpf-console-lab.kubeconfig";

    /// <summary>The path to print: <paramref name="rootCopy"/>, or the caller's copy when sudo ran us for a non-root user.</summary>
    public static string For(string rootCopy, Func<string, string?> environment, string passwdFile = "/etc/passwd")
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!OperatingSystem.IsLinux() || !int.TryParse(environment("SUDO_UID"), NumberStyles.None, CultureInfo.InvariantCulture, out var uid) || uid == 0
            || !int.TryParse(environment("SUDO_GID"), NumberStyles.None, CultureInfo.InvariantCulture, out var gid)
            || HomeOf(uid, passwdFile) is not { } home || !Directory.Exists(home))
        {
            return rootCopy;
        }

        var kubeDir = Path.Combine(home, ".kube");
        if (!Directory.Exists(kubeDir))
        {
            Directory.CreateDirectory(kubeDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Chown(kubeDir, uid, gid);
        }

        // Never follow a link the user could have planted: ~/.kube must be a real directory, and the copy is
        // written to a new file (CreateNew) and renamed over the target, which replaces a link instead of writing through it.
        if (new DirectoryInfo(kubeDir).LinkTarget is not null)
        {
            throw new IOException($"{kubeDir} is a symbolic link; not writing the lab's kubeconfig there");
        }

        var target = Path.Combine(kubeDir, FileName);
        var temp = Path.Combine(kubeDir, $".{FileName}.{Environment.ProcessId}.tmp");
        using (var source = File.OpenRead(rootCopy))
        using (var copy = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            source.CopyTo(copy);
        }

        Chown(temp, uid, gid);
        File.Move(temp, target, overwrite: true);
        return target;
    }

    /// <summary>The home directory of <paramref name="uid"/> in passwd(5) format, or null.</summary>
    internal static string? HomeOf(int uid, string passwdFile)
    {
        if (!File.Exists(passwdFile))
        {
            return null;
        }

        var id = uid.ToString(CultureInfo.InvariantCulture);
        return File.ReadLines(passwdFile)
            .Select(line => line.Split(':'))
            .FirstOrDefault(f => f.Length >= 7 && f[2] == id)?[5] is { Length: > 0 } home ? home : null;
    }

    /// <summary>chown(1) (.NET has no chown API; -h: a link itself, never its target).</summary>
    private static void Chown(string path, int uid, int gid)
    {
        var psi = new ProcessStartInfo("chown") { RedirectStandardError = true };
        foreach (var arg in (string[])["-h", $"{uid}:{gid}", "--", path])
        {
            psi.ArgumentList.Add(arg);
        }

        using var chown = Process.Start(psi) ?? throw new IOException("chown did not start");
        var error = chown.StandardError.ReadToEnd();
        chown.WaitForExit();
        if (chown.ExitCode != 0)
        {
            throw new IOException($"cannot give {path} to uid {uid}: {error.Trim()}");
        }
    }
}
