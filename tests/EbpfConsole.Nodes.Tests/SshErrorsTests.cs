using System.Net.Sockets;
using EbpfConsole.Nodes.Ssh;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Transport;

namespace EbpfConsole.Nodes.Tests;

public sealed class SshErrorsTests
{
    private static SshFailure Classify(Exception ex) =>
        SshErrors.Classify(ex, "root", "node-1.lab", "node-1.lab:22", TimeSpan.FromSeconds(5), "/k/id_ed25519 (ssh-ed25519)", ["/k/id_rsa: not found"]);

    [Theory]
    [InlineData(SocketError.ConnectionRefused, SshFailureKind.ConnectionRefused, "connection refused by node-1.lab:22")]
    [InlineData(SocketError.TimedOut, SshFailureKind.TimedOut, "timed out after 5s connecting to node-1.lab:22")]
    [InlineData(SocketError.HostNotFound, SshFailureKind.DnsFailure, "cannot resolve host name 'node-1.lab'")]
    [InlineData(SocketError.TryAgain, SshFailureKind.DnsFailure, "cannot resolve host name 'node-1.lab'")]
    [InlineData(SocketError.NetworkUnreachable, SshFailureKind.NetworkUnreachable, "node-1.lab:22 is unreachable")]
    [InlineData(SocketError.ConnectionReset, SshFailureKind.ConnectionLost, "closed by the remote side")]
    public void Classify_SocketErrors_NameTheEndpoint(SocketError error, SshFailureKind kind, string text)
    {
        var failure = Classify(new SocketException((int)error));

        Assert.Equal(kind, failure.Kind);
        Assert.Contains(text, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_AuthenticationFailure_ListsTriedAndSkippedKeys()
    {
        var failure = Classify(new SshAuthenticationException("Permission denied (publickey)."));

        Assert.Equal(SshFailureKind.AuthenticationFailed, failure.Kind);
        Assert.Equal(
            "authentication failed for root@node-1.lab:22: the server refused key(s) /k/id_ed25519 (ssh-ed25519); skipped /k/id_rsa: not found (Permission denied (publickey))",
            failure.Message);
    }

    [Fact]
    public void Classify_OperationTimeout_SaysTimedOut()
    {
        Assert.Equal("timed out after 5s connecting to node-1.lab:22", Classify(new SshOperationTimeoutException("Socket read operation has timed out")).Message);
    }

    [Fact]
    public void Classify_ConnectionExceptionWrappingSocketError_UsesTheSocketError()
    {
        var failure = Classify(new SshConnectionException("boom", new SocketException((int)SocketError.ConnectionRefused)));

        Assert.Equal(SshFailureKind.ConnectionRefused, failure.Kind);
    }

    [Fact]
    public void Classify_NoCommonHostKeyAlgorithm_SaysCertificatesAreNotSupported()
    {
        var failure = Classify(new SshConnectionException(
            "No matching host key algorithm (server offers ssh-ed25519-cert-v01@openssh.com)", DisconnectReason.KeyExchangeFailed));

        Assert.Equal(SshFailureKind.ProtocolError, failure.Kind);
        Assert.StartsWith("SSH to node-1.lab:22: No matching host key algorithm (server offers ssh-ed25519-cert-v01@openssh.com) — host certificates are not supported",
            failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_ServerClosedConnection_IsConnectionLost()
    {
        var failure = Classify(new SshConnectionException("An established connection was aborted by the server.", DisconnectReason.ConnectionLost));

        Assert.Equal(SshFailureKind.ConnectionLost, failure.Kind);
        Assert.StartsWith("SSH connection to node-1.lab:22 failed: An established connection was aborted by the server", failure.Message, StringComparison.Ordinal);
    }
}
