using System.Globalization;
using System.Text;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Journal;

namespace EbpfConsole.Cli.Migrate;

/// <summary>The migrate verbs' text output (pure).</summary>
internal static class MigrateText
{
    public static string Status(MigrationEngine engine, IReadOnlyList<StepStatus> statuses, IReadOnlyDictionary<StepId, StepPreview> previews, IReadOnlyList<string> warnings)
    {
        var t = engine.Target;
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"migration of {t.Context} ({t.Server}): {Install(t)}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  FelixConfiguration via {t.FelixDefault.ApiVersion}; kube-proxy {t.KubeProxyMode}; API endpoint for M2: {(t.Endpoint is { } e ? $"{e.Host}:{e.Port} ({e.Source})" : "none chosen")}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  journal {engine.JournalLocation} ({engine.Journal.Entries.Count} entries){(engine.Options.ReadOnly ? "; READ-ONLY" : "")}");
        foreach (var warning in warnings)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  ! {warning}");
        }

        if (engine.Journal.Interrupted is { } i)
        {
            var begun = i.Since.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            sb.AppendLine(i.Op == JournalOp.Apply
                ? $"! {i.Step} apply was interrupted (begun {begun}): `migrate apply --step {i.Step}` resumes it, `migrate rollback --all` undoes everything"
                : $"! {i.Step} rollback was interrupted (begun {begun}): run the same `migrate rollback` again to finish it");
        }

        sb.AppendLine();
        var width = statuses.Max(s => s.Step.Title.Length);
        foreach (var s in statuses)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {s.State.Glyph()} {s.Step.Id,-3} {s.Step.Title.PadRight(width)}  {s.State.ToName(),-11} {s.Reason}");
            if (previews.TryGetValue(s.Step.Id, out var preview))
            {
                foreach (var change in preview.Changes)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"        {change.Summary}");
                }
            }
        }

        return sb.ToString();
    }

    public static string Outcome(StepOutcome outcome)
    {
        var sb = new StringBuilder();
        var glyph = outcome.Succeeded ? "✓" : outcome.Kind == OutcomeKind.Refused ? "⊘" : "✗";
        sb.AppendLine(CultureInfo.InvariantCulture, $"{glyph} {outcome.Message}");
        if (outcome.Verify is { } verify)
        {
            foreach (var line in verify.Lines)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"   {line}");
            }
        }

        foreach (var proof in outcome.Proofs)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"   proof: {proof.Error ?? proof.Summary}");
        }

        return sb.ToString();
    }

    public static int ExitCode(StepOutcome outcome) => outcome.Kind switch
    {
        OutcomeKind.Ok or OutcomeKind.AlreadyDone or OutcomeKind.DryRun => CliApp.Ok,
        OutcomeKind.Failed => CliApp.UsageError,
        _ => CliApp.ChecksFailed,
    };

    public static string Journal(string path, IReadOnlyList<JournalEntry> entries)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"journal {path}: {entries.Count} entries");
        foreach (var e in entries)
        {
            var what = e.Type switch
            {
                JournalEntryType.MutationBegin => $"{e.Change} {e.Target?.Display ?? e.Message}",
                JournalEntryType.MutationDone => e.Target?.Display ?? e.Message ?? "",
                JournalEntryType.Snapshot => $"{e.Target?.Display}: {(e.Before is null ? "absent" : "saved")}",
                JournalEntryType.StepBegin => string.Join("; ", new[] { e.Force is null ? null : $"forced: {e.Force}" }.Concat(e.Lines ?? []).OfType<string>()),
                JournalEntryType.Proof => $"{e.Message}: {e.Outcome}",
                _ => string.Join(' ', new[] { e.Outcome, e.Message }.Where(x => !string.IsNullOrEmpty(x))),
            };
            var op = e.Op is { } o ? o.ToString().ToLowerInvariant() + " " : "";
            var dry = e.DryRun ? " (dry run)" : "";
            sb.AppendLine(CultureInfo.InvariantCulture, $"{e.Seq,5} {e.At.ToLocalTime():yyyy-MM-dd HH:mm:ss} {e.Step?.ToString() ?? "",-3} {op}{JournalJson.Name(e.Type)}: {what}{dry}");
        }

        return sb.ToString();
    }

    public static string Install(MigrationTarget t) =>
        $"{(t.Install == InstallKind.Operator ? "operator" : "manifest")} install, Calico {t.CalicoVersion ?? "(version unknown)"} in {t.CalicoNamespace}{(t.OperatorBootstrap ? " (M5: bpfNetworkBootstrap)" : "")}";
}
