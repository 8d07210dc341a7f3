using EbpfConsole.Cli.Connect;
using EbpfConsole.Cluster;
using EbpfConsole.Cluster.Migration;
using EbpfConsole.Core.Capture.Live;
using EbpfConsole.Core.Events;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Journal;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Lab;

namespace EbpfConsole.Cli.Migrate;

/// <summary>
/// The console's Checklist pane: a <see cref="MigrationSession"/> whose engine is made from the console's own preflight
/// (waiting for its first run), with the cluster context's journal held for the console's lifetime. When another
/// process holds the journal the checklist opens read-only and says why. On the lab, datapath steps are proven with
/// the Capture pane's own session and the console's own traffic.
/// </summary>
internal sealed class ConsoleMigration : IDisposable
{
    private const string LogSource = "migrate";
    private readonly ClusterConnection _api;
    private readonly JsonLinesJournal _journal;

    private ConsoleMigration(ClusterConnection api, JsonLinesJournal journal, MigrationSession session)
    {
        _api = api;
        _journal = journal;
        Session = session;
    }

    public MigrationSession Session { get; }

    /// <summary>Opens the API connection and the journal (no network yet). Throws <see cref="ClusterUnavailableException"/> for a bad kubeconfig.</summary>
    public static ConsoleMigration Create(ConsoleConnection connection, PreflightRunner preflight, CaptureSession? capture, EventLog log, bool readOnly, TimeProvider time)
    {
        var api = ClusterConnection.Open(connection.Kubeconfig);
        var path = MigrationSetup.JournalPath(connection, api);
        JsonLinesJournal journal;
        try
        {
            journal = readOnly ? JsonLinesJournal.OpenReadOnly(path) : JsonLinesJournal.OpenForWriting(path);
        }
        catch (JournalException e)
        {
            log.Warn(LogSource, $"{e.Message}: the checklist is read-only");
            readOnly = true;
            journal = JsonLinesJournal.OpenReadOnly(path);
        }

        foreach (var warning in journal.Warnings)
        {
            log.Warn(LogSource, warning);
        }

        var options = new MigrationOptions(ReadOnly: readOnly);
        // The lab: its three points and the console's own curl. A cluster: the points of the Capture pane's last capture,
        // waiting for the NodePort traffic that flows anyway (none started yet: the step says so and goes on without proof).
        IDatapathProof? proof = capture is null
            ? null
            : connection.IsLab
                ? new CaptureProof(capture, () => EbpfConsole.Lab.LabCapture.Points, LabTraffic.SendAsync, time, TimeSpan.FromSeconds(5))
                : new CaptureProof(capture, () => capture.LastPoints, null, time, TimeSpan.FromSeconds(10));
        var context = connection.IsLab ? "lab" : api.Context ?? "in-cluster";
        var session = new MigrationSession(
            async ct =>
            {
                var run = await FinishedPreflightAsync(preflight, time, ct).ConfigureAwait(false);
                if (run.Error is not null || preflight.LastFacts is not { } facts)
                {
                    throw new ClusterUnavailableException(run.Error ?? "the cluster has not been read yet");
                }

                var target = MigrationTargets.From(facts, run.AllResults, context);
                var nodes = run.Cluster?.Nodes ?? [];
                return new MigrationEngine(
                    new KubernetesMigrationApi(api),
                    target,
                    MigrationPlan.For(target),
                    journal,
                    time,
                    options,
                    connection.Shell,
                    name => nodes.FirstOrDefault(n => n.Name == name) is { } node ? connection.TargetFor(node) : null,
                    proof);
            },
            log);
        return new ConsoleMigration(api, journal, session);
    }

    public void Dispose()
    {
        Session.Dispose();
        _journal.Dispose();
        _api.Dispose();
    }

    /// <summary>The console runs preflight at start: wait for a finished run (the migration plan needs its verdicts).</summary>
    private static async Task<PreflightSnapshot> FinishedPreflightAsync(PreflightRunner preflight, TimeProvider time, CancellationToken ct)
    {
        while (true)
        {
            var latest = preflight.Latest;
            if (!latest.Running && latest.FinishedAt is not null)
            {
                return latest;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, ct).ConfigureAwait(false);
        }
    }
}
