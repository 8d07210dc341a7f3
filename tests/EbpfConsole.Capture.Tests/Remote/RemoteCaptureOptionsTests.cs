using EbpfConsole.Capture.Remote;

namespace EbpfConsole.Capture.Tests.Remote;

public sealed class RemoteCaptureOptionsTests
{
    [Theory]
    [InlineData(null, "root", null)]
    [InlineData(null, "ops", "sudo -n")]
    [InlineData("", "ops", null)]
    [InlineData("doas", "ops", "doas")]
    public void PrefixFor_DefaultsToSudoForNonRootUsersOnly(string? configured, string user, string? expected)
    {
        var options = new RemoteCaptureOptions { PrivilegePrefix = configured };

        Assert.Equal(expected, options.PrefixFor(user));
    }
}
