namespace EbpfConsole.Nodes.Config;

/// <summary>OpenSSH's StrictHostKeyChecking values.</summary>
public enum StrictHostKeyChecking
{
    /// <summary><c>yes</c>: unknown hosts are refused.</summary>
    Yes,

    /// <summary><c>accept-new</c>: unknown hosts are added, changed keys refused.</summary>
    AcceptNew,

    /// <summary>
    /// <c>no</c> / <c>off</c>. OpenSSH would then also connect to a host whose key CHANGED; the console never does, so
    /// it treats <c>no</c> as <see cref="AcceptNew"/> (new hosts added, changed keys refused).
    /// </summary>
    No,

    /// <summary><c>ask</c> (OpenSSH's default): ask the user when there is someone to ask, otherwise refuse.</summary>
    Ask,
}

/// <summary>
/// What an ssh_config file says for one host, first obtained value winning (ssh_config(5)); null when no block set it.
/// Values are as written (tokens such as <c>%h</c> and <c>~</c> not yet expanded; <see cref="SshTokens"/> does that).
/// </summary>
/// <param name="HostName">The real host name or address to connect to.</param>
/// <param name="User">The login user.</param>
/// <param name="Port">The port.</param>
/// <param name="IdentityFiles">Every IdentityFile of every matching block, in file order (they accumulate).</param>
/// <param name="ProxyJump">The jump chain as written (<c>none</c> included: it disables jumping).</param>
/// <param name="StrictHostKeyChecking">The host key policy.</param>
/// <param name="UserKnownHostsFiles">The files of the first UserKnownHostsFile line that applied.</param>
public sealed record SshHostConfig(
    string? HostName,
    string? User,
    int? Port,
    IReadOnlyList<string> IdentityFiles,
    string? ProxyJump,
    StrictHostKeyChecking? StrictHostKeyChecking,
    IReadOnlyList<string>? UserKnownHostsFiles)
{
    public static SshHostConfig Empty { get; } = new(null, null, null, [], null, null, null);
}
