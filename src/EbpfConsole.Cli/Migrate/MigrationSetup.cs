using System.Security.Cryptography;
using System.Text;
using EbpfConsole.Cli.Connect;
using EbpfConsole.Cli.Shell;
using EbpfConsole.Cluster;
using EbpfConsole.Cluster.Migration;
using EbpfConsole.Capture.Sources;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;
using EbpfConsole.Core.Capture.Live;
using EbpfConsole.Core.Events;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Journal;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Lab;

namespace EbpfConsole.Cli.Migrate;

/// <summary>
/// Makes a <see cref="MigrationEngine"/> for a connection: runs preflight (its fails block the steps they matter for),
/// derives the target from what it read, opens the journal of this cluster context (locked for writers), and on the
/// lab wires proof captures with the console's own traffic.
/// </summary>
internal static class MigrationSetup
{
    /// <summary>Where a cluster context's journal lives: $XDG_STATE_HOME (or ~/.local/state)/ebpf-console/migrations/; the lab's beside its API objects.</summary>
    public static string JournalPath(ConsoleConnection connection, ClusterConnection api)
    {
        if (connection.IsLab)
        {
            return LabPaths.FromEnvironment().MigrationJournalPath;
        }

        var stateHome = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        var context = api.Context ?? "in-cluster";
        var safe = new string(context.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        var server = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(api.Server)))[..8];
        return Path.Combine(stateHome, "ebpf-console", "migrations", $"{safe}-{server}.jsonl");
    }

    /// <summary>The preflight run and the engine made from it; dispose to release the journal's lock.</summary>
    public sealed class Prepared(MigrationEngine engine, PreflightSnapshot preflight, JsonLinesJournal journal, ClusterConnection api, IAsyncDisposable? capture) : IAsyncDisposable
    {
        public MigrationEngine Engine => engine;

        public PreflightSnapshot Preflight => preflight;

        public IReadOnlyList<string> JournalWarnings => journal.Warnings;

        public async ValueTask DisposeAsync()
        {
            journal.Dispose();
            api.Dispose();
            if (capture is not null)
            {
                await capture.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs preflight and builds the engine. Throws <see cref="ClusterUnavailableException"/>, <see cref="JournalException"/> (one line).</summary>
    /// <param name="connection">The cluster and its nodes.</param>
    /// <param name="runner">Preflight on that connection.</param>
    /// <param name="options">Read-only, dry run, force, node commands, verify timeout.</param>
    /// <param name="write">Open the journal for writing (apply, rollback) or read it only (plan, status, journal).</param>
    /// <param name="proof">Where and how to take proof captures; null: none.</param>
    /// <param name="log">Where capture and proof messages go.</param>
    /// <param name="cancellationToken">Cancels preflight.</param>
    public static async Task<Prepared> PrepareAsync(
        ConsoleConnection connection,
        PreflightRunner runner,
        MigrationOptions options,
        bool write,
        ProofSettings? proof,
        EventLog log,
        CancellationToken cancellationToken)
    {
        var preflight = await runner.RunAsync(null, cancellationToken).ConfigureAwait(false);
        if (preflight.Error is { } error || runner.LastFacts is not { } facts)
        {
            throw new ClusterUnavailableException(preflight.Error ?? "the cluster could not be read");
        }

        var api = ClusterConnection.Open(connection.Kubeconfig);
        JsonLinesJournal? journal = null;
        CaptureSession? capture = null;
        try
        {
            var path = JournalPath(connection, api);
            journal = write ? JsonLinesJournal.OpenForWriting(path) : JsonLinesJournal.OpenReadOnly(path);
            var target = MigrationTargets.From(facts, preflight.AllResults, connection.IsLab ? "lab" : api.Context ?? "in-cluster");
            IDatapathProof? datapathProof = null;
            if (proof is not null && write && !options.DryRun)
            {
                var nodeAddresses = (preflight.Cluster?.Nodes ?? []).Where(n => n.InternalIp is { Length: > 0 }).Select(n => (n.Name, n.InternalIp!)).ToList();
                capture = connection.IsLab ? LabCapture(log) : ClusterCapture(connection, nodeAddresses, log);
                var points = proof.Points.Count > 0 ? proof.Points : connection.IsLab ? EbpfConsole.Lab.LabCapture.Points : [];
                datapathProof = new CaptureProof(capture, () => points, connection.IsLab ? LabTraffic.SendAsync : null, TimeProvider.System, proof.Window);
            }

            var nodes = preflight.Cluster?.Nodes ?? [];
            var engine = new MigrationEngine(
                new KubernetesMigrationApi(api),
                target,
                MigrationPlan.For(target),
                journal,
                TimeProvider.System,
                options,
                connection.Shell,
                name => nodes.FirstOrDefault(n => n.Name == name) is { } node ? connection.TargetFor(node) : null,
                datapathProof);
            return new Prepared(engine, preflight, journal, api, capture);
        }
        catch
        {
            journal?.Dispose();
            api.Dispose();
            if (capture is not null)
            {
                await capture.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Proof captures: at these points (none: the lab's three; on a cluster none means no proof), waiting this long for traffic on a cluster.</summary>
    public sealed record ProofSettings(IReadOnlyList<CapturePoint> Points, TimeSpan Window);

    /// <summary>A capture session on a cluster: tcpdump over SSH as preflight reaches the nodes, analysed with the InternalIPs preflight read.</summary>
    public static CaptureSession ClusterCapture(ConsoleConnection connection, IReadOnlyList<(string Node, string Address)> nodes, EventLog log) => new(
        [],
        new CaptureSourceFactory(connection.CaptureConnector(node => nodes.FirstOrDefault(n => n.Node == node).Address), Capture.CaptureRunner.GeneralFilter),
        log,
        TimeProvider.System,
        new CaptureSessionOptions(new AnalysisOptions(new NodeDirectory(nodes))));

    /// <summary>A capture session at the lab's three points, analysed with the lab's node names (as the console's).</summary>
    public static CaptureSession LabCapture(EventLog log) => new(
        EbpfConsole.Lab.LabCapture.Points,
        LabCaptureSources.Create(LabPaths.FromEnvironment()),
        log,
        TimeProvider.System,
        new CaptureSessionOptions(new AnalysisOptions(LabCaptureSources.Directory(), LabTopology.NodePort)));
}
