using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Core.Tests.Migration;

public sealed class StepM6M7Tests
{
    [Fact]
    public async Task M6_Manifest_PatchesFelixAndRestartsKubeDns()
    {
        var cluster = TestClusters.Healthy();
        var step = Step(cluster, StepId.M6);
        var live = cluster.Api.Peek(cluster.Target.FelixDefault);

        var check = await step.CheckAsync(cluster.Context(), default);
        var preview = await step.PreviewAsync(cluster.Context(), default);

        Assert.Equal(StepCheck.Pending("felixconfigurations default has bpfEnabled: (not set: false)"), check);
        Assert.Equal(2, preview.Changes.Count);
        MigrationAsserts.Patch(preview.Changes[0], cluster.Target.FelixDefault, PatchKind.Merge, """{"spec":{"bpfEnabled":true}}""", live);
        MigrationAsserts.Restart(preview.Changes[1], "kube-system", "k8s-app=kube-dns", "coredns-1");
        Assert.Contains(preview.Notes, n => n.Contains("(P2)", StringComparison.Ordinal));
        Assert.Equal("crd.projectcalico.org/v1", cluster.Target.FelixDefault.ApiVersion);
    }

    [Fact]
    public async Task M6_FelixAbsent_CreatesIt()
    {
        var cluster = TestClusters.Healthy();
        cluster.Api.Remove(cluster.Target.FelixDefault);

        var preview = await Step(cluster, StepId.M6).PreviewAsync(cluster.Context(), default);

        MigrationAsserts.Create(preview.Changes[0], cluster.Target.FelixDefault,
            """{"apiVersion":"crd.projectcalico.org/v1","kind":"FelixConfiguration","metadata":{"name":"default"},"spec":{"bpfEnabled":true}}""");
    }

    [Fact]
    public async Task M6_Operator_PatchesTheInstallationNeverBpfEnabled()
    {
        var cluster = TestClusters.Operator329();
        var step = Step(cluster, StepId.M6);
        var live = cluster.Api.Peek(MigrationObjects.Installation);

        var preview = await step.PreviewAsync(cluster.Context(), default);

        MigrationAsserts.Patch(preview.Changes[0], MigrationObjects.Installation, PatchKind.Merge, """{"spec":{"calicoNetwork":{"linuxDataplane":"BPF"}}}""", live);
        Assert.DoesNotContain(preview.Changes.OfType<ObjectChange>(), c => c.Target.Resource == "felixconfigurations");
        Assert.StartsWith("the operator switches the nodes one by one", preview.Notes[0], StringComparison.Ordinal);
        cluster.Api.Mutate(MigrationObjects.Installation, i => i["spec"]!["calicoNetwork"]!["linuxDataplane"] = "BPF");
        Assert.Equal(StepCheck.Done("installations default has linuxDataplane BPF"), await step.CheckAsync(cluster.Context(), default));
    }

    [Fact]
    public async Task M6_DatapathAfterApply_DsrWhenFelixAlreadySaysSo()
    {
        var cluster = TestClusters.Healthy();
        var step = Step(cluster, StepId.M6);
        await step.CheckAsync(cluster.Context(), default);
        Assert.Equal(DatapathMode.EbpfTunnel, step.DatapathAfterApply);

        cluster.Api.Mutate(cluster.Target.FelixDefault, f => f["spec"]!["bpfExternalServiceMode"] = "DSR");
        await step.CheckAsync(cluster.Context(), default);

        Assert.Equal(DatapathMode.EbpfDsr, step.DatapathAfterApply);
    }

