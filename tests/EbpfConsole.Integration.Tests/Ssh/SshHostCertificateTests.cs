using EbpfConsole.Core.Nodes;
using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.KnownHosts;
using EbpfConsole.Nodes.Ssh;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace EbpfConsole.Integration.Tests.Ssh;

/// <summary>
/// Servers with a host certificate (ssh-keygen -s ca -h, HostCertificate). Host certificates are not supported: the
/// console never offers the certificate algorithms, so the server must present its plain key, checked as usual.
/// </summary>
[Collection("ssh")]
public sealed class SshHostCertificateTests(SshdFixture fixture)
{
    private static NodeTarget Target(int port) => new("cert", "127.0.0.1", port);

    private Task<string> PlainKeyLineAsync(int port) => SshdFixture.KnownHostsLineAsync(port, fixture.CertHostKeyPub);

    private static async Task<SshConnectResult> ConnectAsync(SshConnectionOptions options, int port) =>
        await new SshConnector(options).ConnectAsync(Target(port), CancellationToken.None);

    [Fact]
    public async Task SshNet_WhenACertificateIsNegotiated_HandsThePlainKeyAsHostKey()
    {
        // Pins what SSH.NET 2026.0.0 does with its default (certificate-first) algorithms: HostKeyName is the certificate
        // algorithm, HostKey the plain key inside the certificate. Not relied upon: the connector offers no certificate algorithms.
        using var key = new PrivateKeyFile(fixture.ClientEd25519);
        using var auth = new PrivateKeyAuthenticationMethod("root", key);
        using var client = new SshClient(new ConnectionInfo("127.0.0.1", fixture.Cert.Port, "root", auth));
        (string Name, string? BlobType)? seen = null;
        client.HostKeyReceived += (_, e) =>
        {
            seen = (e.HostKeyName, SshKeys.KeyTypeOf(e.HostKey));
            e.CanTrust = false;
        };

        await Assert.ThrowsAnyAsync<SshException>(() => client.ConnectAsync(CancellationToken.None));

        Assert.Equal(("ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519"), seen);
    }

    [Fact]
    public async Task AcceptNew_UnknownHostWithCertificate_StoresThePlainKey()
    {
        var knownHosts = fixture.NewPath("known_hosts_cert_new");

        var result = await ConnectAsync(fixture.Options(knownHosts, HostKeyPolicy.AcceptNew), fixture.Cert.Port);
        using var session = result.Session;

        Assert.True(session is not null, $"{result.Failure?.Message}\n{fixture.ServerLog}");
        Assert.Equal("ssh-ed25519", session.HostKey.KeyType);
        Assert.Equal(await PlainKeyLineAsync(fixture.Cert.Port) + "\n", await File.ReadAllTextAsync(knownHosts));
    }

    [Fact]
    public async Task Strict_KnownByThePlainKey_ConnectsAsKnown()
    {
        var knownHosts = await fixture.KnownHostsFileAsync(await PlainKeyLineAsync(fixture.Cert.Port));

        var result = await ConnectAsync(fixture.Options(knownHosts), fixture.Cert.Port);
        using var session = result.Session;

        Assert.True(session is not null, $"{result.Failure?.Message}\n{fixture.ServerLog}");
        Assert.Equal(HostKeyStatus.Known, session.HostKey.Status);
    }

    [Theory]
    [InlineData(HostKeyPolicy.Strict)]
    [InlineData(HostKeyPolicy.AcceptNew)]
    [InlineData(HostKeyPolicy.Ask)]
    public async Task OtherPlainKeyListed_RefusedAsChanged(HostKeyPolicy policy)
    {
        var line = await SshdFixture.KnownHostsLineAsync(fixture.Cert.Port, fixture.OtherHostKeyPub);
        var knownHosts = await fixture.KnownHostsFileAsync(line);
        var options = fixture.Options(knownHosts, policy) with { AskHostKey = _ => true };

        var result = await ConnectAsync(options, fixture.Cert.Port);

        Assert.Null(result.Session);
        Assert.True(result.Failure!.Kind == SshFailureKind.HostKeyChanged, result.Failure.Message);
        Assert.Contains(await fixture.FingerprintAsync(fixture.CertHostKeyPub), result.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(line + "\n", await File.ReadAllTextAsync(knownHosts));
    }

    [Theory]
    [InlineData(HostKeyPolicy.AcceptNew)]
    [InlineData(HostKeyPolicy.Ask)]
    public async Task ServerOfferingOnlyCertificateAlgorithms_IsNotReachedAndTheMessageSaysWhy(HostKeyPolicy policy)
    {
        // The price of not offering certificate algorithms: OpenSSH would check the plain key inside the certificate
        // (as SSH.NET 2026.0.0's HostKeyEventArgs.HostKey also gives it) and connect. sshd offers plain keys by default;
        // only a server restricted with HostKeyAlgorithms to certificates is affected.
        var line = await PlainKeyLineAsync(fixture.CertOnly.Port);
        var knownHosts = await fixture.KnownHostsFileAsync(line);
        var asked = 0;
        var options = fixture.Options(knownHosts, policy) with { AskHostKey = _ => Interlocked.Increment(ref asked) > 0 };

        var result = await ConnectAsync(options, fixture.CertOnly.Port);
        result.Session?.Dispose();

        Assert.True(result.Session is null, "connected although no certificate algorithm was offered");
        Assert.Equal(SshFailureKind.ProtocolError, result.Failure!.Kind);
        Assert.Contains("host certificates are not supported", result.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, asked);
        Assert.Equal(line + "\n", await File.ReadAllTextAsync(knownHosts));
    }
}
