using System.CommandLine;
using EbpfConsole.Cli.Connect;
using EbpfConsole.Cli.Lab;
using EbpfConsole.Cli.Migrate;
using EbpfConsole.Core.Capture.Analysis;
using EbpfConsole.Core.Capture.Live;
using EbpfConsole.Core.Events;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Shell;
using EbpfConsole.Lab;
using EbpfConsole.Nodes;
using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.Ssh;
using EbpfConsole.Tui;

namespace EbpfConsole.Cli.Shell;

/// <summary>
/// `ebpf-console lab`: brings the lab up when needed and opens the full-screen console on it. The lab's
/// nodes are reached over SSH exactly like real ones: the lab's key, its known_hosts, strict checking.
/// </summary>
internal static class LabConsole
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var readOnly = new Option<bool>("--read-only") { Description = "Refuse every change (the console shows READ-ONLY)" };
        var noColor = new Option<bool>("--no-color") { Description = "Monochrome (also when NO_COLOR is set)" };
        var lab = new Command("lab", "Open the console on the built-in lab (brought up if needed); subcommands manage the lab")
        {
            readOnly,
            noColor,
        };
        foreach (var verb in LabVerbs.Create())
        {
            lab.Subcommands.Add(verb);
        }

        lab.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var error = pr.InvocationConfiguration.Error;
            try
            {
                var options = new ConsoleOptions
                {
                    NoColor = pr.GetValue(noColor) || ConsoleOptions.NoColorRequested(Environment.GetEnvironmentVariable),
                };
                return await RunAsync(pr.GetValue(readOnly), options, error, ct).ConfigureAwait(false);
            }
            catch (LabException e)
            {
                await error.WriteLineAsync($"ebpf-console: {e.Message}").ConfigureAwait(false);
                return CliApp.UsageError;
            }
        });
        return lab;
    }

    /// <summary>Brings the lab up if needed and runs the console on it (also `ebpf-console --lab`).</summary>
    internal static async Task<int> RunAsync(bool readOnly, ConsoleOptions consoleOptions, TextWriter error, CancellationToken ct)
    {
        var paths = LabPaths.FromEnvironment();
        var startup = new LabService(paths, new ProcessRunner(), message => error.WriteLine($"lab: {message}"));
        var status = await startup.EnsureUpAsync(ct).ConfigureAwait(false);

        var time = TimeProvider.System;
        var log = new EventLog(time);
        using var logFile = new EventLogFile(log, Path.Combine(paths.StateDir, "console.log"));
        var lab = new LabService(paths, new ProcessRunner(), message => log.Info("lab", message));
        log.Info("lab", $"lab is up: nodes {string.Join(", ", status.Nodes.Select(n => $"{n.Name} {n.Ip}"))}; state in {paths.StateDir}");
        // The path first: at 80 columns the rest of the line is cut.
        log.Info("lab", $"kubeconfig {status.Kubeconfig ?? paths.KubeconfigPath} (API server {status.ApiServerUrl}, scenario {status.Scenario ?? "?"})");
        log.Info("console", $"log file: {logFile.FilePath}");

        var ssh = LabCaptureSources.Ssh(paths);
        var targets = status.Nodes.Select(n => new NodeTarget(n.Name, n.Ip)).ToArray();
        using var probe = new SshNodeProbe(ssh, time);
        using var connection = ConsoleConnection.Open(new ClusterTarget(true, null, null), SshFlags.None, Prompts.None);
        using var preflight = connection.CreatePreflight(ConsoleConnection.ConsolePreflight, time);
        await using var session = new ConsoleSession(
            "lab",
            targets,
            new LabOnlyProbe(probe),
            new LabDatapathControl(lab),
            log,
            time,
            ConsoleSessionOptions.Default with { ProbeInterval = ProbeInterval, ReadOnly = readOnly },
            preflight);
        session.Start();
        await using var capture = new CaptureSession(
            LabCapture.Points,
            LabCaptureSources.Create(paths),
            log,
            time,
            new CaptureSessionOptions(new AnalysisOptions(LabCaptureSources.Directory(), LabTopology.NodePort)));
        using var migration = ConsoleMigration.Create(connection, preflight, capture, log, readOnly, time);
        _ = migration.Session.RefreshAsync(CancellationToken.None); // waits for the first preflight run, then checks every step

        // The UI loop gets its own thread: after the awaits above this method runs on a thread-pool worker,
        // which Terminal.Gui would then hold for the whole session while SSH.NET and the capture need the pool.
        return await Task.Factory.StartNew(
            () => ConsoleApp.Run(session, capture, migration.Session, consoleOptions with { Time = time }),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).ConfigureAwait(false);
    }
}
