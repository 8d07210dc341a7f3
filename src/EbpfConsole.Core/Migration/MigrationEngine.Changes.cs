using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Migration.Journal;

namespace EbpfConsole.Core.Migration;

public sealed partial class MigrationEngine
{
    /// <summary>Executes one planned change, journalled before and after. Returns null when done, else the failed outcome.</summary>
    private async Task<StepOutcome?> ExecuteAsync(StepId id, JournalOp op, PlannedChange change, CancellationToken cancellationToken, bool runNodeCommands = false)
    {
        try
        {
            switch (change)
            {
                case ObjectChange objectChange:
                    return await ExecuteObjectAsync(id, op, objectChange, cancellationToken).ConfigureAwait(false);
                case PodRestart restart:
                    await RestartAsync(id, op, restart, cancellationToken).ConfigureAwait(false);
                    return null;
                case SnapshotObjects snapshot:
                    foreach (var target in snapshot.Targets)
                    {
                        var obj = await _api.GetAsync(target, cancellationToken).ConfigureAwait(false);
                        Write(Entry(JournalEntryType.Snapshot, id, target: target, before: obj));
                    }

                    return null;
                case WaitForCluster wait:
                    Report(id, $"waiting until {wait.What}");
                    var waited = await Step(id).VerifyRollbackPreludeAsync(Context(id), cancellationToken).ConfigureAwait(false);
                    return waited.Ok ? null : StepOutcome.Of(id, OutcomeKind.Failed, $"waited for {wait.What}, in vain: {waited.Summary}");
                case NodeCommand command:
                    return await RunNodeCommandAsync(id, op, command, runNodeCommands, cancellationToken).ConfigureAwait(false);
                default:
                    return null;
            }
        }
        catch (MigrationApiException ex)
        {
            var kind = ex.Kind == ApiErrorKind.Conflict ? OutcomeKind.Conflict : OutcomeKind.Failed;
            var message = kind == OutcomeKind.Conflict
                ? $"{change.Summary}: {ex.Message}; nothing was overwritten: preview again"
                : $"{change.Summary} failed: {ex.Message}";
            if (_state.Entries.Count > 0 && _state.Entries[^1].Type == JournalEntryType.MutationBegin)
            {
                Write(Entry(JournalEntryType.MutationFailed, id, op, message: ex.Message));
            }

            return StepOutcome.Of(id, kind, message);
        }
    }

    private async Task<StepOutcome?> ExecuteObjectAsync(StepId id, JournalOp op, ObjectChange change, CancellationToken cancellationToken)
    {
        var live = await _api.GetAsync(change.Target, cancellationToken).ConfigureAwait(false);
        if (!ObjectContent.SameContent(live, change.Before))
        {
            var what = live is null ? "was deleted" : change.Before is null ? "was created" : $"changed ({string.Join(", ", ObjectContent.Differences(change.Before, live, 5))})";
            return StepOutcome.Of(id, OutcomeKind.Conflict, $"{change.Target.Display} {what} since the preview; nothing was overwritten: preview again");
        }

        var rv = live?["metadata"]?["resourceVersion"]?.ToString();
        Write(Entry(JournalEntryType.MutationBegin, id, op, target: change.Target, change: Name(change.Kind), before: live, body: change.Body));
        JsonObject? after = null;
        switch (change.Kind)
        {
            case ObjectChangeKind.Create:
                after = await _api.CreateAsync(change.Target, Clean(change.Body!), Options.DryRun, cancellationToken).ConfigureAwait(false);
                break;
            case ObjectChangeKind.Patch:
                var patch = (JsonObject)change.Body!.DeepClone();
                WithResourceVersion(patch, rv);
                after = await _api.PatchAsync(change.Target, change.Patch ?? PatchKind.Merge, patch, Options.DryRun, cancellationToken).ConfigureAwait(false);
                break;
            case ObjectChangeKind.Replace:
                var body = Clean(change.Body!);
                WithResourceVersion(body, rv);
                after = live is null
                    ? await _api.CreateAsync(change.Target, Clean(change.Body!), Options.DryRun, cancellationToken).ConfigureAwait(false)
                    : await _api.ReplaceAsync(change.Target, body, Options.DryRun, cancellationToken).ConfigureAwait(false);
                break;
            case ObjectChangeKind.Delete:
                await _api.DeleteAsync(change.Target, rv, Options.DryRun, cancellationToken).ConfigureAwait(false);
                break;
        }

        Write(Entry(JournalEntryType.MutationDone, id, op, target: change.Target, after: after));
        return null;
    }

