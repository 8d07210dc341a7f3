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

    internal TimeProvider TimeProvider => _timeProvider;

    /// <summary>
    /// Connects and authenticates as <see cref="NodeTarget.User"/>; on success the caller owns (disposes) the session.
    /// A host that is not a plain host name or IP address fails as <see cref="SshFailureKind.InvalidHost"/> before any network access.
    /// </summary>
    public Task<SshConnectResult> ConnectAsync(NodeTarget target, CancellationToken cancellationToken) =>
        ConnectAsync(target, [], cancellationToken);

    /// <summary>
    /// Connects to <paramref name="target"/> through <paramref name="jumps"/> (ProxyJump, first hop first): each hop's
    /// host key is checked like the target's (same known_hosts, same policy), and the target's key is checked under the
    /// target's own name and port although the connection runs through a forwarded port on 127.0.0.1. A failure names the
    /// hop that failed. Each hop (and the target) has <see cref="SshConnectionOptions.ConnectTimeout"/>.
    /// </summary>
    public Task<SshConnectResult> ConnectAsync(NodeTarget target, IReadOnlyList<SshHop> jumps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(jumps);
        if (HostNames.Problem(target.Address) is { } invalid)
        {
            return Task.FromResult(SshConnectResult.Failed(new SshFailure(SshFailureKind.InvalidHost, $"{invalid} — not connecting")));
        }

        if (jumps.Select(j => HostNames.Problem(j.Host)).FirstOrDefault(p => p is not null) is { } invalidJump)
        {
            return Task.FromResult(SshConnectResult.Failed(new SshFailure(SshFailureKind.InvalidHost, $"jump host: {invalidJump} — not connecting")));
        }

        return jumps.Count == 0 ? ConnectDirectAsync(target, cancellationToken) : new SshJumpChain(this, target, jumps).ConnectAsync(cancellationToken);
    }

    private async Task<SshConnectResult> ConnectDirectAsync(NodeTarget target, CancellationToken cancellationToken)
    {
        var hop = await ConnectHopAsync(target, target.Address, target.Port, Options.IdentityFiles, null, cancellationToken).ConfigureAwait(false);
        return hop.Failure is { } failure
            ? SshConnectResult.Failed(failure)
            : SshConnectResult.Ok(new SshSession(hop.Client!, hop.Keys!, target, hop.Verdict!, Options.CommandTimeout, _timeProvider));
    }

    /// <summary>
    /// One SSH connection to <paramref name="connectHost"/>:<paramref name="connectPort"/> whose host key is checked as
    /// that of <paramref name="verifyAs"/> (its Address and Port), logging in as verifyAs.User with
    /// <paramref name="identityFiles"/>. <paramref name="forwardProblem"/> explains a failure of a connection that runs
    /// through a jump host's forwarded port (null when the exception is not about the forward). On success the caller
    /// owns client and keys.
    /// </summary>
    internal async Task<HopConnection> ConnectHopAsync(
        NodeTarget verifyAs, string connectHost, int connectPort, IReadOnlyList<string> identityFiles, Func<Exception, string?>? forwardProblem, CancellationToken cancellationToken)
    {
        var target = verifyAs;
        var endpoint = HostKeysText.Endpoint(target.Address, target.Port);
        var keys = IdentityKeys.Load(identityFiles, Options.Passphrase);
        if (keys.Keys.Count == 0)
        {
            keys.Dispose();
            return HopConnection.Failed(new SshFailure(SshFailureKind.KeyFileProblem,
                $"no usable private key to log in as {target.User}@{endpoint}: {string.Join("; ", keys.Skipped)}"));
        }

        var info = new ConnectionInfo(connectHost, connectPort, target.User, keys.CreateAuthentication(target.User))
        {
            Timeout = Options.ConnectTimeout,
        };
        ConfigureHostKeyAlgorithms(info.HostKeyAlgorithms, HostKeys.KnownKeyTypes(target.Address, target.Port));
        ConfigureKeyExchangeAlgorithms(info.KeyExchangeAlgorithms);
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
                return new HopConnection(client, keys, accepted, null);
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
        catch (Exception ex) when (IsConnectFailure(ex) && forwardProblem?.Invoke(ex) is { } problem)
        {
            failure = new SshFailure(SshFailureKind.ConnectionRefused, $"cannot reach {endpoint}: {problem}");
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
        return HopConnection.Failed(failure);
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

    /// <summary>
    /// Key exchange preference: ML-KEM hybrid (post-quantum, OpenSSH ≥ 9.9), then curve25519, then the rest, with
    /// sntrup761x25519 (post-quantum, OpenSSH 9.0–9.8's default) last but still offered. SSH.NET computes sntrup761 in
    /// managed BouncyCastle code: perf showed it was half of the console's CPU when preflight fanned out to 50 lab nodes
    /// (OpenSSH 9.2), i.e. about 50 ms of CPU per connection; curve25519 costs a fraction of a millisecond. Servers that offer
    /// ML-KEM keep a post-quantum exchange; 9.0–9.8 servers get curve25519, OpenSSH's default before 9.0.
    /// </summary>
    internal static void ConfigureKeyExchangeAlgorithms<TValue>(IDictionary<string, TValue> algorithms)
    {
        static int Rank(string name) => name switch
        {
            _ when name.StartsWith("mlkem", StringComparison.Ordinal) => 0,
            _ when name.StartsWith("curve25519", StringComparison.Ordinal) => 1,
            _ when name.StartsWith("sntrup", StringComparison.Ordinal) => 3,
            _ => 2,
        };
        var ordered = algorithms.OrderBy(a => Rank(a.Key)).ToList(); // stable: keeps SSH.NET's order within a rank
        algorithms.Clear();
        foreach (var (name, factory) in ordered)
        {
            algorithms.Add(name, factory);
        }
    }

    internal static bool IsConnectFailure(Exception ex) =>
        ex is SocketException or SshException or IOException or TimeoutException or ProxyException;

    /// <summary>An open, authenticated client with its keys and host key verdict, or the failure.</summary>
    internal sealed record HopConnection(SshClient? Client, IdentityKeys? Keys, HostKeyVerdict? Verdict, SshFailure? Failure)
    {
        public static HopConnection Failed(SshFailure failure) => new(null, null, null, failure);
    }

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
