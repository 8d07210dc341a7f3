using EbpfConsole.Nodes.KnownHosts;
using static EbpfConsole.Nodes.Tests.TestKeys;

namespace EbpfConsole.Nodes.Tests;

public sealed class KnownHostsWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ebpf-kh-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(22, "10.99.0.11 ssh-ed25519 ")]
    [InlineData(2222, "[10.99.0.11]:2222 ssh-ed25519 ")]
    public void FormatLine_PlainEntry_IsHostTypeBase64(int port, string prefix)
    {
        Assert.Equal(prefix + Ed25519, KnownHostsWriter.FormatLine("10.99.0.11", port, "ssh-ed25519", Ed25519Blob));
    }

    [Fact]
    public void FormatLine_RsaSignatureAlgorithm_IsWrittenAsSshRsa()
    {
        Assert.StartsWith("node-1 ssh-rsa ", KnownHostsWriter.FormatLine("node-1", 22, "rsa-sha2-512", Ed25519Blob), StringComparison.Ordinal);
    }

    [Fact]
    public void FormatLine_Hashed_IsFoundByLookup()
    {
        var line = KnownHostsWriter.FormatLine("10.99.0.11", 2222, "ssh-ed25519", Ed25519Blob, hashed: true);

        Assert.StartsWith("|1|", line, StringComparison.Ordinal);
        var file = KnownHostsFile.Parse("f", line);
        Assert.Equal(HostKeyStatus.Known, file.Lookup("10.99.0.11", 2222, "ssh-ed25519", Ed25519Blob).Status);
    }

    [Fact]
    public void AppendLine_MissingFileAndDirectory_AreCreated()
    {
        var path = Path.Combine(_dir, "sub", "known_hosts");

        KnownHostsWriter.AppendLine(path, "a ssh-ed25519 X");

        Assert.Equal("a ssh-ed25519 X\n", File.ReadAllText(path));
    }

    [Fact]
    public void AppendLine_FileWithoutTrailingNewline_StartsANewLine()
    {
        var path = Path.Combine(_dir, "known_hosts");
        File.WriteAllText(path, "# no newline at end");

        KnownHostsWriter.AppendLine(path, "b ssh-ed25519 Y");
        KnownHostsWriter.AppendLine(path, "c ssh-ed25519 Z");

        Assert.Equal("# no newline at end\nb ssh-ed25519 Y\nc ssh-ed25519 Z\n", File.ReadAllText(path));
    }
}
