using System.Net.Sockets;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.KnownHosts;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace EbpfConsole.Nodes.Ssh;

/// <summary>
/// Opens key-authenticated SSH connections whose host keys are checked against OpenSSH known_hosts
/// (SSH.NET has none of its own). Expected failures are <see cref="SshFailure"/> results, never exceptions;
/// only cancellation by the caller throws <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class SshConnector
{
    private readonly TimeProvider _timeProvider;

    public SshConnector(SshConnectionOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        HostKeys = new HostKeyVerifier(
            options.HostKeyPolicy, options.KnownHostsFiles, options.AskHostKey, options.HashNewKnownHosts, options.GlobalKnownHostsFiles);
    }

    public SshConnectionOptions Options { get; }

    public HostKeyVerifier HostKeys { get; }

    /// <summary>
    /// Connects and authenticates as <see cref="NodeTarget.User"/>; on success the caller owns (disposes) the session.
    /// A host that is not a plain host name or IP address fails as <see cref="SshFailureKind.InvalidHost"/> before any network access.
    /// </summary>
    public async Task<SshConnectResult> ConnectAsync(NodeTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (HostNames.Problem(target.Address) is { } invalid)
        {
            return SshConnectResult.Failed(new SshFailure(SshFailureKind.InvalidHost, $"{invalid} — not connecting"));
        }

        var endpoint = HostKeysText.Endpoint(target.Address, target.Port);
        var keys = IdentityKeys.Load(Options.IdentityFiles);
        if (keys.Keys.Count == 0)
        {
            keys.Dispose();
            return SshConnectResult.Failed(new SshFailure(SshFailureKind.KeyFileProblem,
                $"no usable private key to log in as {target.User}@{endpoint}: {string.Join("; ", keys.Skipped)}"));
        }

        var info = new ConnectionInfo(target.Address, target.Port, target.User, keys.CreateAuthentication(target.User))
        {
            Timeout = Options.ConnectTimeout,
        };
        ConfigureHostKeyAlgorithms(info.HostKeyAlgorithms, HostKeys.KnownKeyTypes(target.Address, target.Port));
        var client = new SshClient(info);
        using var timeout = new CancellationTokenSource(Options.ConnectTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
        var attemptEnded = attempt.Token; // read now: the handler may still run (in Ask) after this method disposed the source
        HostKeyVerdict? verdict = null;
        client.HostKeyReceived += (_, e) =>
        {
            var v = CheckHostKey(target, endpoint, e, attemptEnded);
            if (Volatile.Read(ref verdict) is null or { Trusted: true })
            {
                Volatile.Write(ref verdict, v);
            }

            e.CanTrust = v.Trusted;
        };

        SshFailure failure;
        try
        {
            await client.ConnectAsync(linked.Token).ConfigureAwait(false);
            var accepted = Volatile.Read(ref verdict);
            if (accepted is { Trusted: true })
            {
                return SshConnectResult.Ok(new SshSession(client, keys, target, accepted, Options.CommandTimeout, _timeProvider));
            }

            failure = new SshFailure(SshFailureKind.ProtocolError, $"SSH to {endpoint}: connected without a verified host key");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await attempt.CancelAsync().ConfigureAwait(false);
            client.Dispose();
            keys.Dispose();
            throw;
        }
        catch (Exception ex) when (Volatile.Read(ref verdict) is { Trusted: false } refused && IsConnectFailure(ex))
        {
            failure = new SshFailure(KindOf(refused.Status), refused.Message!);
        }
        catch (OperationCanceledException)
        {
            failure = SshErrors.TimedOut(endpoint, Options.ConnectTimeout);
        }
        catch (Exception ex) when (IsConnectFailure(ex))
        {
            failure = SshErrors.Classify(ex, target.User, target.Address, endpoint, Options.ConnectTimeout, keys.Tried, keys.Skipped);
        }

        await attempt.CancelAsync().ConfigureAwait(false);
        client.Dispose();
        keys.Dispose();
        return SshConnectResult.Failed(failure);
    }

    /// <summary>
    /// Removes the host certificate algorithms (<c>*-cert-v01@openssh.com</c>, which SSH.NET offers first) and moves the
    /// algorithms of key types known_hosts already lists for the host to the front, as OpenSSH does, so a host listed
    /// with (say) only its ECDSA key is not asked for its ed25519 key and refused as unknown.
    /// Host certificate authorities are NOT supported (no @cert-authority): a certificate's CA signature, principals and
    /// validity would go unchecked, and whether HostKeyReceived then gets the certificate or the plain key inside it is
    /// SSH.NET's undocumented choice (2026.0.0 passes the plain key). Without certificate algorithms the server must
    /// present its plain key, which is checked as usual. Cost: a server that offers ONLY certificate host key algorithms
    /// cannot be reached (OpenSSH would check the plain key inside the certificate and connect).
    /// </summary>
    internal static void ConfigureHostKeyAlgorithms<TValue>(IDictionary<string, TValue> algorithms, IReadOnlySet<string> knownKeyTypes)
    {
        var ordered = algorithms
            .Where(a => !SshKeys.IsCertificate(a.Key))
            .OrderBy(a => knownKeyTypes.Contains(SshKeys.NormalizeKeyType(a.Key)) ? 0 : 1)
            .ToList();
        algorithms.Clear();
        foreach (var (name, factory) in ordered)
        {
            algorithms.Add(name, factory);
        }
    }

    private static bool IsConnectFailure(Exception ex) =>
        ex is SocketException or SshException or IOException or TimeoutException or ProxyException;

    private static SshFailureKind KindOf(HostKeyStatus status) => status switch
    {
        HostKeyStatus.Changed => SshFailureKind.HostKeyChanged,
        HostKeyStatus.Revoked => SshFailureKind.HostKeyRevoked,
        HostKeyStatus.Unknown => SshFailureKind.HostKeyUnknown,
        _ => SshFailureKind.HostKeyNotAdded,
    };

    private HostKeyVerdict CheckHostKey(NodeTarget target, string endpoint, HostKeyEventArgs e, CancellationToken attemptEnded)
    {
        try
        {
            return HostKeys.Verify(target.Address, target.Port, e.HostKey, e.HostKeyName, attemptEnded);
        }
#pragma warning disable CA1031 // Runs on SSH.NET's receive thread: any failure (e.g. in the Ask callback) must refuse the key, not escape.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new HostKeyVerdict(false, HostKeyStatus.Unknown, e.HostKeyName, "SHA256:" + e.FingerPrintSHA256,
                $"host key for {endpoint} could not be checked: {ex.Message} — refusing to connect");
        }
    }
}
