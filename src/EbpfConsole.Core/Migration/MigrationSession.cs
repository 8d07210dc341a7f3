using System.Collections.Concurrent;
using EbpfConsole.Core.Events;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Migration.Preview;

namespace EbpfConsole.Core.Migration;

/// <summary>
/// The Checklist pane's side of the engine: one operation at a time, outcomes to the event log, and an immutable
/// <see cref="MigrationSnapshot"/> the UI pulls. The engine is (re)made from a fresh cluster read on each refresh,
/// so the plan follows the cluster; the journal stays the same.
/// </summary>
public sealed class MigrationSession : IMigrationActions, IDisposable
{
    private const string LogSource = "migrate";
    private readonly Func<CancellationToken, Task<MigrationEngine>> _open;
    private readonly EventLog _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<StepId, string> _previews = new();
    private readonly ConcurrentDictionary<StepId, IReadOnlyList<string>> _verify = new();
    private MigrationEngine? _engine;
    private IReadOnlyList<StepStatus> _rows = [];
    private StepId? _running;
    private string? _progress;
    private ProofComparison? _comparison;
    private string? _error;
    private volatile MigrationSnapshot _latest = MigrationSnapshot.Waiting("reading the cluster for the migration plan…");

    /// <param name="open">Reads the cluster and makes an engine for it; throws with a one-line message when it cannot.</param>
    /// <param name="log">The console's event log.</param>
    public MigrationSession(Func<CancellationToken, Task<MigrationEngine>> open, EventLog log)
    {
        _open = open;
        _log = log;
    }

    public MigrationSnapshot Latest => _latest;

    public Task RefreshAsync(CancellationToken cancellationToken) => Locked(async engine =>
    {
        _rows = await engine.StatusAsync(cancellationToken).ConfigureAwait(false);
    }, cancellationToken, reopen: true);

    public async Task<StepPreview?> PreviewAsync(StepId id, CancellationToken cancellationToken)
    {
        StepPreview? preview = null;
        await Locked(async engine =>
        {
            preview = await engine.PreviewAsync(id, cancellationToken).ConfigureAwait(false);
            _previews[id] = string.Join('\n', PreviewText.Lines(preview));
        }, cancellationToken).ConfigureAwait(false);
        return preview;
    }

    public Task ApplyAsync(StepPreview approved, CancellationToken cancellationToken) => Locked(async engine =>
    {
        ArgumentNullException.ThrowIfNull(approved);
        _running = approved.Step;
        Publish();
        // The confirm dialog showed every node script verbatim: approving it is the consent to run them over SSH.
        var outcome = await engine.ApplyAsync(approved, runNodeCommands: true, cancellationToken).ConfigureAwait(false);
        Report(outcome);
        _rows = await engine.StatusAsync(cancellationToken).ConfigureAwait(false);
    }, cancellationToken);

    public Task VerifyAsync(StepId id, CancellationToken cancellationToken) => Locked(async engine =>
    {
        _running = id;
        Publish();
        var result = await engine.VerifyAsync(id, cancellationToken).ConfigureAwait(false);
        _verify[id] = [result.Summary, .. result.Lines];
        Log(result.Ok ? EventLevel.Info : EventLevel.Warning, $"{id} verify: {(result.Ok ? "ok" : "failed")}: {result.Summary}");
        _rows = await engine.StatusAsync(cancellationToken).ConfigureAwait(false);
    }, cancellationToken);

