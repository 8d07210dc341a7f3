using EbpfConsole.Cli.Lab;

namespace EbpfConsole.Lab.Tests;

/// <summary>`lab kubeconfig` under sudo hands the calling user a copy of their own (root-only: it chowns).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CallerKubeconfigTests : IDisposable
{
    private const int Uid = 64123;
    private const int Gid = 64124;
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("ebpf-console-kubeconfig-");

    public void Dispose() => _root.Delete(recursive: true);

    private string Home => Path.Combine(_root.FullName, "home");

    private string RootCopy => Path.Combine(_root.FullName, "kubeconfig");

    private string Passwd => Path.Combine(_root.FullName, "passwd");

    private void Arrange()
    {
        Directory.CreateDirectory(Home);
        File.WriteAllText(RootCopy, "apiVersion: v1\nkind: Config\n");
        File.WriteAllText(Passwd, $"root:x:0:0:root:/root:/bin/bash\ntrainer:x:{Uid}:{Gid}::{Home}:/bin/bash\n");
    }

    private static Func<string, string?> Sudo(string? uid, string? gid) =>
        name => name switch { "SUDO_UID" => uid, "SUDO_GID" => gid, _ => null };

    [Fact]
    public void NotUnderSudo_PrintsRootsCopy()
    {
        Arrange();
        Assert.Equal(RootCopy, CallerKubeconfig.For(RootCopy, Sudo(null, null), Passwd));
        Assert.Equal(RootCopy, CallerKubeconfig.For(RootCopy, Sudo("0", "0"), Passwd));
    }

    [Fact]
    public void UnderSudo_ForANormalUser_WritesTheirOwnPrivateCopy()
    {
        Assert.True(Environment.IsPrivilegedProcess, "chown needs root: run the tests via ./install.sh --test");
        Arrange();

        var path = CallerKubeconfig.For(RootCopy, Sudo(Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), Gid.ToString(System.Globalization.CultureInfo.InvariantCulture)), Passwd);

        Assert.Equal(Path.Combine(Home, ".kube", CallerKubeconfig.FileName), path);
        Assert.Equal(File.ReadAllText(RootCopy), File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal($"{Uid}:{Gid}", Owner(path));
        Assert.Equal($"{Uid}:{Gid}", Owner(Path.Combine(Home, ".kube")));
    }

    [Fact]
    public void UnderSudo_APlantedLinkIsReplaced_NotWrittenThrough()
    {
        Assert.True(Environment.IsPrivilegedProcess, "chown needs root: run the tests via ./install.sh --test");
        Arrange();
        var victim = Path.Combine(_root.FullName, "victim");
        File.WriteAllText(victim, "keep me");
        Directory.CreateDirectory(Path.Combine(Home, ".kube"));
        File.CreateSymbolicLink(Path.Combine(Home, ".kube", CallerKubeconfig.FileName), victim);

        var path = CallerKubeconfig.For(RootCopy, Sudo(Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), Gid.ToString(System.Globalization.CultureInfo.InvariantCulture)), Passwd);

        Assert.Equal("keep me", File.ReadAllText(victim));
        Assert.Null(new FileInfo(path).LinkTarget);
    }

    private static string Owner(string path)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%u:%g", path]) { RedirectStandardOutput = true };
        using var stat = System.Diagnostics.Process.Start(psi)!;
        var text = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return text;
    }
}