    private async Task RestartAsync(StepId id, JournalOp op, PodRestart restart, CancellationToken cancellationToken)
    {
        var pods = await _api.ListAsync("v1", "pods", restart.Namespace, restart.LabelSelector, cancellationToken).ConfigureAwait(false);
        foreach (var pod in pods)
        {
            var name = pod["metadata"]?["name"]?.ToString() ?? "";
            var target = new ObjectRef("v1", "pods", restart.Namespace, name, "Pod");
            Write(Entry(JournalEntryType.MutationBegin, id, op, target: target, change: "restart"));
            await _api.DeleteAsync(target, null, Options.DryRun, cancellationToken).ConfigureAwait(false);
            Write(Entry(JournalEntryType.MutationDone, id, op, target: target));
            Report(id, $"deleted pod {restart.Namespace}/{name}");
        }
    }

    private async Task<StepOutcome?> RunNodeCommandAsync(StepId id, JournalOp op, NodeCommand command, bool consent, CancellationToken cancellationToken)
    {
        if (!consent || _nodes is null || _nodeTarget?.Invoke(command.Node) is not { } node)
        {
            Report(id, $"not run on {command.Node} (node commands need your consent: --node-commands): {command.Script}");
            return null;
        }

        if (Options.DryRun)
        {
            Report(id, $"dry run: would run on {command.Node}: {command.Script}");
            return null;
        }

        Write(Entry(JournalEntryType.MutationBegin, id, op, change: "node", message: $"{command.Node}: {command.Script}"));
        var result = await _nodes.RunAsync(node, command.Script, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        if (result.Failure is not null || result.ExitCode != 0)
        {
            var why = result.Failure ?? $"exit {result.ExitCode}: {result.StandardError.Trim()}";
            Write(Entry(JournalEntryType.MutationFailed, id, op, message: why));
            return StepOutcome.Of(id, OutcomeKind.Failed, $"on {command.Node}: {command.Purpose} failed: {why}");
        }

        Write(Entry(JournalEntryType.MutationDone, id, op, message: result.StandardOutput.Trim()));
        return null;
    }

    private static void WithResourceVersion(JsonObject body, string? rv)
    {
        if (rv is null)
        {
            return;
        }

        if (body["metadata"] is not JsonObject meta)
        {
            meta = [];
            body["metadata"] = meta;
        }

        meta["resourceVersion"] = rv;
    }

    /// <summary>The object without server-owned fields, ready to create or put.</summary>
    private static JsonObject Clean(JsonObject body) => ObjectContent.Strip(body)!;

    private static string Name(ObjectChangeKind kind) => kind.ToString().ToLowerInvariant();

    private JournalEntry Entry(
        JournalEntryType type,
        StepId step,
        JournalOp? op = null,
        ObjectRef? target = null,
        string? change = null,
        JsonObject? before = null,
        JsonObject? body = null,
        JsonObject? after = null,
        string? outcome = null,
        string? message = null,
        string? force = null,
        IReadOnlyList<string>? lines = null) => new()
        {
            Seq = 0,
            At = default,
            Type = type,
            Step = step,
            Op = op,
            Target = target,
            Change = change,
            Before = before,
            Body = body,
            After = after,
            Outcome = outcome,
            Message = message,
            Force = force,
            Lines = lines,
            DryRun = Options.DryRun,
        };
}
