using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Capture.Sources;

/// <summary>
/// Reaches a node as preflight does (<see cref="SshRouteResolver"/>): the node name is looked up in ssh_config as
/// <c>ssh NODE</c> would (HostName, User, Port, IdentityFile, ProxyJump), with flags first; without a HostName the
/// address is <paramref name="addressOf"/>'s (an InternalIP, or <c>--node NAME=IP</c>), else the name itself. A
/// <paramref name="guard"/> (the lab's network-safety check) sees every host that would be contacted, the jump hosts and
/// the target, before anything is sent; its refusal is the failure.
/// </summary>
public sealed class RouteNodeConnector : INodeConnector
{
    private readonly SshRouteResolver _resolver;
    private readonly Func<string, string?> _addressOf;
    private readonly string _defaultUser;
    private readonly Func<string, CancellationToken, Task<string?>>? _guard;
    private readonly Func<SshRoute, CancellationToken, Task<SshConnectResult>> _connect;

    /// <param name="resolver">Flags and ssh_config, as for preflight.</param>
    /// <param name="addressOf">The node's default address (null: the node name is the host).</param>
    /// <param name="defaultUser">The login user when neither flags nor ssh_config name one.</param>
    /// <param name="guard">Null when an address may be contacted, else why not.</param>
    /// <param name="timeProvider">For the connect timeouts.</param>
    public RouteNodeConnector(
        SshRouteResolver resolver,
        Func<string, string?> addressOf,
        string defaultUser,
        Func<string, CancellationToken, Task<string?>>? guard = null,
        TimeProvider? timeProvider = null)
        : this(resolver, addressOf, defaultUser, guard, (route, ct) =>
            new SshConnector(route.Options, timeProvider).ConnectAsync(route.Target, route.Jumps, ct))
    {
    }

    /// <summary>Tests replace the connection itself.</summary>
    internal RouteNodeConnector(
        SshRouteResolver resolver,
        Func<string, string?> addressOf,
        string defaultUser,
        Func<string, CancellationToken, Task<string?>>? guard,
        Func<SshRoute, CancellationToken, Task<SshConnectResult>> connect)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(addressOf);
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultUser);
        _resolver = resolver;
        _addressOf = addressOf;
        _defaultUser = defaultUser;
        _guard = guard;
        _connect = connect;
    }

    /// <summary>Where <paramref name="node"/> would be reached (no network).</summary>
    public SshRoute RouteTo(string node)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        var address = _addressOf(node) is { Length: > 0 } known ? known : node;
        return _resolver.Resolve(node, address, 22, _defaultUser);
    }

    public async Task<SshConnectResult> ConnectAsync(string node, CancellationToken cancellationToken)
    {
        var route = RouteTo(node);
        if (_guard is not null)
        {
            foreach (var host in route.Jumps.Select(j => j.Host).Append(route.Target.Address))
            {
                if (await _guard(host, cancellationToken).ConfigureAwait(false) is { } refusal)
                {
                    return SshConnectResult.Failed(new SshFailure(SshFailureKind.InvalidHost, refusal));
                }
            }
        }

        var connected = await _connect(route, cancellationToken).ConfigureAwait(false);
        return connected.Failure is { } failure && !failure.Message.Contains(route.Endpoint, StringComparison.Ordinal)
            ? SshConnectResult.Failed(failure with { Message = $"{route.Endpoint}: {failure.Message}" })
            : connected;
    }
}
