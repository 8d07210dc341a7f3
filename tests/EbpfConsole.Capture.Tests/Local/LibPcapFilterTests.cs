using EbpfConsole.Capture.Local;

namespace EbpfConsole.Capture.Tests.Local;

public sealed class LibPcapFilterTests
{
    [Theory]
    [InlineData("tcp prt 80", "filter 'tcp prt 80': syntax error")]
    [InlineData("'; touch /tmp/ectest-pwned; '", "filter ''; touch /tmp/ectest-pwned; '': syntax error")]
    [InlineData("-w /etc/x", "filter '-w /etc/x': syntax error")]
    [InlineData("port 99999", "filter 'port 99999': illegal port number 99999 > 65535")]
    public void Problem_InvalidFilter_IsOneLineNamingTheFilter(string filter, string expected)
    {
        Assert.Equal(expected, LibPcapFilter.Problem(filter, out var missing));
        Assert.False(missing);
    }

    [Theory]
    [InlineData("tcp port 30604")]
    [InlineData("udp port 4789 or (tcp and host 10.99.0.10)")]
    [InlineData("")]
    [InlineData(null)]
    public void Problem_ValidOrEmptyFilter_IsNull(string? filter)
    {
        Assert.Null(LibPcapFilter.Problem(filter, out var missing));
        Assert.False(missing);
    }
}
