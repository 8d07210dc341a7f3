using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Migration.Journal;
using Xunit;

namespace EbpfConsole.Core.Tests.Migration.Journal;

public sealed class JournalStateTests
{
    private static readonly ObjectRef KubeProxy = MigrationObjects.KubeProxyDaemonSet;
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private long _seq;

    [Fact]
    public void Replay_ApplyVerified_StepDoneWithItsMutation()
    {
        var state = JournalState.Replay(
        [
            E(JournalEntryType.StepBegin, StepId.M4, JournalOp.Apply),
            E(JournalEntryType.MutationBegin, StepId.M4, JournalOp.Apply, KubeProxy, before: Obj("1")),
            E(JournalEntryType.MutationDone, StepId.M4, JournalOp.Apply, KubeProxy, after: Obj("2")),
            E(JournalEntryType.StepEnd, StepId.M4, JournalOp.Apply, outcome: "applied"),
            E(JournalEntryType.Verify, StepId.M4, outcome: "ok"),
        ]);

        var m4 = state.Step(StepId.M4)!;
        Assert.Equal(StepState.Done, m4.State);
        var mutation = Assert.Single(m4.Mutations);
        Assert.True(mutation.Done);
        Assert.Equal("1", mutation.Before!["metadata"]!["resourceVersion"]!.ToString());
        Assert.Equal("2", mutation.After!["metadata"]!["resourceVersion"]!.ToString());
        Assert.Null(state.Interrupted);
        Assert.Equal([StepId.M4], state.Applied);
    }

    [Fact]
    public void Replay_KilledAfterMutationBegin_InterruptedWithTheUnconfirmedMutation()
    {
        var state = JournalState.Replay(
        [
            E(JournalEntryType.StepBegin, StepId.M4, JournalOp.Apply),
            E(JournalEntryType.MutationBegin, StepId.M4, JournalOp.Apply, KubeProxy, before: Obj("1")),
        ]);

        Assert.Equal(StepState.Interrupted, state.Step(StepId.M4)!.State);
        var interrupted = Assert.IsType<InterruptedOperation>(state.Interrupted);
        Assert.Equal(StepId.M4, interrupted.Step);
        Assert.Equal(JournalOp.Apply, interrupted.Op);
        Assert.False(interrupted.Unconfirmed!.Done);
        Assert.Single(state.Step(StepId.M4)!.Mutations);
    }

    [Fact]
    public void Replay_KilledDuringVerify_InterruptedAfterApply()
    {
        var state = JournalState.Replay(
        [
            E(JournalEntryType.StepBegin, StepId.M6, JournalOp.Apply),
            E(JournalEntryType.MutationBegin, StepId.M6, JournalOp.Apply, KubeProxy, before: Obj("1")),
            E(JournalEntryType.MutationDone, StepId.M6, JournalOp.Apply, KubeProxy, after: Obj("2")),
            E(JournalEntryType.StepEnd, StepId.M6, JournalOp.Apply, outcome: "applied"),
        ]);

        Assert.Equal(StepState.Interrupted, state.Step(StepId.M6)!.State);
        Assert.Equal(StepId.M6, state.Interrupted!.Step);
        Assert.Null(state.Interrupted.Unconfirmed);
    }

    [Fact]
    public void Replay_RolledBack_ClearsMutationsAndMarksRolledBack()
    {
        var state = JournalState.Replay(
        [
            E(JournalEntryType.StepBegin, StepId.M4, JournalOp.Apply),
            E(JournalEntryType.MutationBegin, StepId.M4, JournalOp.Apply, KubeProxy, before: Obj("1")),
            E(JournalEntryType.MutationDone, StepId.M4, JournalOp.Apply, KubeProxy, after: Obj("2")),
            E(JournalEntryType.StepEnd, StepId.M4, JournalOp.Apply, outcome: "applied"),
            E(JournalEntryType.Verify, StepId.M4, outcome: "ok"),
            E(JournalEntryType.StepBegin, StepId.M4, JournalOp.Rollback),
            E(JournalEntryType.MutationBegin, StepId.M4, JournalOp.Rollback, KubeProxy, before: Obj("2")),
            E(JournalEntryType.MutationDone, StepId.M4, JournalOp.Rollback, KubeProxy, after: Obj("3")),
            E(JournalEntryType.StepEnd, StepId.M4, JournalOp.Rollback, outcome: "rolled-back"),
            E(JournalEntryType.Verify, StepId.M4, outcome: "ok"),
        ]);

        Assert.Equal(StepState.RolledBack, state.Step(StepId.M4)!.State);
        Assert.Empty(state.Step(StepId.M4)!.Mutations);
        Assert.Empty(state.Applied);
    }

