using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Live;

namespace EbpfConsole.Core.Migration;

/// <summary>
/// Proof by capture on the console's own <see cref="CaptureSession"/> (so the pins show in the Capture pane): capture
/// at the points, send traffic once every point listens (the lab: the console's own curl from the client) or wait for
/// the user's traffic for <paramref name="window"/>, stop, pin under the state's name and read the verdict.
/// </summary>
/// <param name="capture">The console's capture session (a running capture is stopped first: the log says so).</param>
/// <param name="points">Where to capture, asked at each proof (the console: the points of the Capture pane's last capture); none → not available.</param>
/// <param name="traffic">Sends NodePort traffic; null → wait for traffic that flows anyway.</param>
/// <param name="time">Clock.</param>
/// <param name="window">How long to wait for traffic when the console does not send it.</param>
public sealed class CaptureProof(
    CaptureSession capture,
    Func<IReadOnlyList<CapturePoint>> points,
    Func<CancellationToken, Task>? traffic,
    TimeProvider time,
    TimeSpan window) : IDatapathProof
{
    private static readonly TimeSpan ReadyLimit = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(600);

    public bool Available => points().Count > 0;

    public bool SendsTraffic => traffic is not null;

    public async Task<ProofCapture> CaptureAsync(string name, CancellationToken cancellationToken)
    {
        var at = points();
        try
        {
            await capture.StartAsync(at, cancellationToken).ConfigureAwait(false);
            try
            {
                await capture.Ready.WaitAsync(ReadyLimit, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Points that never became ready say why in their stats; capture with the others.
            }

            if (traffic is not null)
            {
                await traffic(cancellationToken).ConfigureAwait(false);
                await Task.Delay(Settle, time, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Task.Delay(window, time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await capture.StopAsync().ConfigureAwait(false);
        }

        capture.Pin(name);
        var pinned = capture.Pinned.Last(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        var failed = pinned.Points.Where(p => p.Error is not null).Select(p => $"{p.Point}: {p.Error}").ToList();
        var verdict = pinned.Classification.Verdict;
        var summary = pinned.Connections.Count == 0
            ? $"{name}: no NodePort connection seen ({pinned.Packets} packets)"
            : $"{name}: {verdict.ToName()} over {pinned.Connections.Count} connection(s): {pinned.Classification.Evidence}";
        return new ProofCapture(name, verdict, pinned.Connections.Count, summary, failed.Count == at.Count && failed.Count > 0 ? string.Join("; ", failed) : null);
    }
}
