using System.CommandLine;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Preview;

namespace EbpfConsole.Cli.Migrate;

/// <summary>`migrate apply --step M6 | --all`: preview, confirm, apply, verify (proof captures around datapath steps on the lab).</summary>
internal static class MigrateApply
{
    public static Command Create()
    {
        var options = new MigrateOptions();
        var step = MigrateOptions.StepOption("--step", "The step to apply: M0 … M8, M10 (an interrupted step resumes)");
        var all = new Option<bool>("--all") { Description = "Every step of the plan in order (M10 excepted), stopping at the first that does not verify" };
        var command = new Command("apply", "Apply a step (or all): the preview is printed, you confirm, the change is journalled and verified") { step, all };
        options.AddCommon(command, json: false);
        options.AddChanging(command);
        command.Options.Add(options.NodeCommands);
        command.Validators.Add(result =>
        {
            if ((result.GetValue(step) is null) == !result.GetValue(all))
            {
                result.AddError("say which: --step ID or --all");
            }
        });
        command.SetAction((parse, ct) => MigrateCommand.RunAsync(parse, options, changing: true, async (prepared, output) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var engine = prepared.Engine;
            IEnumerable<MigrationStep> steps = parse.GetValue(all)
                ? engine.Plan.Where(s => !s.OnDemandOnly && s.NotApplicableReason(engine.Target) is null)
                : [engine.Step(StepIds.TryParse(parse.GetValue(step), out var id) ? id : StepId.M0)];
            foreach (var s in steps)
            {
                var code = await ApplyOneAsync(engine, s, parse.GetValue(options.Yes), output, error, ct).ConfigureAwait(false);
                if (code != CliApp.Ok)
                {
                    return code;
                }
            }

            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static async Task<int> ApplyOneAsync(MigrationEngine engine, MigrationStep step, bool yes, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var status = await engine.StatusAsync(step.Id, ct).ConfigureAwait(false);
        if (status.State == StepState.Done)
        {
            await output.WriteLineAsync($"✓ {step.Id} {step.Title}: already done ({status.Reason})").ConfigureAwait(false);
            return CliApp.Ok;
        }

        if (status.State is StepState.Blocked or StepState.NotApplicable && engine.Options.ForceReason is null)
        {
            await output.WriteLineAsync($"{status.State.Glyph()} {step.Id} {step.Title}: {status.State.ToName()}: {status.Reason}").ConfigureAwait(false);
            return CliApp.ChecksFailed;
        }

        var preview = await engine.PreviewAsync(step.Id, ct).ConfigureAwait(false);
        await output.WriteLineAsync($"── {step.Id} {step.Title}{(engine.Options.DryRun ? " (dry run)" : "")}").ConfigureAwait(false);
        foreach (var line in PreviewText.Lines(preview))
        {
            await output.WriteLineAsync($"   {line}").ConfigureAwait(false);
        }

        await output.FlushAsync(ct).ConfigureAwait(false);
        if (!engine.Options.ReadOnly && !engine.Options.DryRun && !preview.IsEmpty && !Confirmation.Ask($"Apply {step.Id} to {engine.Target.Context}?", yes, error))
        {
            await output.WriteLineAsync($"{step.Id}: not applied").ConfigureAwait(false);
            return CliApp.ChecksFailed;
        }

        var outcome = await engine.ApplyAsync(preview, ct).ConfigureAwait(false);
        await output.WriteAsync(MigrateText.Outcome(outcome)).ConfigureAwait(false);
        return MigrateText.ExitCode(outcome);
    }
}
