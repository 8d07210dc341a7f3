using System.Text.Json.Nodes;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Migration.Journal;
using Xunit;

namespace EbpfConsole.Core.Tests.Migration.Engine;

public sealed class MigrationEngineTests : IDisposable
{
    private readonly EngineBed _bed = new();

    private ObjectRef ConfigMap => MigrationObjects.ServicesEndpointConfigMap(_bed.Cluster.Target);

    [Fact]
    public async Task Apply_M0ThenM2_SnapshotsAndCreatesTheConfigMap_JournalledBeforeAndAfter()
    {
        var engine = _bed.Engine();

        Assert.Equal(OutcomeKind.Ok, (await EngineBed.ApplyAsync(engine, StepId.M0)).Kind);
        var outcome = await EngineBed.ApplyAsync(engine, StepId.M2);

        Assert.Equal(OutcomeKind.Ok, outcome.Kind);
        Assert.NotNull(_bed.Api.Peek(ConfigMap));
        var entries = _bed.Entries().ToList();
        var begin = entries.Single(e => e.Type == JournalEntryType.MutationBegin && e.Step == StepId.M2);
        Assert.Equal("create", begin.Change);
        Assert.Null(begin.Before);
        Assert.Contains(entries, e => e.Type == JournalEntryType.MutationDone && e.Step == StepId.M2 && e.After is not null);
        Assert.True(entries.IndexOf(begin) < entries.FindIndex(e => e.Type == JournalEntryType.MutationDone && e.Step == StepId.M2));
        Assert.Equal(_bed.Cluster.Target.Touched.Count, engine.Journal.Snapshot.Count);
        Assert.Equal(StepState.Done, (await engine.StatusAsync(StepId.M2, CancellationToken.None)).State);
    }

