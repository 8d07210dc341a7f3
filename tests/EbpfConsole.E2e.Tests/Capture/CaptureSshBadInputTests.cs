using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Capture;

/// <summary>
/// `capture` takes preflight's SSH options and refuses bad ones the same way, before any connection: exit 2 and one line
/// naming the option or file:line. None of these needs the lab or reaches the network.
/// </summary>
public sealed class CaptureSshBadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ebpf-console-capture-ssh-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(new[] { "--jump", "a@@b" }, "--jump: jump host 'a@@b': invalid user name")]
    [InlineData(new[] { "--jump", "root@jump:99999" }, "--jump: jump host 'root@jump:99999': port must be a number from 1 to 65535")]
    [InlineData(new[] { "--identity", "/nonexistent/ebpf-console-key" }, "--identity /nonexistent/ebpf-console-key: file not found")]
    [InlineData(new[] { "--ssh-config", "/nonexistent/ebpf-console-ssh-config" }, "--ssh-config: /nonexistent/ebpf-console-ssh-config: SSH config file not found")]
    [InlineData(new[] { "--user", "a@b" }, "--ssh-user 'a@b': not a valid user name")]
    [InlineData(new[] { "--ssh-port", "70000" }, "--ssh-port must be between 1 and 65535")]
    public void Capture_BadSshOption_ExitsTwo_WithOneLine(string[] ssh, string expected)
    {
        var result = InstalledConsole.Run(["capture", "--point", "node-1:eth0", "--duration", "1s", .. ssh]);

        Assert.Equal(2, result.ExitCode);
        CaptureTools.AssertOneErrorLine(result, expected);
        Assert.DoesNotContain("starting", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public void Capture_BadSshConfigLine_ExitsTwo_NamingTheFileAndLine()
    {
        var config = Path.Combine(_dir, "ssh_config");
        File.WriteAllLines(config, ["Host node-1", "  Port abc"]);

        var result = InstalledConsole.Run("capture", "--point", "node-1:eth0", "--ssh-config", config, "--duration", "1s");

        Assert.Equal(2, result.ExitCode);
        CaptureTools.AssertOneErrorLine(result, $"{config}:2:", "Port 'abc'");
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Theory]
    [InlineData("--ssh-user", "bob")]
    [InlineData("--jump", "root@10.0.0.1")]
    [InlineData("--accept-new", null)]
    public void CaptureLab_WithAnSshOption_ExitsTwo_SayingTheLabUsesItsOwnKey(string option, string? value)
    {
        string[] args = value is null ? ["capture", "--lab", option, "--duration", "1s"] : ["capture", "--lab", option, value, "--duration", "1s"];

        var result = InstalledConsole.Run(args);

        Assert.Equal(2, result.ExitCode);
        CaptureTools.AssertOneErrorLine(result, "--lab uses the lab's own SSH key and known_hosts; leave out the SSH options");
        Assert.Equal(string.Empty, result.Stdout);
    }
}
