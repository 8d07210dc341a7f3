using System.CommandLine;
using EbpfConsole.Capture.Sources;
using EbpfConsole.Cli.Capture;
using EbpfConsole.Cli.Connect;
using EbpfConsole.Cli.Migrate;
using EbpfConsole.Core.Capture.Analysis;
using EbpfConsole.Core.Capture.Live;
using EbpfConsole.Core.Events;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Core.Shell;
using EbpfConsole.Lab;
using EbpfConsole.Tui;

namespace EbpfConsole.Cli.Shell;

/// <summary>
/// `ebpf-console [--lab] [--kubeconfig FILE] [--context NAME] [SSH options]`: the full-screen console on a cluster (the
/// kubeconfig as kubectl finds it) or, with --lab, on the lab. The Nodes pane runs preflight at once; an unknown host key
/// or a key's passphrase is asked in a dialog. The Capture pane has no default points on a cluster (S chooses them,
/// NODE:IFACE); a point's node is reached as preflight reaches it (<see cref="ConsoleConnection.CaptureConnector"/>).
/// </summary>
internal static class ClusterConsole
{
    /// <summary>How long a dialog waits for the user before the SSH attempt gives up on that node.</summary>
    private static readonly TimeSpan QuestionLimit = TimeSpan.FromSeconds(40);

    public static void Configure(RootCommand root)
    {
        var target = new TargetOptions();
        var ssh = new SshCliOptions();
        var readOnly = new Option<bool>("--read-only") { Description = "Refuse every change (the console shows READ-ONLY)" };
        var noColor = new Option<bool>("--no-color") { Description = "Monochrome (also when NO_COLOR is set)" };
        target.AddTo(root);
        ssh.AddTo(root);
        root.Options.Add(readOnly);
        root.Options.Add(noColor);
        root.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var options = new ConsoleOptions
            {
                NoColor = parse.GetValue(noColor) || ConsoleOptions.NoColorRequested(Environment.GetEnvironmentVariable),
            };
            var clusterTarget = target.Read(parse);
            try
            {
                return clusterTarget.Lab
                    ? await LabConsole.RunAsync(parse.GetValue(readOnly), options, error, ct).ConfigureAwait(false)
                    : await RunAsync(clusterTarget, ssh.Read(parse), parse.GetValue(readOnly), options).ConfigureAwait(false);
            }
            catch (Exception e) when (e is LabException or ConnectionSetupException or ClusterUnavailableException)
            {
                await error.WriteLineAsync($"ebpf-console: {e.Message}").ConfigureAwait(false);
                return CliApp.UsageError;
            }
        });
    }

    private static async Task<int> RunAsync(ClusterTarget target, SshFlags flags, bool readOnly, ConsoleOptions consoleOptions)
    {
        var time = TimeProvider.System;
        var log = new EventLog(time);
        var stateDir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "ebpf-console");
        Directory.CreateDirectory(stateDir);
        using var logFile = new EventLogFile(log, Path.Combine(stateDir, "console.log"));
        var questions = new UserQuestions();
        var prompts = new Prompts(
            q => questions.Ask("Unknown host key", $"{q}\n\nTrust this key and add it to known_hosts?", QuestionKind.YesNo, QuestionLimit, CancellationToken.None) == "yes",
            path => questions.Ask("Key passphrase", $"Enter the passphrase for key '{path}' (Skip to try other keys).", QuestionKind.Secret, QuestionLimit, CancellationToken.None));
        using var connection = ConsoleConnection.Open(target, flags, prompts, QuestionLimit + TimeSpan.FromSeconds(5));
        foreach (var note in connection.Notes)
        {
            log.Warn("ssh", note);
        }

        log.Info("console", $"log file: {logFile.FilePath}");
        using var preflight = connection.CreatePreflight(ConsoleConnection.ConsolePreflight, time);
        await using var session = new ConsoleSession(
            connection.Name,
            [],
            new NoNodeProbe(),
            null,
            log,
            time,
            ConsoleSessionOptions.Default with { ReadOnly = readOnly },
            preflight,
            questions);
        session.Start();
        await using var capture = new CaptureSession(
            [],
            new CaptureSourceFactory(connection.CaptureConnector(node => InternalIp(preflight, node)), CaptureRunner.GeneralFilter),
            log,
            time,
            new CaptureSessionOptions(new AnalysisOptions(new NodeDirectory([])))
            {
                // Node names for the analysis: the InternalIPs preflight read last (none yet: the analysis infers them).
                NodesAtStart = () => new NodeDirectory(
                    (preflight.Latest.Cluster?.Nodes ?? []).Where(n => n.InternalIp is { Length: > 0 }).Select(n => (n.Name, n.InternalIp!))),
            });
        using var migration = ConsoleMigration.Create(connection, preflight, capture, log, readOnly, time);
        _ = migration.Session.RefreshAsync(CancellationToken.None); // waits for the first preflight run, then checks every step
        return await Task.Factory.StartNew(
            () => ConsoleApp.Run(session, capture, migration.Session, consoleOptions with { Time = time }),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).ConfigureAwait(false);
    }

    /// <summary>The node's InternalIP as preflight last read it (null before the first read or for a name it does not know).</summary>
    private static string? InternalIp(PreflightRunner preflight, string node) =>
        preflight.Latest.Cluster?.Nodes.FirstOrDefault(n => string.Equals(n.Name, node, StringComparison.Ordinal))?.InternalIp;

    /// <summary>On a cluster the Nodes pane's SSH state comes from preflight itself: there is no separate periodic probe.</summary>
    private sealed class NoNodeProbe : INodeProbe
    {
        public Task<NodeStatus> ProbeAsync(NodeTarget target, CancellationToken cancellationToken) =>
            Task.FromResult(NodeStatus.NotYetChecked(target));
    }
}
