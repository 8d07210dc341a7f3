using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Nodes.Tests;

public sealed class SudoRefusalTests
{
    [Theory]
    [InlineData("sudo: a password is required\n", "a password is required")]
    [InlineData("sudo: a terminal is required to read the password; either use the -S option", "a terminal is required to read the password")]
    [InlineData("alice is not in the sudoers file.  This incident will be reported.", "the user is not in the sudoers file")]
    [InlineData("sh: 1: sudo: not found", "sudo is not installed")]
    public void Explain_SudoRefused_NamesEndpointCauseAndFix(string output, string cause)
    {
        Assert.Equal(
            $"sudo -n refused on alice@10.0.0.5:22: {cause} — allow this user passwordless sudo (NOPASSWD in sudoers) or log in as root (--ssh-user root)",
            SudoRefusal.Explain(output, "alice@10.0.0.5:22"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bpf on /sys/fs/bpf type bpf (rw,relatime)")]
    public void Explain_NoRefusal_IsNull(string output) => Assert.Null(SudoRefusal.Explain(output, "alice@h:22"));
}