    [Fact]
    public async Task M6_Verify_PassesWithTheBpfLineOfEveryPod()
    {
        var cluster = TestClusters.Healthy();
        var begun = cluster.Clock.GetUtcNow();
        cluster.CalicoNodePods(begun.AddSeconds(2), null, "BPF enabled, starting BPF endpoint manager and map manager.");

        var result = await Step(cluster, StepId.M6).VerifyAsync(cluster.Context(TestClusters.Journal(TestClusters.Applied(StepId.M6, begun))), default);

        Assert.True(result.Ok, result.Summary);
        Assert.Equal("2/2 calico-node pods Ready with the BPF dataplane", result.Summary);
        Assert.Contains("calico-node-b02: 2026-11-27 12:00:03.000 [INFO][58] felix/daemon.go 375: BPF enabled, starting BPF endpoint manager and map manager.", result.Lines);
    }

    [Fact]
    public async Task M6_Verify_KernelNotSupported_FailsAtOnceExplainingP2()
    {
        var cluster = TestClusters.Healthy();
        var begun = cluster.Clock.GetUtcNow();
        cluster.CalicoNodePods(begun.AddSeconds(2), null, "BPF dataplane mode enabled but not supported by the kernel. Disabling BPF mode.");

        var result = await Step(cluster, StepId.M6).VerifyAsync(cluster.Context(TestClusters.Journal(TestClusters.Applied(StepId.M6, begun))), default);

        Assert.False(result.Ok);
        Assert.StartsWith("node-1's pod calico-node-a02: Felix says \"BPF dataplane mode enabled but not supported by the kernel\": this node's kernel cannot run eBPF (P2)", result.Summary, StringComparison.Ordinal);
        Assert.Equal(["calico-node-a02: 2026-11-27 12:00:03.000 [INFO][58] felix/daemon.go 375: BPF dataplane mode enabled but not supported by the kernel. Disabling BPF mode."], result.Lines);
        Assert.Empty(cluster.Clock.Delays);
    }

    [Fact]
    public async Task M6_Verify_LinesFromBeforeTheApplyDoNotCount()
    {
        var cluster = TestClusters.Healthy();
        var earlier = cluster.Clock.GetUtcNow();
        cluster.CalicoNodePods(earlier, null, "BPF enabled, starting BPF endpoint manager and map manager.");
        cluster.Clock.Advance(TimeSpan.FromMinutes(10));
        var options = new MigrationOptions(VerifyTimeout: TimeSpan.FromSeconds(5));

        var result = await Step(cluster, StepId.M6).VerifyAsync(
            cluster.Context(TestClusters.Journal(TestClusters.Applied(StepId.M6, cluster.Clock.GetUtcNow())), options), default);

        Assert.False(result.Ok);
        Assert.Equal("timed out after 5s: 0/2 calico-node pods logged \"BPF enabled, starting BPF endpoint manager\"; not yet node-1's pod calico-node-a00", result.Summary);
    }

    [Fact]
    public async Task M6_Verify_PodNotReady_TimesOutWithItsReason()
    {
        var cluster = TestClusters.Healthy();
        var begun = cluster.Clock.GetUtcNow();
        cluster.CalicoNodePods(begun.AddSeconds(2), "calico/node is not ready: felix is not ready: readiness probe reporting 503");

        var result = await Step(cluster, StepId.M6).VerifyAsync(cluster.Context(TestClusters.Journal(TestClusters.Applied(StepId.M6, begun))), default);

        Assert.Equal("timed out after 180s: 0/2 calico-node pods Ready; node-1's pod calico-node-a02 not Ready: calico/node is not ready: felix is not ready: readiness probe reporting 503", result.Summary);
        Assert.Equal(180, cluster.Clock.Delays.Count);
        Assert.Equal(181, cluster.Progress.Count);
    }

