using System.CommandLine;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Preview;

namespace EbpfConsole.Cli.Migrate;

/// <summary>`migrate rollback --to M2 | --all`: undo the steps applied after M2 (or all), restoring the journal's objects.</summary>
internal static class MigrateRollback
{
    public static Command Create()
    {
        var options = new MigrateOptions();
        var to = MigrateOptions.StepOption("--to", "Keep this step and the ones before it; undo every step applied after it");
        var all = new Option<bool>("--all") { Description = "Undo every step: the touched objects are restored to the M0 snapshot" };
        var command = new Command("rollback", "Undo applied steps, newest first, from the journal (the preview is printed, you confirm)") { to, all };
        options.AddCommon(command, json: false);
        options.AddChanging(command);
        command.Validators.Add(result =>
        {
            if ((result.GetValue(to) is null) == !result.GetValue(all))
            {
                result.AddError("say which: --to ID or --all");
            }
        });
        command.SetAction((parse, ct) => MigrateCommand.RunAsync(parse, options, changing: true, async (prepared, output) =>
        {
            var engine = prepared.Engine;
            StepId? target = StepIds.TryParse(parse.GetValue(to), out var id) ? id : null;
            var plan = await engine.PreviewRollbackAsync(target, ct).ConfigureAwait(false);
            if (plan.IsEmpty)
            {
                await output.WriteLineAsync(target is null ? "nothing to roll back: the journal has no change in force" : $"nothing to roll back after {target}").ConfigureAwait(false);
                return CliApp.Ok;
            }

            foreach (var line in PreviewText.Lines(plan))
            {
                await output.WriteLineAsync($"   {line}").ConfigureAwait(false);
            }

            await output.FlushAsync(ct).ConfigureAwait(false);
            var steps = string.Join(", ", plan.Steps.Select(s => s.Step));
            if (!engine.Options.ReadOnly && !engine.Options.DryRun
                && !Confirmation.Ask($"Roll back {steps} on {engine.Target.Context}?", parse.GetValue(options.Yes), parse.InvocationConfiguration.Error))
            {
                await output.WriteLineAsync("not rolled back").ConfigureAwait(false);
                return CliApp.ChecksFailed;
            }

            var code = CliApp.Ok;
            foreach (var outcome in await engine.RollbackAsync(plan, ct).ConfigureAwait(false))
            {
                await output.WriteAsync(MigrateText.Outcome(outcome)).ConfigureAwait(false);
                code = Math.Max(code, MigrateText.ExitCode(outcome));
            }

            if (code == CliApp.Ok && target is null && !engine.Options.DryRun && !engine.Options.ReadOnly)
            {
                var differences = await engine.CompareWithSnapshotAsync(ct).ConfigureAwait(false);
                await output.WriteLineAsync(differences.Count == 0
                    ? "✓ every touched object equals its M0 snapshot (server-owned fields aside)"
                    : $"! differs from the M0 snapshot:\n{string.Join('\n', differences.Select(d => $"   {d}"))}").ConfigureAwait(false);
                code = differences.Count == 0 ? code : CliApp.ChecksFailed;
            }

            return code;
        }, ct));
        return command;
    }
}
