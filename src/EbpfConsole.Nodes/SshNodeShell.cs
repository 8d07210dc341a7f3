using System.Collections.Concurrent;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Nodes;

/// <summary>
/// Runs preflight scripts on nodes over SSH (<see cref="INodeShell"/>): the node is resolved through
/// <see cref="SshRouteResolver"/> (flags, ~/.ssh/config, ProxyJump), the script is sent on stdin to <c>sh -s</c> (so the
/// login shell, whatever it is, only sees "sh -s"), and the timeout covers connecting and running together. Failures
/// are <see cref="ShellResult.Failure"/>: one line naming user@host:port and the cause. Only cancellation throws.
/// For a login user other than root it first checks <c>sudo -n true</c> once per session (see <see cref="CheckSudo"/>).
/// </summary>
public sealed class SshNodeShell : INodeShell, IDisposable
{
    /// <summary>The remote command; the script arrives on its stdin.</summary>
    public const string Command = "sh -s";

    /// <summary>What the sudo check runs.</summary>
    public const string SudoCheckCommand = "sudo -n true";

    private readonly SshRouteResolver _resolver;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, SshSession> _sessions = new(StringComparer.Ordinal);
    private bool _disposed;

    public SshNodeShell(SshRouteResolver resolver, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _resolver = resolver;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Keep each node's session for the next run (re-runs skip the handshake); closed by <see cref="Dispose"/>.</summary>
    public bool KeepSessions { get; init; } = true;

    /// <summary>
    /// For non-root logins, run <see cref="SudoCheckCommand"/> before the first script on a session; when sudo refuses,
    /// the run fails with <see cref="SudoRefusal"/>'s message (the node's privileged checks could not be read anyway).
    /// </summary>
    public bool CheckSudo { get; init; } = true;

    /// <summary>
    /// Runs <paramref name="script"/> on the node. <paramref name="target"/>'s Name is the ssh_config alias, its Address
    /// (InternalIP) the default HostName, its Port and User the defaults when neither flags nor config say.
    /// </summary>
    public async Task<ShellResult> RunAsync(NodeTarget target, string script, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(script);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        var route = _resolver.Resolve(target.Name, target.Address, target.Port, target.User);
        var started = _timeProvider.GetTimestamp();
        using var deadline = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var phase = "connecting to";
        SshSession? session = null;
        try
        {
            if (!_sessions.TryRemove(route.ToString(), out session) || !session.Client.IsConnected)
            {
                session?.Dispose();
                session = null;
                var connected = await new SshConnector(route.Options, _timeProvider)
                    .ConnectAsync(route.Target, route.Jumps, linked.Token).ConfigureAwait(false);
                if (connected.Session is null)
                {
                    return Failed(route, connected.Failure!.Message);
                }

                session = connected.Session;
                if (CheckSudo && route.Target.User != "root")
                {
                    phase = "checking sudo on";
                    var sudo = await session.RunAsync(SudoCheckCommand, null, Remaining(), $"'{SudoCheckCommand}'", linked.Token).ConfigureAwait(false);
                    if (sudo.Failure is { } sudoFailure)
                    {
                        return sudoFailure.Kind == SshFailureKind.TimedOut ? TimedOut() : Failed(route, sudoFailure.Message);
                    }

                    if (sudo.ExitStatus != 0)
                    {
                        return Failed(route, SudoRefusal.Explain(sudo.StandardError + sudo.StandardOutput, route.Endpoint)
                            ?? $"'{SudoCheckCommand}' on {route.Endpoint} exited {sudo.ExitStatus}: {LastLines(sudo.StandardError)}");
                    }
                }
            }

            phase = "running the script on";
            var result = await session.RunAsync(Command, script, Remaining(), "the script", linked.Token).ConfigureAwait(false);
            if (result.Failure is { } failure)
            {
                return failure.Kind == SshFailureKind.TimedOut ? TimedOut() : Failed(route, failure.Message);
            }

            Keep(route, ref session);
            return new ShellResult(result.ExitStatus, result.StandardOutput, result.StandardError);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TimedOut();
        }
        finally
        {
            session?.Dispose();
        }

        TimeSpan Remaining()
        {
            var left = timeout - _timeProvider.GetElapsedTime(started);
            return left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1);
        }

        ShellResult TimedOut() => Failed(route, SshErrors.TimedOut(route.ToString(), timeout, phase).Message);
    }

    /// <summary>Closes the kept sessions.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        foreach (var key in _sessions.Keys)
        {
            if (_sessions.TryRemove(key, out var session))
            {
                session.Dispose();
            }
        }
    }

    /// <summary>The failure, prefixed with user@host:port when the message does not name it already.</summary>
    private static ShellResult Failed(SshRoute route, string message) =>
        new(null, string.Empty, string.Empty, message.Contains(route.Endpoint, StringComparison.Ordinal) ? message : $"{route.Endpoint}: {message}");

    private static string LastLines(string text) => string.Join(" | ", text.Trim().Split('\n').TakeLast(3));

    /// <summary>Hands the session to the cache (then the caller's reference is cleared) unless keeping is off or disposed.</summary>
    private void Keep(SshRoute route, ref SshSession? session)
    {
        if (KeepSessions && !Volatile.Read(ref _disposed) && _sessions.TryAdd(route.ToString(), session!))
        {
            session = null;
        }
    }
}
