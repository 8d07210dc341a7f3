using System.CommandLine;
using EbpfConsole.Cli.Connect;
using EbpfConsole.Core.Events;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Journal;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Lab;

namespace EbpfConsole.Cli.Migrate;

/// <summary>
/// `migrate plan|status|apply|rollback|journal`: the guided migration M0–M10 from the command line, journalled per
/// cluster context. Exit codes: 0 done (or nothing to do, or a dry run the server accepted); 1 refused, blocked,
/// conflict, verify failed; 2 usage, cluster or journal unusable, or a change failed mid-way (the journal says what was done).
/// </summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "The guided migration to Calico eBPF (and DSR): plan, status, apply, rollback, journal");
        migrate.Subcommands.Add(Plan(status: false));
        migrate.Subcommands.Add(Plan(status: true));
        migrate.Subcommands.Add(MigrateApply.Create());
        migrate.Subcommands.Add(MigrateRollback.Create());
        migrate.Subcommands.Add(Journal());
        return migrate;
    }

    private static Command Plan(bool status)
    {
        var options = new MigrateOptions();
        var command = new Command(
            status ? "status" : "plan",
            status ? "Where each step stands (checked live against the cluster and the journal)" : "The steps for this cluster, and what each would change now");
        options.AddCommon(command, json: true);
        command.SetAction((parse, ct) => RunAsync(parse, options, changing: false, async (prepared, output) =>
        {
            var statuses = await prepared.Engine.StatusAsync(ct).ConfigureAwait(false);
            var previews = new Dictionary<StepId, StepPreview>();
            if (!status)
            {
                foreach (var s in statuses.Where(s => s.State is StepState.Pending or StepState.Failed or StepState.RolledBack or StepState.Blocked or StepState.Interrupted))
                {
                    previews[s.Step.Id] = await prepared.Engine.PreviewAsync(s.Step.Id, ct).ConfigureAwait(false);
                }
            }

            if (parse.GetValue(options.Json))
            {
                await output.WriteLineAsync(MigrateJson.Status(prepared.Engine, statuses, previews)).ConfigureAwait(false);
            }
            else
            {
                await output.WriteAsync(MigrateText.Status(prepared.Engine, statuses, previews, prepared.JournalWarnings)).ConfigureAwait(false);
            }

            return statuses.Any(s => s.State is StepState.Failed or StepState.Interrupted) ? CliApp.ChecksFailed : CliApp.Ok;
        }, ct));
        return command;
    }

    private static Command Journal()
    {
        var options = new MigrateOptions();
        var command = new Command("journal", "Every change the console made to this cluster, with the objects as they were (JSON lines with --json)");
        options.AddCommon(command, json: true);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            try
            {
                using var connection = ConsoleConnection.Open(options.Target.Read(parse), options.Ssh.Read(parse), Prompts.None);
                using var api = EbpfConsole.Cluster.ClusterConnection.Open(connection.Kubeconfig);
                var path = MigrationSetup.JournalPath(connection, api);
                using var journal = JsonLinesJournal.OpenReadOnly(path);
                var output = parse.InvocationConfiguration.Output;
                foreach (var warning in journal.Warnings)
                {
                    await error.WriteLineAsync($"ebpf-console: migrate journal: {warning}").ConfigureAwait(false);
                }

                if (parse.GetValue(options.Json))
                {
                    foreach (var entry in journal.ReadAll())
                    {
                        await output.WriteLineAsync(JournalJson.ToLine(entry)).ConfigureAwait(false);
                    }
                }
                else
                {
                    await output.WriteAsync(MigrateText.Journal(path, journal.ReadAll())).ConfigureAwait(false);
                }

                return CliApp.Ok;
            }
            catch (Exception e) when (e is ClusterUnavailableException or LabException or ConnectionSetupException or JournalException)
            {
                await error.WriteLineAsync($"ebpf-console: migrate journal: {e.Message}").ConfigureAwait(false);
                return CliApp.UsageError;
            }
        });
        return command;
    }

    /// <summary>
    /// Connects, runs preflight (node lines on stderr), builds the engine and runs <paramref name="work"/>; maps the
    /// environment's failures to one line and exit 2.
    /// </summary>
    internal static async Task<int> RunAsync(
        ParseResult parse,
        MigrateOptions options,
        bool changing,
        Func<MigrationSetup.Prepared, TextWriter, Task<int>> work,
        CancellationToken ct)
    {
        var error = parse.InvocationConfiguration.Error;
        var verb = parse.CommandResult.Command.Name;
        try
        {
            var json = parse.GetResult(options.Json) is not null && parse.GetValue(options.Json);
            using var connection = ConsoleConnection.Open(options.Target.Read(parse), options.Ssh.Read(parse), TerminalPrompts.For(json));
            using var runner = connection.CreatePreflight(new PreflightOptions());
            var log = new EventLog(TimeProvider.System);
            log.Added += e =>
            {
                if (e.Level != EventLevel.Info)
                {
                    error.WriteLine($"  {e.Source}: {e.Message}");
                }
            };
            var migration = options.Read(parse, changing);
            var proof = changing && !(parse.GetResult(options.NoProof) is not null && parse.GetValue(options.NoProof))
                ? new MigrationSetup.ProofSettings(options.ReadProofPoints(parse), options.ReadProofWindow(parse))
                : null;
            if (proof is { Points.Count: 0 } && !connection.IsLab)
            {
                await error.WriteLineAsync("  no proof captures around M4, M6, M7: give --proof-points NODE:IFACE,… (and send NodePort traffic while they run)").ConfigureAwait(false);
                proof = null;
            }

            await using var prepared = await MigrationSetup.PrepareAsync(connection, runner, migration, changing && !migration.ReadOnly, proof, log, ct).ConfigureAwait(false);
            string? last = null;
            prepared.Engine.Progress += (id, line) =>
            {
                if (line != last)
                {
                    last = line;
                    error.WriteLine($"  {id}: {line}");
                }
            };
            return await work(prepared, parse.InvocationConfiguration.Output).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ClusterUnavailableException or LabException or ConnectionSetupException or JournalException
            or Core.Migration.Api.MigrationApiException)
        {
            await error.WriteLineAsync($"ebpf-console: migrate {verb}: {e.Message}").ConfigureAwait(false);
            return CliApp.UsageError;
        }
    }
}
