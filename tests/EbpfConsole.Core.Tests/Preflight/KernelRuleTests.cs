using EbpfConsole.Core.Preflight;
using EbpfConsole.Core.Preflight.Rules;

namespace EbpfConsole.Core.Tests.Preflight;

public sealed class KernelRuleTests
{
    [Theory]
    [InlineData("5.4.0-1045-aws", 5, 4, 0, 1045)]
    [InlineData("4.18.0-305.el8.x86_64", 4, 18, 0, 305)]
    [InlineData("6.8.0-45-generic", 6, 8, 0, 45)]
    [InlineData("3.10.0-1160.el7.x86_64", 3, 10, 0, 1160)]
    [InlineData("5.14.0-427.13.1.el9_4.x86_64", 5, 14, 0, 427)]
    [InlineData("6.18.44-fc-v669", 6, 18, 44, 0)]
    [InlineData("5.10", 5, 10, 0, 0)]
    public void Parse_KernelReleases_ReadsVersionAndBuild(string text, int major, int minor, int patch, int build)
    {
        var release = KernelRelease.Parse(text);

        Assert.NotNull(release);
        Assert.Equal((major, minor, patch, build), (release.Value.Major, release.Value.Minor, release.Value.Patch, release.Value.Build));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Linux")]
    [InlineData("v5.4")]
    public void Parse_NotAKernelRelease_ReturnsNull(string text) => Assert.Null(KernelRelease.Parse(text));

    [Theory]
    [InlineData("4.18.0-305.el8.x86_64", null, true)]
    [InlineData("5.14.0-427.13.1.el9_4.x86_64", null, true)]
    [InlineData("3.10.0-1160.el7.x86_64", null, true)]
    [InlineData("4.18.0-305.custom", "Linux version 4.18.0-305.custom (mockbuild@x86-vm-07.build.eng.bos.redhat.com) (gcc version 8.4.1 20200928 (Red Hat 8.4.1-1) (GCC))", true)]
    [InlineData("6.8.0-45-generic", "Linux version 6.8.0-45-generic (buildd@lcy02-amd64-115) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0)", false)]
    [InlineData("5.4.0-1045-aws", null, false)]
    [InlineData("6.1.0-25-cloud-amd64", "Linux version 6.1.0-25-cloud-amd64 (debian-kernel@lists.debian.org)", false)]
    public void IsRhel_FromReleaseTagOrProcVersion(string release, string? procVersion, bool expected) =>
        Assert.Equal(expected, KernelRelease.IsRhel(release, procVersion));

    [Theory]
    [InlineData("6.8.0-45-generic", Verdict.Pass)]
    [InlineData("5.10.0-32-amd64", Verdict.Pass)]
    [InlineData("5.4.0-1045-aws", Verdict.Warn)]
    [InlineData("5.3.0-28-generic", Verdict.Warn)]
    [InlineData("4.19.0-27-amd64", Verdict.Fail)]
    [InlineData("4.18.0-305.el8.x86_64", Verdict.Pass)]
    [InlineData("4.18.0-240.el8.x86_64", Verdict.Warn)]
    [InlineData("4.18.0-193.el8.x86_64", Verdict.Warn)]
    [InlineData("4.18.0-147.el8.x86_64", Verdict.Fail)]
    [InlineData("3.10.0-1160.el7.x86_64", Verdict.Fail)]
    [InlineData("5.14.0-427.13.1.el9_4.x86_64", Verdict.Pass)]
    public void P2_KernelFloors_RhelAndOthers(string release, Verdict expected)
    {
        var node = Facts.NodeOutputs(overrides: [("kernel", new ProbeOutput("uname -r", 0, release)), ("os", new ProbeOutput("cat /proc/version", 0, $"Linux version {release} (gcc)"))]);

        var result = Facts.Node(Facts.Cluster(), node, "P2");

        Assert.Equal(expected, result.Verdict);
        Assert.StartsWith($"$ uname -r\n{release}", result.Evidence, StringComparison.Ordinal);
        Assert.Equal(expected == Verdict.Pass, result.Remediation is null);
    }

    [Fact]
    public void P2_RedHatInProcVersion_AppliesRhelFloorToAnUntaggedRelease()
    {
        var node = Facts.NodeOutputs(overrides: [
            ("kernel", new ProbeOutput("uname -r", 0, "4.18.0-305.custom")),
            ("os", new ProbeOutput("cat /proc/version", 0, "Linux version 4.18.0-305.custom (gcc version 8.4.1 (Red Hat 8.4.1-1))"))]);

        var result = Facts.Node(Facts.Cluster(), node, "P2");

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Contains("RHEL", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void P2_FailOrWarn_RemediationNamesFelixSilentFallback()
    {
        var node = Facts.NodeOutputs(overrides: [("kernel", new ProbeOutput("uname -r", 0, "5.4.0-1045-aws"))]);

        var result = Facts.Node(Facts.Cluster(), node, "P2");

        Assert.Equal(Verdict.Warn, result.Verdict);
        Assert.Equal("kernel 5.4.0 is older than 5.10", result.Reason);
        Assert.Contains("BPF dataplane mode enabled but not supported by the kernel", result.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void P2_SectionMissing_UnknownNamesTheSection()
    {
        var node = Facts.NodeOutputs().Without("kernel");

        var result = Facts.Node(Facts.Cluster(), node, "P2");

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Equal("section kernel (uname -r) missing from the node's output", result.Reason);
        Assert.Contains("$ uname -r", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void P2_GarbageRelease_Unknown()
    {
        var node = Facts.NodeOutputs(overrides: [("kernel", new ProbeOutput("uname -r", 0, "¯\\_(ツ)_/¯"))]);

        Assert.Equal(Verdict.Unknown, Facts.Node(Facts.Cluster(), node, "P2").Verdict);
    }
}
