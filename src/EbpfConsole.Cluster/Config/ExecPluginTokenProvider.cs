using System.Net.Http.Headers;
using k8s.Authentication;

namespace EbpfConsole.Cluster.Config;

/// <summary>
/// Bearer tokens from an exec credential plugin: the first credential (already fetched when the connection opened)
/// is used until 30 s before its expirationTimestamp, then the plugin runs again (one run shared by concurrent requests).
/// </summary>
internal sealed class ExecPluginTokenProvider(ExecCredentialPlugin plugin, ExecCredential first, TimeProvider time) : ITokenProvider
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);
    private readonly Lock _gate = new();
    private ExecCredential _current = first;
    private Task<ExecCredential>? _refreshing;

    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        var credential = _current;
        if (NeedsRefresh(credential))
        {
            Task<ExecCredential> refreshing;
            lock (_gate)
            {
                if (_refreshing is null || _refreshing.IsCompleted)
                {
                    _refreshing = Task.Run(() => plugin.RunAsync(CancellationToken.None), CancellationToken.None);
                }

                refreshing = _refreshing;
            }

            credential = await refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
            _current = credential;
        }

        return new AuthenticationHeaderValue("Bearer", credential.Token
            ?? throw new ExecCredentialException($"exec credential plugin '{plugin.Command}' stopped returning a token"));
    }

    private bool NeedsRefresh(ExecCredential credential) =>
        credential.Expires is { } expires && time.GetUtcNow() + Margin >= expires;
}
