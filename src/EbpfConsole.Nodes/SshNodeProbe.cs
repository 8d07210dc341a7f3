using System.Collections.Concurrent;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Nodes;

/// <summary>
/// Probes a node over SSH: connects (host key checked against known_hosts), runs <see cref="Command"/> and reports
/// hostname and kernel. Never throws for an unreachable node; cancelling the caller's token throws
/// <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class SshNodeProbe : INodeProbe, IDisposable
{
    /// <summary>One round trip: the first output line is the hostname, the second the kernel release.</summary>
    public const string Command = "hostname; uname -r";

    private readonly SshConnector _connector;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<NodeTarget, SshSession> _sessions = new();
    private bool _disposed;

    /// <param name="connector">Connection settings (keys, known_hosts, host key policy, timeouts).</param>
    /// <param name="timeProvider">Clock for <see cref="NodeStatus.CheckedAt"/> and the per-node timeout.</param>
    /// <param name="timeout">Limit for the whole probe; default: connect timeout + command timeout.</param>
    public SshNodeProbe(SshConnector connector, TimeProvider timeProvider, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _connector = connector;
        _timeProvider = timeProvider;
        Timeout = timeout ?? connector.Options.ConnectTimeout + connector.Options.CommandTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(timeout));
    }

    public SshNodeProbe(SshConnectionOptions options, TimeProvider timeProvider, TimeSpan? timeout = null)
        : this(new SshConnector(options, timeProvider), timeProvider, timeout)
    {
    }

    /// <summary>Limit for one probe, connect and command together.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// Keep each node's session between probes (default): a probe is then one command round trip instead of a
    /// new connection and key exchange every few seconds (a CPU burst the console's key latency showed).
    /// </summary>
    public bool KeepSessions { get; init; } = true;

    public async Task<NodeStatus> ProbeAsync(NodeTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var timeout = new CancellationTokenSource(Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await ProbeCoreAsync(target, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var endpoint = $"{target.User}@{HostKeys.HostKeysText.Endpoint(target.Address, target.Port)}";
            return Unreachable(target, SshErrors.TimedOut(endpoint, Timeout, "probing").Message);
        }
    }

    /// <summary>Splits the output of <see cref="Command"/>; null when it is not two non-empty lines.</summary>
    internal static (string Hostname, string Kernel)? ParseOutput(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length >= 2 ? (lines[0], lines[1]) : null;
    }

    private async Task<NodeStatus> ProbeCoreAsync(NodeTarget target, CancellationToken cancellationToken)
    {
        // A kept session answers with one command round trip; if it is gone or fails, connect afresh (and so
        // check the host key again).
        if (_sessions.TryRemove(target, out var kept))
        {
            var answer = await RunOnAsync(kept, target, wasKept: true, cancellationToken).ConfigureAwait(false);
            if (answer is not null)
            {
                return answer;
            }
        }

        var connected = await _connector.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
        if (connected.Session is not { } session)
        {
            return Unreachable(target, connected.Failure!.Message);
        }

        return (await RunOnAsync(session, target, wasKept: false, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Runs the probe on <paramref name="session"/> and keeps the session. When SSH fails the session is disposed:
    /// a kept one gives null (connect afresh), a new one the failure.
    /// </summary>
    private async Task<NodeStatus?> RunOnAsync(SshSession session, NodeTarget target, bool wasKept, CancellationToken cancellationToken)
    {
        SshCommandResult result;
        try
        {
            if (!session.Client.IsConnected)
            {
                session.Dispose();
                return wasKept ? null : Unreachable(target, $"{session.Endpoint}: the connection closed while probing");
            }

            result = await session.RunAsync(Command, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        if (result.Failure is { } failure)
        {
            session.Dispose();
            return wasKept ? null : Unreachable(target, failure.Message);
        }

        Keep(target, session);
        var now = _timeProvider.GetUtcNow();
        if (result.ExitStatus != 0 || ParseOutput(result.StandardOutput) is not { } identity)
        {
            // SSH works, so the node is reachable; the identity command itself failed.
            var stderr = string.Join(" | ", result.StandardError.Trim().Split('\n').TakeLast(3));
            return new NodeStatus(target.Name, target.Address, Reachability.Reachable, Error:
                $"'{Command}' on {session.Endpoint} exited {result.ExitStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "without status"}" +
                (stderr.Length > 0 ? $": {stderr}" : $" with unexpected output '{result.StandardOutput.Trim()}'"),
                CheckedAt: now);
        }

        return new NodeStatus(target.Name, target.Address, Reachability.Reachable, identity.Hostname, identity.Kernel, CheckedAt: now);
    }

    private void Keep(NodeTarget target, SshSession session)
    {
        if (!KeepSessions || Volatile.Read(ref _disposed) || !_sessions.TryAdd(target, session))
        {
            session.Dispose();
        }
    }

    /// <summary>Closes the kept sessions.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        foreach (var target in _sessions.Keys)
        {
            if (_sessions.TryRemove(target, out var session))
            {
                session.Dispose();
            }
        }
    }

    private NodeStatus Unreachable(NodeTarget target, string error) =>
        new(target.Name, target.Address, Reachability.Unreachable, Error: error, CheckedAt: _timeProvider.GetUtcNow());
}