    [Fact]
    public async Task Apply_ReadOnly_RefusesAndNeitherWritesNorJournals()
    {
        var engine = _bed.Engine(new MigrationOptions(ReadOnly: true));
        var preview = await engine.PreviewAsync(StepId.M0, CancellationToken.None);

        var outcome = await engine.ApplyAsync(preview, CancellationToken.None);

        Assert.Equal(OutcomeKind.Refused, outcome.Kind);
        Assert.Contains("read-only", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_bed.Entries());
        Assert.DoesNotContain(_bed.Api.Calls, c => c.StartsWith("PATCH", StringComparison.Ordinal) || c.StartsWith("CREATE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apply_BeforeItsPredecessor_IsBlocked_UnlessForcedWithAReasonThatIsJournalled()
    {
        var engine = _bed.Engine();
        var preview = await engine.PreviewAsync(StepId.M2, CancellationToken.None);

        var blocked = await engine.ApplyAsync(preview, CancellationToken.None);

        Assert.Equal(OutcomeKind.Refused, blocked.Kind);
        Assert.Contains("M0 is not done yet", blocked.Message, StringComparison.Ordinal);
        Assert.Null(_bed.Api.Peek(ConfigMap));

        var forced = _bed.Engine(new MigrationOptions(ForceReason: "snapshot taken by hand", VerifyTimeout: TimeSpan.FromSeconds(5)));
        var outcome = await forced.ApplyAsync(await forced.PreviewAsync(StepId.M2, CancellationToken.None), CancellationToken.None);

        Assert.Equal(OutcomeKind.Ok, outcome.Kind);
        Assert.Contains(_bed.Entries(), e => e.Type == JournalEntryType.StepBegin && e.Force == "snapshot taken by hand");
    }

    [Fact]
    public async Task Apply_ObjectChangedSincePreview_StopsWithoutOverwriting()
    {
        var engine = await ThroughM3Async();
        var preview = await engine.PreviewAsync(StepId.M4, CancellationToken.None);
        _bed.Api.Mutate(MigrationObjects.KubeProxyDaemonSet, ds => ds["metadata"]!["labels"]!["changed-by"] = "someone-else");

        var outcome = await engine.ApplyAsync(preview, CancellationToken.None);

        Assert.Equal(OutcomeKind.Conflict, outcome.Kind);
        Assert.Contains("changed", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("preview again", outcome.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_bed.Api.Calls, c => c.StartsWith("PATCH strategic", StringComparison.Ordinal));
        Assert.Null(_bed.Api.Peek(MigrationObjects.KubeProxyDaemonSet)!["spec"]!["template"]!["spec"]!["nodeSelector"]?["non-calico"]);
        Assert.Contains(_bed.Entries(), e => e.Type == JournalEntryType.StepEnd && e.Step == StepId.M4 && e.Outcome == "conflict");
    }

    [Fact]
    public async Task Apply_ServerAnswers409_IsAConflict_AndTheMutationIsNotKeptForRollback()
    {
        var engine = await ThroughM3Async();
        var preview = await engine.PreviewAsync(StepId.M4, CancellationToken.None);
        _bed.Api.BeforeCall = (api, call) =>
        {
            if (call.StartsWith("PATCH", StringComparison.Ordinal))
            {
                api.BeforeCall = null;
                throw new MigrationApiException(ApiErrorKind.Conflict, 409, "cannot patch daemonsets kube-system/kube-proxy: it changed since it was read (409 Conflict)");
            }
        };

        var outcome = await engine.ApplyAsync(preview, CancellationToken.None);

        Assert.Equal(OutcomeKind.Conflict, outcome.Kind);
        Assert.Contains("nothing was overwritten", outcome.Message, StringComparison.Ordinal);
        Assert.Contains(_bed.Entries(), e => e.Type == JournalEntryType.MutationFailed);
        Assert.DoesNotContain(StepId.M4, engine.Journal.Applied);
    }

    [Fact]
    public async Task Apply_ApiServerGoneMidStep_FailsWithItsMessage_AndTheJournalStaysReadable()
    {
        var engine = await ThroughM3Async();
        _bed.Api.BeforeCall = (api, call) =>
        {
            if (call.StartsWith("PATCH", StringComparison.Ordinal))
            {
                api.BeforeCall = null;
                throw new MigrationApiException(ApiErrorKind.Unavailable, null, "cannot patch daemonsets kube-system/kube-proxy: the API server could not be reached: connection refused by https://127.0.0.1:6443");
            }
        };

        var outcome = await EngineBed.ApplyAsync(engine, StepId.M4);

        Assert.Equal(OutcomeKind.Failed, outcome.Kind);
        Assert.Contains("connection refused", outcome.Message, StringComparison.Ordinal);
        var reread = JournalState.Replay(_bed.Entries());
        Assert.Null(reread.Interrupted);
        Assert.Equal(StepState.Failed, reread.Step(StepId.M4)!.State);
        Assert.Equal(StepState.Failed, (await engine.StatusAsync(StepId.M4, CancellationToken.None)).State);
    }

    [Fact]
    public async Task DryRun_SendsEveryChangeAsDryRun_StoresNothing_AndLeavesTheStepPending()
    {
        var engine = _bed.Engine(new MigrationOptions(DryRun: true));
        await EngineBed.ApplyAsync(_bed.Engine(), StepId.M0);
        engine = _bed.Engine(new MigrationOptions(DryRun: true));

        var outcome = await EngineBed.ApplyAsync(engine, StepId.M2);

        Assert.Equal(OutcomeKind.DryRun, outcome.Kind);
        Assert.Contains(_bed.Api.Calls, c => c.StartsWith("CREATE", StringComparison.Ordinal) && c.EndsWith("+dryRun", StringComparison.Ordinal));
        Assert.Null(_bed.Api.Peek(ConfigMap));
        Assert.All(_bed.Entries().Where(e => e.Step == StepId.M2), e => Assert.True(e.DryRun));
        Assert.Equal(StepState.Pending, (await engine.StatusAsync(StepId.M2, CancellationToken.None)).State);
    }

    [Fact]
    public async Task RollbackAll_RestoresEveryTouchedObjectToTheM0Snapshot()
    {
        var engine = await ThroughM4Async();
        Assert.NotNull(_bed.Api.Peek(ConfigMap));

        var plan = await engine.PreviewRollbackAsync(null, CancellationToken.None);
        Assert.Equal([StepId.M4, StepId.M2], plan.Steps.Select(s => s.Step).Where(s => s is StepId.M4 or StepId.M2));
        var outcomes = await engine.RollbackAsync(plan, CancellationToken.None);

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Message));
        Assert.Null(_bed.Api.Peek(ConfigMap));
        Assert.Empty(await engine.CompareWithSnapshotAsync(CancellationToken.None));
        Assert.Equal(StepState.RolledBack, engine.Journal.Step(StepId.M4)!.State);
        Assert.Empty(engine.Journal.Applied);
    }

    [Fact]
    public async Task RollbackTo_KeepsThatStep_AndUndoesOnlyTheLaterOnes()
    {
        var engine = await ThroughM4Async();

        var plan = await engine.PreviewRollbackAsync(StepId.M3, CancellationToken.None);

        Assert.Equal([StepId.M4], plan.Steps.Select(s => s.Step));
        await engine.RollbackAsync(plan, CancellationToken.None);
        Assert.NotNull(_bed.Api.Peek(ConfigMap));
        Assert.Null(_bed.Api.Peek(MigrationObjects.KubeProxyDaemonSet)!["spec"]!["template"]!["spec"]!["nodeSelector"]?["non-calico"]);
    }

    [Fact]
    public async Task Rollback_OfAnObjectSomeoneElseChangedAfterUs_IsRefusedUnlessForced()
    {
        var engine = await ThroughM4Async();
        _bed.Api.Mutate(MigrationObjects.KubeProxyDaemonSet, ds => ds["spec"]!["template"]!["spec"]!["nodeSelector"]!["extra"] = "x");

        var plan = await engine.PreviewRollbackAsync(StepId.M3, CancellationToken.None);
        var outcomes = await engine.RollbackAsync(plan, CancellationToken.None);

        var refused = Assert.Single(outcomes);
        Assert.Equal(OutcomeKind.Conflict, refused.Kind);
        Assert.Contains("changed by someone else", refused.Message, StringComparison.Ordinal);
        Assert.Equal("x", _bed.Api.Peek(MigrationObjects.KubeProxyDaemonSet)!["spec"]!["template"]!["spec"]!["nodeSelector"]!["extra"]!.ToString());
    }

    [Fact]
    public async Task KilledMidApply_ReopensInterrupted_AndResumeVerifiesWhenTheChangeIsInPlace()
    {
        var engine = await ThroughM3Async();
        // What SIGKILL leaves: the step began and its patch was sent (and reached the server), nothing after.
        var journal = JsonLinesJournal.OpenReadOnly(_bed.JournalPath);
        _bed.Api.Mutate(MigrationObjects.KubeProxyDaemonSet, ds => ds["spec"]!["template"]!["spec"]!["nodeSelector"]!["non-calico"] = "true");
        RemoveKubeProxyPods();
        var before = _bed.Api.Peek(MigrationObjects.KubeProxyDaemonSet);
        AppendRaw(JournalEntryType.StepBegin, StepId.M4, JournalOp.Apply);
        AppendRaw(JournalEntryType.MutationBegin, StepId.M4, JournalOp.Apply, MigrationObjects.KubeProxyDaemonSet, before);

        var reopened = _bed.Engine();

        Assert.Equal(StepId.M4, reopened.Journal.Interrupted!.Step);
        Assert.Equal(StepState.Interrupted, (await reopened.StatusAsync(StepId.M4, CancellationToken.None)).State);
        var outcome = await EngineBed.ApplyAsync(reopened, StepId.M4);
        Assert.Equal(OutcomeKind.Ok, outcome.Kind);
        Assert.Null(reopened.Journal.Interrupted);
        Assert.Equal(StepState.Done, (await reopened.StatusAsync(StepId.M4, CancellationToken.None)).State);
        Assert.NotNull(journal);
    }

    [Fact]
    public async Task KilledMidRollback_AfterTheRestoreLanded_RollsBackAgainWithoutCallingItSomeoneElsesChange()
    {
        await ThroughM4Async();
        var applied = _bed.Api.Peek(MigrationObjects.KubeProxyDaemonSet)!;
        // What SIGKILL during M4's rollback leaves: the rollback began and its restore reached the server, nothing after.
        AppendRaw(JournalEntryType.StepBegin, StepId.M4, JournalOp.Rollback);
        AppendRaw(JournalEntryType.MutationBegin, StepId.M4, JournalOp.Rollback, MigrationObjects.KubeProxyDaemonSet, applied);
        _bed.Api.Mutate(MigrationObjects.KubeProxyDaemonSet, ds => ((JsonObject)ds["spec"]!["template"]!["spec"]!["nodeSelector"]!).Remove("non-calico"));

        var reopened = _bed.Engine();
        Assert.Equal(JournalOp.Rollback, reopened.Journal.Interrupted!.Op);
        var plan = await reopened.PreviewRollbackAsync(StepId.M3, CancellationToken.None);
        var m4 = Assert.Single(plan.Steps);
        Assert.DoesNotContain(m4.Notes, n => n.Contains("someone else", StringComparison.Ordinal));
        Assert.DoesNotContain(m4.Changes, c => c is ObjectChange);
        _bed.Api.BeforeCall = Controllers;
        var outcomes = await reopened.RollbackAsync(plan, CancellationToken.None);

        Assert.True(Assert.Single(outcomes).Succeeded);
        Assert.Null(reopened.Journal.Interrupted);
        Assert.Equal(StepState.RolledBack, reopened.Journal.Step(StepId.M4)!.State);
    }

    [Fact]
    public async Task DatapathStep_IsProvenBeforeAndAfter_AndTheProofIsJournalled()
    {
        var engine = await ThroughM3Async(proof: true);
        _bed.Proof.Verdicts.Enqueue(DatapathVerdict.IptablesSnat);
        _bed.Proof.Verdicts.Enqueue(DatapathVerdict.IptablesSnat);
        (string, string)? shown = null;
        engine.ProofTaken += (_, b, a) => shown = (b.Name, a.Name);
        var outcome = await EngineBed.ApplyAsync(engine, StepId.M4);

        Assert.Equal(["before M4", "after M4"], _bed.Proof.Names);
        Assert.Equal(("before M4", "after M4"), shown);
        Assert.Equal(2, outcome.Proofs.Count);
        Assert.Equal(OutcomeKind.Ok, outcome.Kind); // M4 promises no datapath: the capture is shown, not judged
        Assert.Contains(_bed.Entries(), e => e.Type == JournalEntryType.Proof && e.Message == "after M4" && e.Outcome == "iptables-snat");
    }

    [Fact]
    public async Task DatapathStep_WhoseCaptureContradictsIt_FailsVerify_AfterCapturingAgain()
    {
        var engine = _bed.Engine(new MigrationOptions(ForceReason: "test: gates skipped", VerifyTimeout: TimeSpan.FromSeconds(5)), proof: true);
        // Felix restarts on the change and logs its BPF start (stamped after the step begins): M7's own verify passes.
        _bed.Cluster.CalicoNodePods(_bed.Cluster.Clock.GetUtcNow().AddSeconds(5), null, "BPF enabled, starting BPF endpoint manager and map manager.");
        foreach (var verdict in new[] { DatapathVerdict.EbpfTunnel, DatapathVerdict.IptablesSnat, DatapathVerdict.IptablesSnat, DatapathVerdict.IptablesSnat })
        {
            _bed.Proof.Verdicts.Enqueue(verdict);
        }

        var outcome = await EngineBed.ApplyAsync(engine, StepId.M7);

        Assert.Equal(OutcomeKind.VerifyFailed, outcome.Kind);
        Assert.Contains("the capture after M7 says iptables-snat, not ebpf-dsr", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(["before M7", "after M7", "after M7", "after M7"], _bed.Proof.Names);
        var verify = _bed.Entries().Last(e => e.Type == JournalEntryType.Verify);
        Assert.Equal("failed", verify.Outcome);
        Assert.Equal(StepState.Failed, (await engine.StatusAsync(StepId.M7, CancellationToken.None)).State);
    }

    public void Dispose() => _bed.Dispose();

    private async Task<MigrationEngine> ThroughM3Async(bool proof = false)
    {
        var engine = _bed.Engine(proof: proof);
        foreach (var id in new[] { StepId.M0, StepId.M2 })
        {
            var outcome = await EngineBed.ApplyAsync(engine, id);
            Assert.True(outcome.Succeeded, outcome.Message);
        }

        // M3 restarts calico-node: the fake has no controllers, so the test plays them (see Controllers).
        var m3 = await engine.PreviewAsync(StepId.M3, CancellationToken.None);
        _bed.Api.BeforeCall = Controllers;
        var restarted = await engine.ApplyAsync(m3, CancellationToken.None);
        Assert.True(restarted.Succeeded, restarted.Message);
        return engine;
    }

    private async Task<MigrationEngine> ThroughM4Async()
    {
        var engine = await ThroughM3Async();
        var outcome = await EngineBed.ApplyAsync(engine, StepId.M4);
        Assert.True(outcome.Succeeded, outcome.Message);
        return engine;
    }

    /// <summary>The DaemonSet controllers the fake lacks: calico-node pods come back (logging the ConfigMap's override), kube-proxy follows its selector.</summary>
    private void Controllers(FakeMigrationApi api, string call)
    {
        if (call.StartsWith("LIST v1 pods kube-system k8s-app=calico-node", StringComparison.Ordinal)
            && !api.All("v1", "pods").Any(p => p.Json["metadata"]?["labels"]?["k8s-app"]?.GetValue<string>() == "calico-node"))
        {
            var endpoint = _bed.Cluster.Target.Endpoint!;
            _bed.Cluster.CalicoNodePods(_bed.Cluster.Clock.GetUtcNow().AddSeconds(1), null, TestCluster.OverrideLine(endpoint.Host, endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        KubeProxyController(api, call);
    }

    /// <summary>What the DaemonSet controller would do: kube-proxy pods go when the template selects non-calico nodes and come back when not.</summary>
    private void KubeProxyController(FakeMigrationApi api, string call)
    {
        if (!call.Contains("k8s-app=kube-proxy", StringComparison.Ordinal))
        {
            return;
        }

        var disabled = api.Peek(MigrationObjects.KubeProxyDaemonSet)?["spec"]?["template"]?["spec"]?["nodeSelector"]?["non-calico"] is not null;
        var pods = api.All("v1", "pods").Count(p => p.Json["metadata"]?["labels"]?["k8s-app"]?.GetValue<string>() == "kube-proxy");
        if (disabled)
        {
            RemoveKubeProxyPods();
        }
        else if (pods == 0)
        {
            foreach (var node in _bed.Cluster.Target.Nodes)
            {
                api.AddPod("kube-system", $"kube-proxy-{node}", "k8s-app=kube-proxy", node, _bed.Cluster.Clock.GetUtcNow());
            }
        }
    }

    private void RemoveKubeProxyPods()
    {
        foreach (var (pod, _) in _bed.Api.All("v1", "pods").Where(p => p.Json["metadata"]?["labels"]?["k8s-app"]?.GetValue<string>() == "kube-proxy"))
        {
            _bed.Api.Remove(pod);
        }
    }

    private void AppendRaw(JournalEntryType type, StepId step, JournalOp op, ObjectRef? target = null, JsonObject? before = null)
    {
        var all = _bed.Entries();
        var last = all.Count > 0 ? all[^1].Seq : 0;
        var entry = new JournalEntry
        {
            Seq = last + 1,
            At = _bed.Cluster.Clock.GetUtcNow(),
            Type = type,
            Step = step,
            Op = op,
            Target = target,
            Before = before,
            Change = type == JournalEntryType.MutationBegin ? "patch" : null,
        };
        File.AppendAllText(_bed.JournalPath, JournalJson.ToLine(entry) + "\n");
    }
}
