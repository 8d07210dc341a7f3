namespace EbpfConsole.Integration.Tests.Support;

/// <summary>
/// Integration tests use real tools and run as root in CI. A missing prerequisite fails the test with a
/// message naming the install step, so a broken install is never green (CONVENTIONS.md).
/// </summary>
public static class Requirements
{
    public static void Root()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Fail("This integration test needs root (network namespaces, sshd, libpcap). Run it via 'sudo ./install.sh --test'.");
        }
    }

    /// <summary>Fails unless <paramref name="tool"/> is an executable on PATH or in the sbin directories; returns its full path.</summary>
    public static string Tool(string tool)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/sbin", "/sbin"]);
        foreach (var dir in dirs)
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"'{tool}' is not installed. ./install.sh installs it (apt-get); run that first.");
        return string.Empty;
    }
}
