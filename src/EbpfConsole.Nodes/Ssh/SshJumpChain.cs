using EbpfConsole.Core.Nodes;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Transport;

namespace EbpfConsole.Nodes.Ssh;

/// <summary>
/// Connects through ProxyJump hosts: the first hop directly, each later hop and the target through a
/// <see cref="ForwardedPortLocal"/> on 127.0.0.1 (an ephemeral port, a direct-tcpip channel on the previous hop), with
/// every host key checked under that host's own name and port. The listener stays open only while the session lives;
/// it is bound to loopback, so local users could connect to it meanwhile, but they reach only the target's sshd, whose
/// login still needs a key.
/// </summary>
internal sealed class SshJumpChain(SshConnector connector, NodeTarget target, IReadOnlyList<SshHop> jumps)
{
    private readonly List<IDisposable> _opened = [];

    public async Task<SshConnectResult> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            SshClient? previous = null;
            for (var i = 0; i < jumps.Count; i++)
            {
                var hop = jumps[i];
                var hopTarget = new NodeTarget(hop.Host, hop.Host, hop.Port, hop.User);
                var connection = await ConnectThroughAsync(previous, hopTarget, hop.IdentityFiles, cancellationToken).ConfigureAwait(false);
                if (connection.Failure is { } failure)
                {
                    var which = jumps.Count == 1 ? "jump host" : $"jump host {i + 1} of {jumps.Count}";
                    return Fail(failure with { Message = $"{which} {hop.Endpoint}: {failure.Message}" });
                }

                _opened.Add(connection.Keys!);
                _opened.Add(connection.Client!);
                previous = connection.Client;
            }

            var last = jumps[^1];
            var final = await ConnectThroughAsync(previous, target, connector.Options.IdentityFiles, cancellationToken).ConfigureAwait(false);
            if (final.Failure is { } targetFailure)
            {
                return Fail(targetFailure with { Message = $"{targetFailure.Message} (via jump host {last.Endpoint})" });
            }

            var via = Enumerable.Reverse(_opened).ToList();
            _opened.Clear();
            return SshConnectResult.Ok(new SshSession(final.Client!, final.Keys!, target, final.Verdict!, connector.Options.CommandTimeout, connector.TimeProvider, via));
        }
        catch
        {
            DisposeOpened();
            throw;
        }
    }

    private async Task<SshConnector.HopConnection> ConnectThroughAsync(
        SshClient? previous, NodeTarget hopTarget, IReadOnlyList<string> identityFiles, CancellationToken cancellationToken)
    {
        if (previous is null)
        {
            return await connector.ConnectHopAsync(hopTarget, hopTarget.Address, hopTarget.Port, identityFiles, null, cancellationToken).ConfigureAwait(false);
        }

        var forward = new ForwardedPortLocal("127.0.0.1", 0, hopTarget.Address, (uint)hopTarget.Port);
        string? problem = null;
        forward.Exception += (_, e) => Volatile.Write(ref problem, Describe(e.Exception));
        try
        {
            previous.AddForwardedPort(forward);
            forward.Start();
        }
        catch (Exception ex) when (ex is SshException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            forward.Dispose();
            return SshConnector.HopConnection.Failed(new SshFailure(SshFailureKind.ConnectionLost,
                $"cannot forward a local port to {HostKeys.HostKeysText.Endpoint(hopTarget.Address, hopTarget.Port)}: {ex.Message}"));
        }

        _opened.Add(forward);
        return await connector.ConnectHopAsync(
            hopTarget, "127.0.0.1", (int)forward.BoundPort, identityFiles, ex => Volatile.Read(ref problem) ?? ClosedEarly(ex), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The reason the previous hop gave for not opening the channel, when SSH.NET reports it.</summary>
    private static string Describe(Exception ex) => $"the jump host could not open a connection to it ({ex.Message.TrimEnd('.')})";

    /// <summary>
    /// SSH.NET closes the forwarded socket at once when the jump host refuses the direct-tcpip channel (and 2026.0.0 does
    /// not raise the port's Exception event first), so the target's client sees the connection lost before any SSH
    /// banner: say what that means through a jump host.
    /// </summary>
    private static string? ClosedEarly(Exception ex) => ex is SshConnectionException { DisconnectReason: DisconnectReason.ConnectionLost }
        ? "the jump host could not open a connection to it (the forwarded connection closed before any SSH answer: nothing listening " +
          "there, not reachable from the jump host, or TCP forwarding disabled on the jump host)"
        : null;

    private SshConnectResult Fail(SshFailure failure)
    {
        DisposeOpened();
        return SshConnectResult.Failed(failure);
    }

    private void DisposeOpened()
    {
        for (var i = _opened.Count - 1; i >= 0; i--)
        {
            _opened[i].Dispose();
        }

        _opened.Clear();
    }
}
