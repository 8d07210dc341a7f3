using System.Globalization;
using System.Net.Sockets;
using Renci.SshNet.Common;

namespace EbpfConsole.Nodes.Ssh;

/// <summary>Turns SSH.NET and socket exceptions into <see cref="SshFailure"/>s that name user@host:port.</summary>
internal static class SshErrors
{
    public static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";

    public static SshFailure TimedOut(string endpoint, TimeSpan timeout, string phase = "connecting to") =>
        new(SshFailureKind.TimedOut, $"timed out after {Seconds(timeout)} {phase} {endpoint}");

    /// <param name="ex">The exception from connecting.</param>
    /// <param name="user">The login user.</param>
    /// <param name="host">The host as given.</param>
    /// <param name="endpoint">host:port for messages.</param>
    /// <param name="timeout">The connect timeout, for "timed out" messages.</param>
    /// <param name="keysTried">"path (type)" of the keys offered, for authentication failures.</param>
    /// <param name="keysSkipped">"path: reason" of key files that could not be used.</param>
    public static SshFailure Classify(Exception ex, string user, string host, string endpoint, TimeSpan timeout, string keysTried, IReadOnlyList<string> keysSkipped)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex switch
        {
            SocketException socket => FromSocket(socket, host, endpoint, timeout),
            SshAuthenticationException auth => new SshFailure(SshFailureKind.AuthenticationFailed,
                $"authentication failed for {user}@{endpoint}: the server refused key(s) {keysTried}" +
                (keysSkipped.Count > 0 ? $"; skipped {string.Join("; ", keysSkipped)}" : string.Empty) +
                $" ({auth.Message.TrimEnd('.')})"),
            SshOperationTimeoutException => TimedOut(endpoint, timeout),
            TimeoutException => TimedOut(endpoint, timeout),
            SshConnectionException { InnerException: SocketException inner } => FromSocket(inner, host, endpoint, timeout),
            SshConnectionException conn when conn.Message.Contains("host key algorithm", StringComparison.OrdinalIgnoreCase) => new SshFailure(
                SshFailureKind.ProtocolError,
                $"SSH to {endpoint}: {conn.Message.TrimEnd('.')} — host certificates are not supported, so the server must also offer " +
                "a plain host key algorithm (ssh-ed25519, ecdsa-sha2-nistp256, rsa-sha2-512, …)"),
            SshConnectionException conn => new SshFailure(SshFailureKind.ConnectionLost,
                $"SSH connection to {endpoint} failed: {conn.Message.TrimEnd('.')} (reason: {conn.DisconnectReason})"),
            SshException ssh => new SshFailure(SshFailureKind.ProtocolError, $"SSH error talking to {endpoint}: {ssh.Message.TrimEnd('.')}"),
            IOException io => new SshFailure(SshFailureKind.ConnectionLost, $"connection to {endpoint} failed: {io.Message.TrimEnd('.')}"),
            _ => new SshFailure(SshFailureKind.ProtocolError, $"SSH to {endpoint} failed: {ex.GetType().Name}: {ex.Message}"),
        };
    }

    public static SshFailure FromSocket(SocketException ex, string host, string endpoint, TimeSpan timeout) => ex.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => new(SshFailureKind.ConnectionRefused,
            $"connection refused by {endpoint} (is sshd running and listening on that port?)"),
        SocketError.TimedOut => TimedOut(endpoint, timeout),
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain or SocketError.NoRecovery => new(SshFailureKind.DnsFailure,
            $"cannot resolve host name '{host}' for {endpoint} (DNS: {ex.Message})"),
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.HostDown => new(SshFailureKind.NetworkUnreachable,
            $"{endpoint} is unreachable: {ex.Message} (no route to the node)"),
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => new(SshFailureKind.ConnectionLost,
            $"connection to {endpoint} was closed by the remote side during the SSH handshake ({ex.Message})"),
        _ => new(SshFailureKind.ConnectionLost, $"cannot connect to {endpoint}: {ex.Message} ({ex.SocketErrorCode})"),
    };
}
