using EbpfConsole.Capture.Remote;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Tests.Remote;

public sealed class TcpdumpFailuresTests
{
    private static readonly CapturePoint Eth9 = new("node-1", "eth9");

    private static string? Describe(string user, string? prefix, int? exit, params string[] stderr) =>
        TcpdumpFailures.Describe(Eth9, user, TcpdumpCommand.Create("eth9", "tcp port 80", privilegePrefix: prefix), exit, stderr);

    [Fact]
    public void Describe_NoSuchDevice_NamesPointAndTcpdumpsWords()
    {
        Assert.Equal(
            "node-1:eth9: no such interface (tcpdump: eth9: No such device exists)",
            Describe("root", null, 1, "tcpdump: eth9: No such device exists", "(SIOCGIFHWADDR: No such device)"));
    }

    [Theory]
    [InlineData("sh: 1: tcpdump: not found")]
    [InlineData("bash: tcpdump: command not found")]
    [InlineData("sh: 1: exec: tcpdump: not found")]
    public void Describe_TcpdumpMissing_SaysHowToInstallIt(string line)
    {
        Assert.Equal("node-1: tcpdump is not installed (apt-get install tcpdump)", Describe("root", null, 127, line));
    }

    [Fact]
    public void Describe_SudoRefused_NamesUserAndSudo()
    {
        Assert.Equal(
            "node-1: tcpdump needs root or CAP_NET_RAW; the SSH user 'ops' is not root and sudo -n was refused (sudo: a password is required)",
            Describe("ops", "sudo -n", 1, "sudo: a password is required"));
    }

    [Fact]
    public void Describe_SudoMissing_SaysToLogInAsRootOrInstallSudo()
    {
        var message = Describe("ops", "sudo -n", 127, "bash: sudo: command not found");

        Assert.StartsWith("node-1: 'sudo -n' is not available; the SSH user 'ops' is not root", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_PermissionWithoutSudo_NamesCapNetRawAndTheUser()
    {
        Assert.Equal(
            "node-1: tcpdump needs root or CAP_NET_RAW; the SSH user 'ops' is not root " +
            "(tcpdump: eth9: You don't have permission to perform this capture on that device)",
            Describe("ops", null, 1, "tcpdump: eth9: You don't have permission to perform this capture on that device"));
    }

    [Fact]
    public void Describe_FilterRefusedRemotely_NamesTheFilter()
    {
        Assert.Equal(
            "node-1:eth9: filter 'tcp port 80' was refused by tcpdump (tcpdump: can't parse filter expression: syntax error)",
            Describe("root", null, 1, "tcpdump: can't parse filter expression: syntax error"));
    }

    [Fact]
    public void Describe_OtherNonZeroExit_GivesStatusAndLastLine()
    {
        Assert.Equal("node-1:eth9: tcpdump exited with status 2 (tcpdump: pcap_loop: The interface disappeared)",
            Describe("root", null, 2, "tcpdump: something", "tcpdump: pcap_loop: The interface disappeared"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(null)]
    public void Describe_CleanExit_IsNoFailure(int? exit)
    {
        Assert.Null(Describe("root", null, exit));
    }

    [Fact]
    public void ConnectionLost_NamesTheNodeOnOneLine()
    {
        Assert.Equal("node-1: SSH connection lost during capture (An established connection was aborted)",
            TcpdumpFailures.ConnectionLost(Eth9, "An established connection was aborted\n"));
        Assert.Equal("node-1: SSH connection lost during capture", TcpdumpFailures.ConnectionLost(Eth9));
    }

    [Fact]
    public void NoHeader_CarriesTheStderrSeenSoFar()
    {
        Assert.Equal("node-1:eth9: tcpdump sent no capture header within 10s (stderr: tcpdump: waiting)",
            TcpdumpFailures.NoHeader(Eth9, TimeSpan.FromSeconds(10), "tcpdump: waiting"));
        Assert.Equal("node-1:eth9: tcpdump sent no capture header within 1.5s and wrote nothing to stderr",
            TcpdumpFailures.NoHeader(Eth9, TimeSpan.FromSeconds(1.5), null));
    }
}