    [Fact]
    public void Replay_DryRunEntries_ChangeNoState()
    {
        var state = JournalState.Replay(
        [
            E(JournalEntryType.StepBegin, StepId.M4, JournalOp.Apply, dryRun: true),
            E(JournalEntryType.MutationBegin, StepId.M4, JournalOp.Apply, KubeProxy, before: Obj("1"), dryRun: true),
            E(JournalEntryType.MutationDone, StepId.M4, JournalOp.Apply, KubeProxy, after: Obj("2"), dryRun: true),
            E(JournalEntryType.StepEnd, StepId.M4, JournalOp.Apply, outcome: "applied", dryRun: true),
        ]);

        Assert.Null(state.Interrupted);
        Assert.Empty(state.Applied);
        Assert.NotEqual(StepState.Done, state.Step(StepId.M4)?.State);
    }

    [Fact]
    public void Replay_FailedMutation_IsNotRestoredLater()
    {
        var state = JournalState.Replay(
        [
            E(JournalEntryType.StepBegin, StepId.M4, JournalOp.Apply),
            E(JournalEntryType.MutationBegin, StepId.M4, JournalOp.Apply, KubeProxy, before: Obj("1")),
            E(JournalEntryType.MutationFailed, StepId.M4, JournalOp.Apply, message: "409"),
            E(JournalEntryType.StepEnd, StepId.M4, JournalOp.Apply, outcome: "conflict"),
        ]);

        Assert.Equal(StepState.Failed, state.Step(StepId.M4)!.State);
        Assert.Empty(state.Step(StepId.M4)!.Mutations);
        Assert.Null(state.Interrupted);
    }

    [Fact]
    public void Replay_SecondSnapshot_ReplacesTheFirst()
    {
        var felix = new ObjectRef("crd.projectcalico.org/v1", "felixconfigurations", null, "default", "FelixConfiguration");
        var state = JournalState.Replay(
        [
            E(JournalEntryType.StepBegin, StepId.M0, JournalOp.Apply),
            E(JournalEntryType.Snapshot, StepId.M0, target: KubeProxy, before: Obj("1")),
            E(JournalEntryType.Snapshot, StepId.M0, target: felix, before: null),
            E(JournalEntryType.StepEnd, StepId.M0, JournalOp.Apply, outcome: "applied"),
            E(JournalEntryType.StepBegin, StepId.M0, JournalOp.Apply),
            E(JournalEntryType.Snapshot, StepId.M0, target: KubeProxy, before: Obj("7")),
            E(JournalEntryType.StepEnd, StepId.M0, JournalOp.Apply, outcome: "applied"),
        ]);

        var only = Assert.Single(state.Snapshot.Values);
        Assert.Equal("7", only.Json!["metadata"]!["resourceVersion"]!.ToString());
    }

    private static JsonObject Obj(string rv) => new() { ["metadata"] = new JsonObject { ["name"] = "kube-proxy", ["resourceVersion"] = rv } };

    private JournalEntry E(
        JournalEntryType type,
        StepId step,
        JournalOp? op = null,
        ObjectRef? target = null,
        JsonObject? before = null,
        JsonObject? after = null,
        string? outcome = null,
        string? message = null,
        bool dryRun = false) => new()
        {
            Seq = ++_seq,
            At = T0.AddSeconds(_seq),
            Type = type,
            Step = step,
            Op = op,
            Target = target,
            Before = before,
            After = after,
            Outcome = outcome,
            Message = message,
            DryRun = dryRun,
            Change = type == JournalEntryType.MutationBegin ? "patch" : null,
        };
}
