using EbpfConsole.Core.Datapath;

namespace EbpfConsole.Core.Tests.Datapath;

public sealed class DatapathModesTests
{
    [Theory]
    [InlineData("iptables", DatapathMode.Iptables)]
    [InlineData("ebpf-tunnel", DatapathMode.EbpfTunnel)]
    [InlineData(" EBPF-DSR ", DatapathMode.EbpfDsr)]
    public void TryParse_KnownName_ReturnsMode(string name, DatapathMode expected)
    {
        Assert.True(DatapathModes.TryParse(name, out var mode));
        Assert.Equal(expected, mode);
    }

    [Theory]
    [InlineData("dsr")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_UnknownName_Fails(string? name) => Assert.False(DatapathModes.TryParse(name, out _));

    [Fact]
    public void Names_RoundTripThroughToName() =>
        Assert.Equal(DatapathModes.Names, Enum.GetValues<DatapathMode>().Select(m => m.ToName()));

    [Fact]
    public void Next_CyclesThroughAllThreeStates() =>
        Assert.Equal(DatapathMode.Iptables, DatapathMode.Iptables.Next().Next().Next());
}
