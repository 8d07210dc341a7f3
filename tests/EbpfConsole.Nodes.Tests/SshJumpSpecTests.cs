using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Nodes.Tests;

public sealed class SshJumpSpecTests
{
    [Theory]
    [InlineData("bastion", null, "bastion", null)]
    [InlineData("ops@bastion", "ops", "bastion", null)]
    [InlineData("ops@10.0.0.1:2222", "ops", "10.0.0.1", 2222)]
    [InlineData("[fd00::1]:2200", null, "fd00::1", 2200)]
    [InlineData("ssh://ops@bastion:22", "ops", "bastion", 22)]
    public void TryParse_UserHostPortForms(string text, string? user, string host, int? port)
    {
        Assert.True(SshJumpSpec.TryParse(text, out var hop, out var error), error);
        Assert.Equal(new SshJumpSpec(user, host, port), hop);
    }

    [Fact]
    public void TryParseChain_CommaSeparated_KeepsTheOrder()
    {
        Assert.True(SshJumpSpec.TryParseChain("a@one:2201, two", out var chain, out _));
        Assert.Equal([new SshJumpSpec("a", "one", 2201), new SshJumpSpec(null, "two", null)], chain);
    }

    [Fact]
    public void TryParseChain_None_IsNoJump()
    {
        Assert.True(SshJumpSpec.TryParseChain("None", out var chain, out _));
        Assert.Empty(chain);
    }

    [Theory]
    [InlineData("bastion:x", "jump host 'bastion:x': port must be a number from 1 to 65535")]
    [InlineData("@bastion", "jump host '@bastion': invalid user name")]
    [InlineData("ok,", "jump host '': invalid host: the host name is empty")]
    public void TryParseChain_BadHop_SaysWhichHop(string text, string expected)
    {
        Assert.False(SshJumpSpec.TryParseChain(text, out _, out var error));
        Assert.Equal(expected, error);
    }
}
