using EbpfConsole.Core.Nodes;
using EbpfConsole.Nodes.HostKeys;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace EbpfConsole.Nodes.Ssh;

/// <summary>An authenticated SSH connection to one node. Dispose it to close the connection and release the keys.</summary>
public sealed class SshSession : IDisposable
{
    private readonly IdentityKeys _keys;
    private readonly TimeSpan _commandTimeout;
    private readonly TimeProvider _timeProvider;

    internal SshSession(SshClient client, IdentityKeys keys, NodeTarget target, HostKeyVerdict hostKey, TimeSpan commandTimeout, TimeProvider timeProvider)
    {
        Client = client;
        _keys = keys;
        Target = target;
        HostKey = hostKey;
        _commandTimeout = commandTimeout;
        _timeProvider = timeProvider;
    }

    /// <summary>The connected SSH.NET client, for streaming commands (remote capture) that <see cref="RunAsync"/> does not cover.</summary>
    public SshClient Client { get; }

    public NodeTarget Target { get; }

    /// <summary>How the host key was accepted (known, or added to a file).</summary>
    public HostKeyVerdict HostKey { get; }

    /// <summary>user@host:port, for messages.</summary>
    public string Endpoint => $"{Target.User}@{HostKeysText.Endpoint(Target.Address, Target.Port)}";

    /// <summary>
    /// Runs <paramref name="command"/> to completion and collects its output. A timeout or a lost connection is a
    /// result with <see cref="SshCommandResult.Failure"/>; cancelling through <paramref name="cancellationToken"/> throws.
    /// The command line reaches a remote shell: quote anything that came from input.
    /// </summary>
    public async Task<SshCommandResult> RunAsync(string command, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        using var sshCommand = Client.CreateCommand(command);
        sshCommand.CommandTimeout = _commandTimeout;
        using var timeout = new CancellationTokenSource(_commandTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await sshCommand.ExecuteAsync(linked.Token).ConfigureAwait(false);
            return new SshCommandResult(command, sshCommand.ExitStatus, sshCommand.Result, sshCommand.Error, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(SshErrors.TimedOut(Endpoint, _commandTimeout, $"running '{command}' on"));
        }
        catch (SshOperationTimeoutException)
        {
            return Failed(SshErrors.TimedOut(Endpoint, _commandTimeout, $"running '{command}' on"));
        }
        catch (Exception ex) when (ex is SshException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            return Failed(new SshFailure(SshFailureKind.ConnectionLost, $"running '{command}' on {Endpoint} failed: {ex.Message}"));
        }

        SshCommandResult Failed(SshFailure failure) => new(command, null, string.Empty, string.Empty, failure);
    }

    public void Dispose()
    {
        Client.Dispose();
        _keys.Dispose();
    }
}
