using EbpfConsole.Capture.Local;
using SharpPcap;

namespace EbpfConsole.Capture.Tests.Local;

public sealed class LocalDevicesTests
{
    [Theory]
    [InlineData(PcapError.PermissionDenied, "eth0: You don't have permission to perform this capture on that device")]
    [InlineData(PcapError.Generic, "socket: Operation not permitted")]
    public void OpenFailure_NoPrivileges_NamesCapNetRawAndRoot(PcapError error, string message)
    {
        Assert.Equal("capturing on eth0 needs root or CAP_NET_RAW (try: sudo ebpf-console ..., or setcap cap_net_raw+ep on it)",
            LocalDevices.OpenFailure("eth0", error, message));
    }

    [Fact]
    public void OpenFailure_InterfaceDown_SaysSo()
    {
        Assert.Equal("capture on 'eth1': the interface is down (eth1: That device is not up)",
            LocalDevices.OpenFailure("eth1", PcapError.InterfaceNotUp, "eth1: That device is not up\n"));
    }

    [Fact]
    public void NoSuchInterface_ListsTheAvailableOnes()
    {
        Assert.Equal("capture on 'eth9': no such interface here; available: any, eth0, lo", LocalDevices.NoSuchInterface("eth9", ["any", "eth0", "lo"]));
        Assert.Equal("capture on 'eth9': no such interface here; available: none", LocalDevices.NoSuchInterface("eth9", []));
    }
}
