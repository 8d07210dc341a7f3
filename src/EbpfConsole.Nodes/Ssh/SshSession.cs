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
    private readonly IReadOnlyList<IDisposable> _via;

    internal SshSession(
        SshClient client, IdentityKeys keys, NodeTarget target, HostKeyVerdict hostKey, TimeSpan commandTimeout, TimeProvider timeProvider,
        IReadOnlyList<IDisposable>? via = null)
    {
        _via = via ?? [];
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
    public Task<SshCommandResult> RunAsync(string command, CancellationToken cancellationToken) =>
        RunAsync(command, null, _commandTimeout, $"'{command}'", cancellationToken);

    /// <summary>
    /// Runs <paramref name="command"/> with <paramref name="standardInput"/> written to its stdin (then closed), within
    /// <paramref name="timeout"/>. <paramref name="description"/> names the command in failure messages (e.g. "the
    /// preflight script" rather than its 6 KB). Failures and cancellation as in <see cref="RunAsync(string, CancellationToken)"/>.
    /// </summary>
    public async Task<SshCommandResult> RunAsync(string command, string? standardInput, TimeSpan timeout, string description, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        using var sshCommand = Client.CreateCommand(command);
        sshCommand.CommandTimeout = timeout;
        using var deadline = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var execution = sshCommand.ExecuteAsync(linked.Token);
            if (standardInput is not null)
            {
                using var input = sshCommand.CreateInputStream();
                await input.WriteAsync(System.Text.Encoding.UTF8.GetBytes(standardInput), linked.Token).ConfigureAwait(false);
            }

            await execution.ConfigureAwait(false);
            return new SshCommandResult(command, sshCommand.ExitStatus, sshCommand.Result, sshCommand.Error, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(SshErrors.TimedOut(Endpoint, timeout, $"running {description} on"));
        }
        catch (SshOperationTimeoutException)
        {
            return Failed(SshErrors.TimedOut(Endpoint, timeout, $"running {description} on"));
        }
        catch (Exception ex) when (ex is SshException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            return Failed(new SshFailure(SshFailureKind.ConnectionLost, $"running {description} on {Endpoint} failed: {ex.Message}"));
        }

        SshCommandResult Failed(SshFailure failure) => new(command, null, string.Empty, string.Empty, failure);
    }

    public void Dispose()
    {
        Client.Dispose();
        _keys.Dispose();
        foreach (var hop in _via)
        {
            hop.Dispose(); // the jump chain: forwarded ports and jump clients, innermost first
        }
    }
}
