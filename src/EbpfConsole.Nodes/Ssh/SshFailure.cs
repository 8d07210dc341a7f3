namespace EbpfConsole.Nodes.Ssh;

public enum SshFailureKind
{
    ConnectionRefused,
    TimedOut,
    DnsFailure,
    NetworkUnreachable,
    HostKeyUnknown,
    HostKeyChanged,
    HostKeyRevoked,
    HostKeyNotAdded,
    AuthenticationFailed,
    KeyFileProblem,
    ConnectionLost,
    ProtocolError,

    /// <summary>The host string is not a plain host name or IP address (it could inject known_hosts lines); nothing was sent.</summary>
    InvalidHost,
}

/// <summary>An expected failure to reach a node, with a message that names the endpoint and says what to do.</summary>
public sealed record SshFailure(SshFailureKind Kind, string Message)
{
    public override string ToString() => Message;
}

/// <summary>Either an open <see cref="SshSession"/> (the caller disposes it) or the <see cref="SshFailure"/>.</summary>
public sealed record SshConnectResult(SshSession? Session, SshFailure? Failure)
{
    public static SshConnectResult Ok(SshSession session) => new(session, null);

    public static SshConnectResult Failed(SshFailure failure) => new(null, failure);
}

/// <summary>
/// The outcome of one remote command. <see cref="Failure"/> is set when the command did not complete
/// (timeout, connection lost); otherwise <see cref="ExitStatus"/> is what the remote process returned.
/// </summary>
public sealed record SshCommandResult(string Command, int? ExitStatus, string StandardOutput, string StandardError, SshFailure? Failure)
{
    public bool Succeeded => Failure is null && ExitStatus == 0;
}