    public async Task<RollbackPlan?> PreviewRollbackAsync(StepId? target, CancellationToken cancellationToken)
    {
        RollbackPlan? plan = null;
        await Locked(async engine =>
        {
            plan = await engine.PreviewRollbackAsync(target, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return plan;
    }

    public Task RollbackAsync(RollbackPlan approved, CancellationToken cancellationToken) => Locked(async engine =>
    {
        ArgumentNullException.ThrowIfNull(approved);
        _running = approved.Steps.Count > 0 ? approved.Steps[0].Step : null;
        Publish();
        foreach (var outcome in await engine.RollbackAsync(approved, cancellationToken).ConfigureAwait(false))
        {
            Report(outcome);
        }

        if (approved.To is null && !engine.Options.DryRun)
        {
            var differences = await engine.CompareWithSnapshotAsync(cancellationToken).ConfigureAwait(false);
            Log(differences.Count == 0 ? EventLevel.Info : EventLevel.Warning, differences.Count == 0
                ? "every touched object equals its M0 snapshot again"
                : $"differs from the M0 snapshot: {string.Join("; ", differences)}");
        }

        _rows = await engine.StatusAsync(cancellationToken).ConfigureAwait(false);
    }, cancellationToken);

    public void Dispose() => _gate.Dispose();

    private async Task Locked(Func<MigrationEngine, Task> work, CancellationToken cancellationToken, bool reopen = false)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_engine is null || reopen)
            {
                Attach(await _open(cancellationToken).ConfigureAwait(false));
                _error = null;
            }

            await work(_engine!).ConfigureAwait(false);
        }
        catch (MigrationApiException ex)
        {
            Log(EventLevel.Error, ex.Message);
        }
        catch (Exception ex) when (ex is Preflight.ClusterUnavailableException or Journal.JournalException or InvalidOperationException)
        {
            _error = ex.Message;
            Log(EventLevel.Error, ex.Message);
        }
        finally
        {
            _running = null;
            _progress = null;
            _gate.Release();
            Publish();
        }
    }

    private void Attach(MigrationEngine engine)
    {
        if (ReferenceEquals(engine, _engine))
        {
            return;
        }

        _engine = engine;
        engine.Progress += (id, line) =>
        {
            _progress = $"{id}: {line}";
            Publish();
        };
        engine.ProofTaken += (id, before, after) =>
        {
            _comparison = new ProofComparison((_comparison?.Seq ?? 0) + 1, id, before.Name, after.Name);
            Log(EventLevel.Info, $"{id}: {before.Name} = {Capture.DatapathVerdicts.ToName(before.Verdict)}, {after.Name} = {Capture.DatapathVerdicts.ToName(after.Verdict)}");
            Publish();
        };
    }

    private void Report(StepOutcome outcome)
    {
        if (outcome.Verify is { } verify)
        {
            _verify[outcome.Step] = [verify.Summary, .. verify.Lines];
        }

        Log(outcome.Succeeded ? EventLevel.Info : outcome.Kind == OutcomeKind.Refused ? EventLevel.Warning : EventLevel.Error, outcome.Message);
    }

    private void Log(EventLevel level, string message) => _log.Add(LogSource, level, message);

    private void Publish()
    {
        var engine = _engine;
        if (engine is null)
        {
            _latest = MigrationSnapshot.Waiting(_error ?? "reading the cluster for the migration plan…");
            return;
        }

        var interrupted = engine.Journal.Interrupted is { } i
            ? i.Op == Journal.JournalOp.Apply
                ? $"{i.Step} apply was interrupted ({i.Since.ToLocalTime():HH:mm:ss}): a resumes it, u rolls back"
                : $"{i.Step} rollback was interrupted ({i.Since.ToLocalTime():HH:mm:ss}): u rolls back again, a re-applies"
            : null;
        var target = engine.Target;
        _latest = new MigrationSnapshot(
            _rows.Select(r => new StepRow(r.Step.Id, r.Step.Title, _running == r.Step.Id ? StepState.Running : r.State, r.Reason, r.Step.Why, r.Step.ChangesDatapath)).ToList(),
            target.Install == InstallKind.Operator ? $"operator (Calico {target.CalicoVersion ?? "?"})" : $"manifest (Calico {target.CalicoVersion ?? "?"})",
            engine.JournalLocation,
            engine.Options.ReadOnly,
            engine.Options.DryRun,
            _running,
            _progress,
            interrupted,
            _previews.ToDictionary(kv => kv.Key, kv => kv.Value),
            _verify.ToDictionary(kv => kv.Key, kv => kv.Value),
            _error,
            _comparison);
    }
}