    [Fact]
    public async Task M7_CheckPreviewVerify()
    {
        var cluster = TestClusters.Healthy();
        var step = Step(cluster, StepId.M7);
        var live = cluster.Api.Peek(cluster.Target.FelixDefault);

        Assert.Equal(StepCheck.Pending("felixconfigurations default has bpfExternalServiceMode: (not set: Tunnel)"), await step.CheckAsync(cluster.Context(), default));
        var preview = await step.PreviewAsync(cluster.Context(), default);
        MigrationAsserts.Patch(Assert.Single(preview.Changes), cluster.Target.FelixDefault, PatchKind.Merge, """{"spec":{"bpfExternalServiceMode":"DSR"}}""", live);
        Assert.Contains(preview.Notes, n => n.Contains("permissive L2 network", StringComparison.Ordinal) && n.Contains("(P16)", StringComparison.Ordinal));
        Assert.Contains(preview.Notes, n => n.Contains("disrupts in-flight connections", StringComparison.Ordinal));

        cluster.Api.Mutate(cluster.Target.FelixDefault, f => f["spec"]!["bpfExternalServiceMode"] = "DSR");
        Assert.Equal(StepCheck.Done("felixconfigurations default has bpfExternalServiceMode: DSR"), await step.CheckAsync(cluster.Context(), default));
        var beforeRestart = await step.VerifyAsync(cluster.Context(options: new MigrationOptions(VerifyTimeout: TimeSpan.FromSeconds(2))), default);
        Assert.False(beforeRestart.Ok);
        Assert.Contains("BPF enabled, starting BPF endpoint manager", beforeRestart.Summary, StringComparison.Ordinal);

        // Felix restarts on the change and logs its BPF start again: only then is DSR in force.
        cluster.CalicoNodePods(cluster.Clock.GetUtcNow(), null, "BPF enabled, starting BPF endpoint manager and map manager.");
        var result = await step.VerifyAsync(cluster.Context(), default);
        Assert.True(result.Ok);
        Assert.Equal("bpfExternalServiceMode is DSR and 2/2 calico-node pods Ready", result.Summary);
        Assert.Contains(result.Lines, l => l.StartsWith("manual check (needs exec): kubectl exec -n kube-system calico-node-a", StringComparison.Ordinal) && l.Contains("-- calico-node -bpf conntrack dump --raw", StringComparison.Ordinal));
    }

    [Fact]
    public async Task M7_VerifyRollback_WaitsForTunnel()
    {
        var cluster = TestClusters.Healthy();
        cluster.Api.Mutate(cluster.Target.FelixDefault, f => f["spec"]!["bpfExternalServiceMode"] = "DSR");
        var options = new MigrationOptions(VerifyTimeout: TimeSpan.FromSeconds(2));

        var stuck = await Step(cluster, StepId.M7).VerifyRollbackAsync(cluster.Context(options: options), default);
        cluster.Api.Mutate(cluster.Target.FelixDefault, f => f["spec"]!["bpfExternalServiceMode"] = "Tunnel");
        cluster.CalicoNodePods(cluster.Clock.GetUtcNow(), null, "BPF enabled, starting BPF endpoint manager and map manager.");
        var back = await Step(cluster, StepId.M7).VerifyRollbackAsync(cluster.Context(options: options), default);

        Assert.Equal("timed out after 2s: felixconfigurations default does not say Tunnel", stuck.Summary);
        Assert.True(back.Ok);
    }

    [Fact]
    public async Task Verify_ApiErrorPropagates()
    {
        var cluster = TestClusters.Healthy();
        cluster.Api.FailNext(new MigrationApiException(ApiErrorKind.Unavailable, null, "https://10.0.0.10:6443: connection refused"));

        var error = await Assert.ThrowsAsync<MigrationApiException>(() => Step(cluster, StepId.M7).VerifyAsync(cluster.Context(), default));

        Assert.Equal(ApiErrorKind.Unavailable, error.Kind);
    }

    [Fact]
    public async Task Verify_Cancelled_Throws()
    {
        var cluster = TestClusters.Healthy();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Step(cluster, StepId.M6).VerifyAsync(cluster.Context(), cts.Token));
    }

    private static MigrationStep Step(TestCluster cluster, StepId id) => MigrationPlan.Find(MigrationPlan.For(cluster.Target), id);
}
