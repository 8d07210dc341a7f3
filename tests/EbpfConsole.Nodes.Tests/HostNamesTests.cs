using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.KnownHosts;
using static EbpfConsole.Nodes.Tests.TestKeys;

namespace EbpfConsole.Nodes.Tests;

/// <summary>The host string ends up in known_hosts lines: only plain names and IP literals may get there.</summary>
public sealed class HostNamesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ebpf-hostnames-").FullName;

    private string KnownHosts => Path.Combine(_dir, "known_hosts");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("node-1.lab")]
    [InlineData("Node_1")]
    [InlineData("10.99.0.11")]
    [InlineData("::1")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:10.99.0.11")]
    [InlineData("fe80::1%eth0")]
    public void Problem_PlainNamesAndAddresses_AreAllowed(string host)
    {
        Assert.Null(HostNames.Problem(host));
    }

    [Theory]
    [InlineData("x\n* ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMbRFpXtYKfXG4Nt1oa5oKyOy0JOu4VadZ5vKjEchWg6", "'x\\n* ssh-ed25519 AAAAC3Nza")]
    [InlineData("*", "'*'")]
    [InlineData("a,b", "'a,b'")]
    [InlineData("!x", "'!x'")]
    [InlineData("node?", "'node?'")]
    [InlineData("node 1", "'node 1'")]
    [InlineData("node\t1", "'node\\t1'")]
    [InlineData("|1|abc", "'|1|abc'")]
    [InlineData("#x", "'#x'")]
    [InlineData("@revoked", "'@revoked'")]
    [InlineData("[::1]", "'[::1]'")]
    [InlineData("[10.0.0.1]:22", "'[10.0.0.1]:22'")]
    [InlineData("10.0.0.1:22", "'10.0.0.1:22'")]
    [InlineData("::1]:22", "'::1]:22'")]
    [InlineData("fe80::1%", "'fe80::1%'")]
    [InlineData("fe80::1%e*", "'fe80::1%e*'")]
    [InlineData("-oProxyCommand=x", "'-oProxyCommand=x'")]
    [InlineData("nöde", "'n\\u00f6de'")]
    [InlineData("node\u0000", "'node\\u0000'")]
    public void Problem_AnythingElse_IsRefusedNamingTheEscapedValue(string host, string shown)
    {
        var problem = HostNames.Problem(host);

        Assert.NotNull(problem);
        Assert.StartsWith("invalid host " + shown, problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void Problem_EmptyOrTooLong_IsRefused()
    {
        Assert.NotNull(HostNames.Problem(string.Empty));
        Assert.NotNull(HostNames.Problem(null));
        Assert.NotNull(HostNames.Problem(new string('a', HostNames.MaxLength + 1)));
        Assert.Null(HostNames.Problem(new string('a', HostNames.MaxLength)));
    }

    [Theory]
    [InlineData("x\n* ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMbRFpXtYKfXG4Nt1oa5oKyOy0JOu4VadZ5vKjEchWg6")]
    [InlineData("*")]
    [InlineData("a,b")]
    [InlineData("!x")]
    public void Verify_AcceptNewWithAnInjectingHost_ThrowsAndWritesNothing(string host)
    {
        var verifier = new HostKeyVerifier(HostKeyPolicy.AcceptNew, [KnownHosts]);

        var error = Assert.Throws<ArgumentException>(() => verifier.Verify(host, 22, Ed25519Blob));

        Assert.Contains($"invalid host '{HostNames.Quote(host)}'", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KnownHosts));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("a,b")]
    public void LookupAndFormat_InjectingHost_Throw(string host)
    {
        var file = KnownHostsFile.Parse("f", $"* ssh-ed25519 {Ed25519}\n");

        Assert.Throws<ArgumentException>(() => file.Lookup(host, 22, "ssh-ed25519", Ed25519Blob));
        Assert.Throws<ArgumentException>(() => KnownHostsWriter.FormatLine(host, 2222, "ssh-ed25519", Ed25519Blob));
        Assert.Throws<ArgumentException>(() => new KnownHostsSet([file]).KeyTypesFor(host, 22));
    }
}
