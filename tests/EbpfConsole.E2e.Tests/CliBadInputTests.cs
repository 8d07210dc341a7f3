using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests;

/// <summary>Bad input on the installed command: exit 2, one clear line naming what is allowed, never a stack trace.</summary>
public sealed class CliBadInputTests
{
    [Theory]
    [InlineData(new[] { "lab", "mode", "dsr" }, "allowed: iptables, ebpf-tunnel, ebpf-dsr")]
    [InlineData(new[] { "lab", "up", "--scenario", "nope" }, "healthy")]
    [InlineData(new[] { "lab", "curl", "--from", "mallory" }, "client, client2")]
    [InlineData(new[] { "lab", "curl", "--target", "node-9" }, "node-1, node-2")]
    [InlineData(new[] { "lab", "curl", "--count", "x" }, "'x' for option '--count' as a whole number")]
    [InlineData(new[] { "lab", "curl", "--count", "0" }, "between 1 and 1000")]
    [InlineData(new[] { "lab", "mode" }, "Required argument missing")]
    [InlineData(new[] { "lab", "--bogus" }, "--bogus")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "preflight", "--kubeconfig", "/nonexistent/kubeconfig" }, "kubeconfig /nonexistent/kubeconfig: not found")]
    [InlineData(new[] { "preflight", "--kubeconfig", "/etc/os-release" }, "kubeconfig /etc/os-release: not a valid kubeconfig")]
    [InlineData(new[] { "preflight", "--ssh-port", "0" }, "--ssh-port must be between 1 and 65535")]
    [InlineData(new[] { "preflight", "--parallel", "0" }, "--parallel must be between 1 and 256")]
    [InlineData(new[] { "preflight", "--timeout", "soon" }, "--timeout 'soon' is not a duration")]
    [InlineData(new[] { "preflight", "--jump", "a@b@c" }, "--jump: jump host 'a@b@c'")]
    [InlineData(new[] { "preflight", "--ssh-config", "/nonexistent" }, "--ssh-config: /nonexistent: SSH config file not found")]
    [InlineData(new[] { "--kubeconfig", "/nonexistent/kubeconfig" }, "kubeconfig /nonexistent/kubeconfig: not found")]
    public void BadInput_ExitsTwo_WithAOneLineReason(string[] args, string expected)
    {
        var result = InstalledConsole.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(result);
    }

    [Fact]
    public void Lab_AsNonRootUser_SaysItNeedsRoot()
    {
        InstalledConsole.RequireRoot();
        var (dotnet, dll) = WrappedCommand();

        // setpriv (util-linux) drops to 'nobody' for this one command; the wrapper would elevate with sudo.
        var result = InstalledConsole.RunFile(
            "setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", dotnet, dll, "lab", "status"],
            new Dictionary<string, string> { ["HOME"] = "/tmp", ["DOTNET_CLI_HOME"] = "/tmp" });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("needs root", result.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(result);
    }

    [Fact]
    public void Help_ListsTheLabVerbs()
    {
        var result = InstalledConsole.Run("lab", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var verb in new[] { "up", "down", "mode", "curl", "logs", "status" })
        {
            Assert.Contains($"  {verb}", result.Stdout, StringComparison.Ordinal);
        }
    }

    /// <summary>The dotnet host and the published dll that the installed wrapper script executes.</summary>
    private static (string Dotnet, string Dll) WrappedCommand()
    {
        var parts = File.ReadAllLines(InstalledConsole.Path).Last(l => l.StartsWith("exec ", StringComparison.Ordinal)).Split('"');
        return (parts[1], parts[3]);
    }

    private static void AssertNoStackTrace(CliResult result)
    {
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
    }
}
