using EbpfConsole.Integration.Tests.Support;
using EbpfConsole.Nodes.KnownHosts;

namespace EbpfConsole.Integration.Tests.Ssh;

/// <summary>Our known_hosts reading and writing against OpenSSH's own ssh-keygen (-H hashes, -F finds).</summary>
[Collection("ssh")]
public sealed class KnownHostsToolCrossCheckTests(SshdFixture fixture)
{
    private static readonly byte[] Blob = Convert.FromBase64String("AAAAC3NzaC1lZDI1NTE5AAAAIMbRFpXtYKfXG4Nt1oa5oKyOy0JOu4VadZ5vKjEchWg6");

    [Theory]
    [InlineData("node-1.lab", 22)]
    [InlineData("127.0.0.1", 2222)]
    public async Task SshKeygenF_FindsTheLinesWeWrite(string host, int port)
    {
        var keygen = Requirements.Tool("ssh-keygen");
        var plain = fixture.NewPath("kh_plain");
        var hashed = fixture.NewPath("kh_hashed");
        KnownHostsWriter.AppendLine(plain, KnownHostsWriter.FormatLine(host, port, "ssh-ed25519", Blob));
        KnownHostsWriter.AppendLine(hashed, KnownHostsWriter.FormatLine(host, port, "ssh-ed25519", Blob, hashed: true));
        var name = HostPatterns.HostKeyName(host, port);

        Assert.Contains("found: line 1", await ToolRunner.RunAsync(keygen, "-F", name, "-f", plain), StringComparison.Ordinal);
        Assert.Contains("found: line 1", await ToolRunner.RunAsync(keygen, "-F", name, "-f", hashed), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_FindsLinesHashedBySshKeygenH()
    {
        var keygen = Requirements.Tool("ssh-keygen");
        var path = await fixture.KnownHostsFileAsync(
            "# lab nodes",
            "10.99.0.11 ssh-ed25519 " + Convert.ToBase64String(Blob),
            "[10.99.0.12]:2222 ssh-ed25519 " + Convert.ToBase64String(Blob));

        await ToolRunner.RunAsync(keygen, "-H", "-f", path);

        var file = KnownHostsFile.Load(path);
        Assert.All(file.Entries, e => Assert.True(e.IsHashed));
        Assert.Equal(HostKeyStatus.Known, file.Lookup("10.99.0.11", 22, "ssh-ed25519", Blob).Status);
        Assert.Equal(HostKeyStatus.Known, file.Lookup("10.99.0.12", 2222, "ssh-ed25519", Blob).Status);
        Assert.Equal(HostKeyStatus.Unknown, file.Lookup("10.99.0.12", 22, "ssh-ed25519", Blob).Status);
    }
}
